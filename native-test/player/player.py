#!/usr/bin/python3
"""A video player emulator for streaming tests and benchmarks (Python 3 standard library only).

    player.py SOURCE --bitrate 4M [--duration 30] [--cache-ahead 20] [--start-buffer 2]
              [--resume-buffer 1] [--seek T:FRACTION | --seek T:@OFFSET]... [--chunk 65536]
              [--probe-tail BYTES] [--reference FILE] [--read-timeout 120]

SOURCE is a path (read with os.pread, e.g. a file in a FUSE mount) or an http:// URL (one
`Range: bytes=POS-` request at open and one per seek, as a player reads a streaming server).
The model is mpv's demuxer cache with --cache=yes:
  reader    a thread reads sequentially in --chunk pieces, as fast as the source gives, while
            the forward cache (read, not yet played) holds less than --cache-ahead seconds of
            the bitrate, then waits for playback (mpv: --cache-secs, --demuxer-readahead-secs).
            --probe-tail first reads that many bytes at the end of the file, as players
            probing a container do (mpv reads 250000 bytes at the end of an MPEG-TS).
  playback  BUFFERING until the cache holds --start-buffer seconds (or the file ended), then
            PLAYING consumes --bitrate of it on a 10 ms clock. If the cache runs dry before
            EOF a STALL lasts until it holds --resume-buffer seconds or the file ended (mpv:
            --cache-pause-wait, which with --cache-pause-initial=yes is also its start).
            The run ends after --duration seconds of played media, or at EOF.
  seeks     at T seconds of played media: drop the cache, move the reader to FRACTION of
            the size or to byte OFFSET, wait for --resume-buffer again (a seek, not a stall).
--bitrate is bits/s, suffix k/M/G (x1000): 16M = 16,000,000 bit/s = 2,000,000 bytes/s.
--reference: every byte read is compared with that file (a mismatch ends the run, exit 3);
without it nothing is verified and the output says so. A read that gives nothing for
--read-timeout seconds, or fails (EIO, HTTP error), ends the run (exit 4) naming the offset.

Output: one JSON object on stdout (also on failure, with "error"), a human line on stderr.
Times are seconds from just before the open (time.monotonic):
  first_byte_s       open -> first byte of any read
  startup_s          open -> playback begins (start buffer full, or EOF)
  stalls, stall_s    stalls during playback (not seeks) and their total length
  rebuffering_ratio  stall_s / (played_s + stall_s)
  seeks              each: at_s (media time), offset, first_byte_s and resume_s (from the seek)
  bytes_read         every byte the source returned (re-reads, discarded reads included)
  bytes_unique       distinct file bytes read
  played_s, wall_s   media seconds played; open -> end
  end                "duration", "eof" or "error";  verified: true only with --reference
Exit: 0 played, 2 usage, 3 data mismatch, 4 source failed (open, timeout, read error).
"""
import argparse
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

TICK = 0.01  # playback clock resolution, seconds


def bits_per_second(text):
    mult = {"k": 1e3, "m": 1e6, "g": 1e9}.get(text[-1:].lower(), 1)
    value = float(text[:-1] if mult != 1 else text) * mult
    if value <= 0:
        raise argparse.ArgumentTypeError("bitrate must be positive")
    return value


def seek_spec(text):
    at, _, where = text.partition(":")
    if where.startswith("@"):
        return float(at), ("offset", int(where[1:]))
    frac = float(where)
    if not 0 <= frac <= 1:
        raise argparse.ArgumentTypeError("seek fraction must be within 0..1")
    return float(at), ("fraction", frac)


class Failure(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.code = code  # the exit code


class Stream:
    """Sequential reads from one position: os.pread on a file, or one ranged HTTP response."""

    def __init__(self, pos, timeout, read, close=lambda: None):
        self.pos, self.timeout, self._read, self.close = pos, timeout, read, close

    def read(self, n):
        try:
            data = self._read(n, self.pos)
        except TimeoutError:
            raise Failure(f"no data for {self.timeout:g} s at offset {self.pos}; giving up", 4)
        except (OSError, http.client.HTTPException) as e:
            why = getattr(e, "strerror", None) or repr(e)
            raise Failure(f"read error at offset {self.pos}: {why}", 4)
        self.pos += len(data)
        return data


class FileSource:
    def __init__(self, path, timeout):
        self.fd, self.timeout = os.open(path, os.O_RDONLY), timeout
        self.size = os.fstat(self.fd).st_size

    def stream(self, pos):
        return Stream(pos, self.timeout, lambda n, at: os.pread(self.fd, n, at))


class HttpSource:
    """Each stream is one GET with `Range: bytes=POS-`; the first one learns the size."""

    def __init__(self, url, timeout):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port or 80
        self.path = (u.path or "/") + (f"?{u.query}" if u.query else "")
        self.timeout, self.size, self.first = timeout, None, None
        self.first = self.stream(0)

    def stream(self, pos):
        first, self.first = self.first, None
        if first and pos == 0:
            return first
        if first:  # a request elsewhere (--probe-tail) replaces the open one, as in a player
            first.close()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request("GET", self.path, headers={"Range": f"bytes={pos}-"})
            resp = conn.getresponse()
        except TimeoutError:
            raise Failure(f"no data for {self.timeout:g} s at offset {pos}; giving up", 4)
        except (OSError, http.client.HTTPException) as e:
            raise Failure(f"HTTP request for offset {pos} failed: {e!r}", 4)
        if resp.status == 206:
            total = resp.getheader("Content-Range", "").rpartition("/")[2]
        elif resp.status == 200 and pos == 0:
            total = resp.getheader("Content-Length", "")
        else:
            raise Failure(f"HTTP {resp.status} {resp.reason} for offset {pos}", 4)
        if self.size is None and total.isdigit():
            self.size = int(total)
        # the response holds the socket too: a seek closes both
        return Stream(pos, self.timeout, lambda n, at: resp.read1(n),
                      lambda: (resp.close(), conn.close()))


class Player:
    def __init__(self, a):
        self.a, self.bps = a, a.bitrate / 8  # bytes per second
        self.cv = threading.Condition()
        self.gen = 0               # bumped by each seek; reads of an older gen are discarded
        self.play_pos = 0.0        # byte offset playback has reached
        self.cache_end = 0         # byte offset the reader has reached
        self.eof, self.error = False, None  # error: a Failure from the reader
        self.busy_since, self.busy_pos = None, 0  # when and where the current read began
        self.first_byte = self.seek_first_byte = None  # monotonic times
        self.bytes_read, self.spans = 0, []  # spans: [start, end) ranges read, for unique bytes
        self.ref = None            # fd of --reference

    def take(self, pos, data, gen):
        """Accounts and verifies one read; returns True if it still belongs to the cache."""
        self.bytes_read += len(data)
        if self.spans and self.spans[-1][1] == pos:
            self.spans[-1][1] += len(data)
        elif data:
            self.spans.append([pos, pos + len(data)])
        if self.ref is not None and data:
            want = os.pread(self.ref, len(data), pos)
            if want != data:
                i = next((i for i, (x, y) in enumerate(zip(data, want)) if x != y), len(want))
                exp = f"0x{want[i]:02x}" if i < len(want) else "nothing"
                raise Failure(f"data mismatch at offset {pos + i}: read 0x{data[i]:02x}, "
                              f"reference {exp}", 3)
        now = time.monotonic()
        if self.first_byte is None and data:
            self.first_byte = now
        if gen != self.gen:
            return False
        if self.seek_first_byte is None and data:
            self.seek_first_byte = now
        return True

    def timed_read(self, stream, pos):
        with self.cv:
            self.busy_since, self.busy_pos = time.monotonic(), pos
        try:
            return stream.read(self.a.chunk)
        finally:
            with self.cv:
                self.busy_since = None

    def reader(self, src, size):
        try:
            cap = self.a.cache_ahead * self.bps
            if self.a.probe_tail > 0:
                pos = max(0, size - self.a.probe_tail)
                tail = src.stream(pos)
                while pos < size:
                    data = self.timed_read(tail, pos)
                    if not data:
                        break
                    with self.cv:
                        self.take(pos, data, -1)
                    pos += len(data)
                tail.close()
            stream, gen = src.stream(0), 0
            while True:
                with self.cv:
                    while gen == self.gen and (self.eof or self.cache_end - self.play_pos >= cap):
                        self.cv.wait()
                    if gen != self.gen:
                        if stream:
                            stream.close()
                        stream, gen = None, self.gen
                    if self.eof:
                        continue
                    pos = self.cache_end
                if stream is None:
                    stream = src.stream(pos)
                data = self.timed_read(stream, pos)
                with self.cv:
                    if self.take(pos, data, gen):
                        self.cache_end += len(data)
                        self.eof = not data or self.cache_end >= size
                    self.cv.notify_all()
        except Exception as e:  # any failure ends the run, never a hang
            with self.cv:
                self.error = e if isinstance(e, Failure) else Failure(f"reader failed: {e!r}", 4)
                self.cv.notify_all()

    def run(self):
        """Opens, plays and returns (result dict, exit code)."""
        a, t0 = self.a, time.monotonic()
        r = self.r = {"source": a.source, "size": None, "bitrate_bps": a.bitrate,
                      "first_byte_s": None, "startup_s": None, "stalls": 0, "stall_s": 0.0,
                      "rebuffering_ratio": 0.0, "seeks": [], "bytes_read": 0,
                      "bytes_unique": 0, "played_s": 0.0, "wall_s": 0.0, "end": "error",
                      "verified": False, "error": None}
        self.played, self.state, self.wait_from = 0.0, "buffering", t0
        try:
            try:
                self.ref = os.open(a.reference, os.O_RDONLY) if a.reference else None
                kind = HttpSource if a.source.startswith("http://") else FileSource
                src = kind(a.source, a.read_timeout)
            except OSError as e:
                raise Failure(f"cannot open {e.filename or a.source}: {e.strerror or e}", 4)
            size = r["size"] = src.size
            if size is None:
                raise Failure("the server did not say the file's size", 4)
            if self.ref is not None and os.fstat(self.ref).st_size != size:
                raise Failure(f"size {size} differs from the reference's "
                              f"{os.fstat(self.ref).st_size}", 3)
            threading.Thread(target=self.reader, args=(src, size), daemon=True).start()
            with self.cv:
                self.play(size, t0)
            code = 0
        except Failure as f:
            r["error"], code = str(f), f.code
        with self.cv:
            now = time.monotonic()
            if self.state == "stalled" and r["end"] == "error":
                r["stall_s"] += now - self.wait_from
            r["wall_s"] = round(now - t0, 3)
            r["first_byte_s"] = round(self.first_byte - t0, 3) if self.first_byte else None
            r["bytes_read"], unique, reach = self.bytes_read, 0, 0
            for s, e in sorted(self.spans):
                unique += max(0, e - max(s, reach))
                reach = max(reach, e)
            r["bytes_unique"] = unique
        played, stall = self.played, r["stall_s"]
        r["played_s"], r["stall_s"] = round(played, 3), round(stall, 3)
        r["rebuffering_ratio"] = round(stall / (played + stall), 4) if played + stall else 0.0
        r["verified"] = self.ref is not None and code == 0
        return r, code

    def play(self, size, t0):
        """The playback clock; runs holding self.cv, until the duration, EOF or a failure."""
        a, r, bps = self.a, self.r, self.bps
        seeks, seek, t_seek, t_last = sorted(a.seek), None, t0, t0
        while True:
            now = time.monotonic()
            if self.error:
                raise self.error
            if self.busy_since and now - self.busy_since > a.read_timeout:
                raise Failure(f"no data for {a.read_timeout:g} s at offset {self.busy_pos}; "
                              "giving up", 4)
            if seek and seek["first_byte_s"] is None and self.seek_first_byte:
                seek["first_byte_s"] = round(self.seek_first_byte - t_seek, 3)
            buffered = self.cache_end - self.play_pos
            if self.state == "playing":
                # consume what the elapsed time asks for, never past the duration or a seek
                limit = min([a.duration] + [at for at, _ in seeks[:1]]) - self.played
                want = min((now - t_last) * bps, max(0.0, limit) * bps)
                got = min(want, buffered)
                self.play_pos += got
                self.played += got / bps
                t_last = now
                self.cv.notify_all()  # the reader may have room again
                if self.played >= a.duration - 1e-9:
                    r["end"] = "duration"
                    return
                if seeks and self.played >= seeks[0][0] - 1e-9:
                    seek, t_seek = self.seek_to(*seeks.pop(0), size), now
                    r["seeks"].append(seek)
                elif got < want - 1e-6:  # the cache ran dry within this tick
                    if self.eof:
                        r["end"] = "eof"
                        return
                    self.state, self.wait_from = "stalled", now - (want - got) / bps
                    r["stalls"] += 1
            else:
                secs = a.start_buffer if self.state == "buffering" else a.resume_buffer
                if buffered >= secs * bps or self.eof:
                    if self.state == "buffering":
                        r["startup_s"] = round(now - t0, 3)
                    elif self.state == "stalled":
                        r["stall_s"] += now - self.wait_from
                    else:
                        seek["resume_s"] = round(now - t_seek, 3)
                    self.state, t_last = "playing", now
                    continue
            if self.state == "playing":
                self.cv.release()
                time.sleep(TICK)
                self.cv.acquire()
            else:
                self.cv.wait(TICK)  # woken early by the reader's data

    def seek_to(self, at, where, size):
        how, val = where
        target = min(size, val if how == "offset" else int(val * size))
        self.gen += 1  # the reader drops its stream and what it is reading
        self.play_pos, self.cache_end = float(target), target
        self.eof, self.seek_first_byte, self.state = target >= size, None, "seeking"
        self.cv.notify_all()
        return {"at_s": round(at, 3), "offset": target, "first_byte_s": None, "resume_s": None}


def human(r):
    if r["error"]:
        return f"player: {r['error']}"
    seeks = ", ".join(f"{s['resume_s']} s" for s in r["seeks"])
    return (f"player: startup {r['startup_s']} s, {r['stalls']} stalls {r['stall_s']} s "
            f"(rebuffering {100 * r['rebuffering_ratio']:.1f} %), "
            + (f"seeks resumed in {seeks}, " if seeks else "")
            + f"{r['played_s']} s played in {r['wall_s']} s ({r['end']}), "
            f"{r['bytes_read'] / 1e6:.1f} MB read, "
            + ("verified" if r["verified"] else "NOT verified (no --reference)"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", help="a file path or an http:// URL")
    p.add_argument("--bitrate", type=bits_per_second, required=True,
                   help="bits per second, suffix k/M/G (x1000): 16M = 2,000,000 bytes/s")
    p.add_argument("--duration", type=float, default=30, help="media seconds to play")
    p.add_argument("--cache-ahead", type=float, default=20, help="forward cache, seconds")
    p.add_argument("--start-buffer", type=float, default=2, help="seconds cached to start")
    p.add_argument("--resume-buffer", type=float, default=1,
                   help="seconds cached to resume after a stall or seek")
    p.add_argument("--seek", type=seek_spec, action="append", default=[],
                   help="T:FRACTION or T:@OFFSET, at T seconds of played media")
    p.add_argument("--chunk", type=int, default=65536, help="bytes per read")
    p.add_argument("--probe-tail", type=int, default=0, help="bytes read from the end first")
    p.add_argument("--reference", help="the original file, to verify every byte read")
    p.add_argument("--read-timeout", type=float, default=120)
    a = p.parse_args()
    r, code = Player(a).run()
    print(json.dumps(r), flush=True)
    print(human(r), file=sys.stderr, flush=True)
    os._exit(code)  # a reader blocked in a read must not keep the process alive


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""A rate-limited HTTP file server for player tests (Python 3 standard library only).

    throttled_http.py FILE --port PORT --rate BYTES_PER_S [--bind 127.0.0.1] [--log FILE]

Every request, whatever its path, gets FILE. GET and HEAD, `Range: bytes=A-` and `bytes=A-B`
(206 with Content-Range; 416 past the end), `Accept-Ranges: bytes`, one response per
connection (HTTP/1.0 style), as a simple streaming server does. Each response is paced on its
own at RATE bytes/s in small slices: a slice goes out, then the next one waits slice/RATE
seconds *from when the previous write returned*, so time the client spent not reading (a full
player cache, a blocked socket) is never paid back as a burst. Prints "listening PORT" on
stdout once it accepts connections. With --log, one line per request: wall-clock offset,
range, and how it ended.
"""
import argparse
import os
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
T0 = time.monotonic()
LOG_LOCK = threading.Lock()


def log(msg):
    if ARGS.log:
        with LOG_LOCK, open(ARGS.log, "a") as f:
            f.write(f"{time.monotonic() - T0:9.3f} {msg}\n")


class Handler(BaseHTTPRequestHandler):
    server_version = "throttled/1"

    def log_message(self, fmt, *args):  # quiet: --log has what matters
        pass

    def do_HEAD(self):
        self.respond(body=False)

    def do_GET(self):
        self.respond(body=True)

    def respond(self, body):
        size = os.path.getsize(ARGS.file)
        start, end = 0, size - 1
        rng = self.headers.get("Range")
        m = re.fullmatch(r"bytes=(\d*)-(\d*)", rng.strip()) if rng else None
        if m and (m.group(1) or m.group(2)):
            if m.group(1):
                start = int(m.group(1))
                end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
            else:  # suffix range: the last N bytes
                start = max(0, size - int(m.group(2)))
            if start >= size or start > end:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                log(f"{self.command} {rng} -> 416")
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            self.send_response(200)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Connection", "close")
        self.end_headers()
        if not body:
            return
        log(f"{self.command} {rng or '-'} from {start}: begins")
        sent, how = 0, "done"
        t_start = time.monotonic()
        slice_len = max(1024, min(16384, ARGS.rate // 50))
        try:
            with open(ARGS.file, "rb") as f:
                f.seek(start)
                due = time.monotonic()
                while start + sent <= end:
                    data = f.read(min(slice_len, end + 1 - start - sent))
                    if not data:
                        break
                    self.wfile.write(data)
                    sent += len(data)
                    due = max(due, time.monotonic()) + len(data) / ARGS.rate
                    pause = due - time.monotonic()
                    if pause > 0:
                        time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            how = "closed by client"
        secs = time.monotonic() - t_start
        log(f"{self.command} {rng or '-'} from {start}: {sent} bytes in {secs:.2f} s, {how}")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global ARGS
    p = argparse.ArgumentParser(description="rate-limited HTTP file server")
    p.add_argument("file")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--rate", type=int, required=True, help="bytes per second, per response")
    p.add_argument("--log")
    ARGS = p.parse_args()
    srv = Server((ARGS.bind, ARGS.port), Handler)
    print(f"listening {srv.server_address[1]}", flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

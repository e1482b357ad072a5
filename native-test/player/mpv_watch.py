#!/usr/bin/python3
"""Runs mpv headless on one file or URL and reports its buffering in player.py's terms.

    mpv_watch.py --duration SECONDS [--timeout S] [--trace] -- MPV_ARGS... SOURCE

Starts `mpv --no-config --vo=null --ao=null --input-ipc-server=SOCK MPV_ARGS... SOURCE`, and
over the JSON IPC socket observes `core-idle`, `paused-for-cache`, `playback-time`,
`demuxer-cache-duration` and `cache-buffering-state`. Clock zero is just before mpv is
started (so "startup" includes mpv's own start, ~0.25 s, on top of the open). Figures:
  startup_s      zero -> `core-idle` first false (playback begins, initial buffering done)
  stalls         times `paused-for-cache` went true after playback began (a stall)
  stall_s        total time `paused-for-cache` stayed true after playback began
  played_s       `playback-time` advance until mpv stopped (quit at --duration, or EOF);
                 measured from its value when playback began, since without probing a
                 stream's start time (--demuxer-lavf-probe-info=nostreams) an MPEG-TS starts
                 at its first PTS, e.g. 1.44 s, not at 0
  rebuffering_ratio, wall_s  as in player.py
One JSON object on stdout; --trace prints every property change, timed, on stderr.
mpv's own limit: it checks the cache about every 0.2 s while paused for it, so a stall's end
is seen up to ~0.2 s late.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

OBSERVED = ["core-idle", "paused-for-cache", "playback-time", "demuxer-cache-duration",
            "cache-buffering-state", "eof-reached"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--duration", type=float, required=True)
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--trace", action="store_true")
    p.add_argument("mpv_args", nargs=argparse.REMAINDER)
    a = p.parse_args()
    args = [x for x in a.mpv_args if x != "--"]
    sock_dir = tempfile.mkdtemp(prefix="mpvw.")
    sock_path = os.path.join(sock_dir, "ipc")
    t0 = time.monotonic()
    proc = subprocess.Popen(["mpv", "--no-config", "--vo=null", "--ao=null", "--really-quiet",
                             f"--input-ipc-server={sock_path}"] + args,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    s = socket.socket(socket.AF_UNIX)
    try:
        while True:
            try:
                s.connect(sock_path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if proc.poll() is not None or time.monotonic() - t0 > 10:
                    sys.exit(f"mpv_watch: mpv did not open its IPC socket (exit {proc.poll()})")
                time.sleep(0.01)
        for i, name in enumerate(OBSERVED, 1):
            s.sendall(json.dumps({"command": ["observe_property", i, name]}).encode() + b"\n")
        s.settimeout(0.5)
        r = watch(a, s, proc, t0)
    finally:
        s.close()
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        try:
            os.unlink(sock_path)
        except FileNotFoundError:
            pass
        os.rmdir(sock_dir)
    print(json.dumps(r))


def watch(a, s, proc, t0):
    state = {}
    startup = None
    stalls, stall_s, stall_began = 0, 0.0, None
    played, first = 0.0, None
    buf, quitting = b"", False
    while True:
        now = time.monotonic() - t0
        if now > a.timeout:
            sys.exit(f"mpv_watch: no end after {a.timeout:.0f} s (played {played:.1f} s)")
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            chunk = None
        except ConnectionResetError:
            chunk = b""
        if chunk == b"":
            break  # mpv quit
        if chunk:
            buf += chunk
        now = time.monotonic() - t0
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            msg = json.loads(line)
            ev = msg.get("event")
            if ev == "property-change":
                name, val = msg["name"], msg.get("data")
                state[name] = val
                if a.trace and name != "playback-time":
                    print(f"{now:8.3f} {name}={val}", file=sys.stderr)
                if name == "core-idle" and val is False and startup is None:
                    startup, first = now, state.get("playback-time") or 0.0
                if name == "paused-for-cache" and startup is not None:
                    if val and stall_began is None:
                        stalls, stall_began = stalls + 1, now
                    elif not val and stall_began is not None:
                        stall_s, stall_began = stall_s + now - stall_began, None
                if name == "playback-time" and val is not None and startup is not None:
                    played = max(played, val - first)
            elif ev in ("end-file", "shutdown"):
                if a.trace:
                    print(f"{now:8.3f} event {ev} {msg.get('reason', '')}", file=sys.stderr)
                if ev == "end-file" and msg.get("reason") == "error":
                    sys.exit(f"mpv_watch: mpv failed: {msg.get('file_error', '?')}")
        if played >= a.duration and not quitting:
            quitting = True
            s.sendall(b'{"command": ["quit"]}\n')
    wall = time.monotonic() - t0
    if stall_began is not None:
        stall_s += wall - stall_began
    if startup is None:
        sys.exit("mpv_watch: playback never began")
    return {"startup_s": round(startup, 3), "stalls": stalls, "stall_s": round(stall_s, 3),
            "rebuffering_ratio": round(stall_s / (played + stall_s), 4) if played + stall_s else 0,
            "played_s": round(min(played, a.duration), 3), "wall_s": round(wall, 3),
            "exit": proc.wait()}


if __name__ == "__main__":
    main()

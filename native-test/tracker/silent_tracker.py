#!/usr/bin/env python3
"""An HTTP tracker that accepts every connection, reads its request and never answers: one
line per request (its request line) goes to stdout. Prints "listening" once ready.
usage: silent_tracker.py HOST PORT"""
import socket
import sys
import threading

host, port = sys.argv[1], int(sys.argv[2])
if not host.startswith("127."):
    sys.exit("silent_tracker: loopback addresses only")
server = socket.create_server((host, port))
held = []  # the connections stay open: the client waits for an answer that never comes


def serve(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk
    print(data.split(b"\r\n", 1)[0].decode("latin-1"), flush=True)


print("listening", flush=True)
while True:
    c, _ = server.accept()
    held.append(c)
    threading.Thread(target=serve, args=(c,), daemon=True).start()

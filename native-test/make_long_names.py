#!/usr/bin/python3
"""Writes a torrent whose names pass 255 bytes, and its data where python3-libtorrent keeps it.

usage: make_long_names.py TORRENT SAVE_PATH
The .torrent is bencoded here (libtorrent's create_torrent reads files from disk, and a file of
such a name cannot exist there). Prints one line per file: libtorrent's path for it, which a
client that names files as libtorrent does must use too.
"""
import hashlib
import os
import random
import sys

import libtorrent as lt


def bencode(x):
    if isinstance(x, int):
        return b"i%de" % x
    if isinstance(x, str):
        x = x.encode()
    if isinstance(x, bytes):
        return b"%d:" % len(x) + x
    if isinstance(x, list):
        return b"l" + b"".join(bencode(i) for i in x) + b"e"
    keys = sorted(x, key=lambda k: k.encode())
    return b"d" + b"".join(bencode(k) + bencode(x[k]) for k in keys) + b"e"


torrent, save_path = sys.argv[1:3]
rnd = random.Random(7)
names = [
    ["short.bin"],
    ["a" * 300 + ".mkv"],                 # cut to 240 bytes, the extension kept
    ["\u00e9" * 150 + ".srt"],            # 2-byte code points
    ["\u65e5\u672c" * 60 + ".mp4"],       # 3-byte code points: Japanese titles pass 255 bytes at 86
    ["z" * 300],                          # no extension
    ["d" * 280, "inside.txt"],            # a directory
]
files = [(path, bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(50_000, 400_000)))) for path in names]
data = b"".join(d for _, d in files)
piece = 65536
pieces = b"".join(hashlib.sha1(data[i:i + piece]).digest() for i in range(0, len(data), piece))
info = {"name": "long names", "piece length": piece, "pieces": pieces,
        "files": [{"path": p, "length": len(d)} for p, d in files]}
with open(torrent, "wb") as f:
    f.write(bencode({"info": info}))

fs = lt.torrent_info(torrent).files()
for i, (_, d) in enumerate(files):
    full = fs.file_path(i, save_path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(d)
    print(fs.file_path(i))

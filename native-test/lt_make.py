#!/usr/bin/python3
"""Makes a .torrent with python3-libtorrent.

usage: lt_make.py PATH OUT.torrent PIECE_SIZE [hybrid|v1]
hybrid (libtorrent's default: v1+v2, pad files in the v1 file list) or v1 (v1_only, no pads).
Prints the v1 info-hash in hex.
"""
import os
import sys

import libtorrent as lt

path, out, piece_size = sys.argv[1], sys.argv[2], int(sys.argv[3])
kind = sys.argv[4] if len(sys.argv) > 4 else "hybrid"
fs = lt.file_storage()
lt.add_files(fs, path)
flags = lt.create_torrent.v1_only if kind == "v1" else 0
ct = lt.create_torrent(fs, piece_size, flags=flags)
lt.set_piece_hashes(ct, os.path.dirname(os.path.abspath(path)))
data = lt.bencode(ct.generate())
with open(out, "wb") as f:
    f.write(data)
ti = lt.torrent_info(out)
print(str(ti.info_hashes().v1))

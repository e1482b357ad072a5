#!/usr/bin/env python3
"""Writes a tree of many small files for the large-tree test and benchmark.

usage: make_tree.py DIR DIRS FILES_PER_DIR [MAX_BYTES]
DIR/dirNNN/fileNNNN.txt, each 1..MAX_BYTES (default 2000) bytes of seeded random data, so two
runs make the same tree.
"""
import os
import random
import sys


def main():
    root, dirs, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    max_bytes = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
    rnd = random.Random(9)
    for d in range(dirs):
        path = os.path.join(root, "dir%03d" % d)
        os.makedirs(path)
        for f in range(per):
            with open(os.path.join(path, "file%04d.txt" % f), "wb") as out:
                out.write(rnd.randbytes(rnd.randint(1, max_bytes)))


if __name__ == "__main__":
    main()

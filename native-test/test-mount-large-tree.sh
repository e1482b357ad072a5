#!/usr/bin/env bash
# A torrent of 100,000 small files in 100 directories mounts with the launcher's defaults (its
# heap sized from the .torrent): `find` counts every file, `ls -l` lists a directory, and files
# read back byte for byte. The data directory is the tree itself, so no peer is needed.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"

S="$WORK/src/tree"
mkdir -p "$S"
"$PY" "$NT_ROOT/native-test/make_tree.py" "$S" 100 1000 300
torfs create "$S" -o "$WORK/t.torrent" > /dev/null || fail "torfs create failed"

M="$WORK/mnt"
mkdir -p "$M"
out=$(torfs mount "$WORK/t.torrent" "$M" --data "$WORK/src" 2>&1) || fail "mount failed: $out"
# cleanups run last first: unmount, then wait for the process (it saves its resume state on
# the way out), then the temp dir goes
MOUNT_PID=$(cat "$WORK/src/torfs.pid")
on_exit "for _ in \$(seq 100); do kill -0 $MOUNT_PID 2>/dev/null || break; sleep 0.1; done"
on_exit "torfs unmount '$M' >/dev/null 2>&1 || fusermount -u -z '$M' 2>/dev/null"
grep -qi 'exception\|at torfs\.' <<< "$out" && fail "the mount printed a stack trace: $out"

n=$(find "$M" -type f | wc -l)
[[ $n == 100000 ]] || fail "find counts $n files, want 100000"
d=$(find "$M" -type d | wc -l)
[[ $d == 102 ]] || fail "find counts $d directories, want 102 (root, tree, 100)"
lines=$(ls -l "$M/tree/dir073" | grep -c '^-r--r--r--') || true
[[ $lines == 1000 ]] || fail "ls -l lists $lines files in dir073, want 1000"
for f in dir000/file0000.txt dir042/file0777.txt dir099/file0999.txt; do
  cmp "$M/tree/$f" "$S/$f" || fail "$f differs"
done
[[ $(stat -c %s "$M/tree/dir050/file0500.txt") == $(stat -c %s "$S/dir050/file0500.txt") ]] \
  || fail "size of dir050/file0500.txt differs"
xattr=$(getfattr -n security.selinux "$M/tree/dir001/file0001.txt" 2>&1) || true
grep -q 'Operation not supported' <<< "$xattr" || fail "a security.* xattr is not answered with EOPNOTSUPP: $xattr"
xattr=$(getfattr -n user.other "$M/tree/dir001/file0001.txt" 2>&1) || true
grep -q 'No such attribute' <<< "$xattr" || fail "an unknown user.* xattr is not answered with ENODATA: $xattr"
echo "ok: 100000 files mounted, found, listed and read"

#!/usr/bin/env bash
# scripts/package-deb.sh builds a .deb that declares its dependencies (a Java 17 runtime,
# libfuse2, fuse3) and holds torfs, its jar, the mount helper link, the systemd template, man
# pages and bash completion. Extracted into a temporary root, its torfs runs (--version, info)
# from its own jar without building; its man page and completion come from the command model.
# Then, when no torfs is installed here, dpkg -i: postinst made the class-data archive, the
# launcher uses it, a trigger on /usr/lib/jvm makes it again; the unit passes systemd-analyze verify, its
# ExecStart/ExecStop lines mount and unmount, an fstab line mounts through the installed
# /sbin/mount.fuse.torfs; dpkg --purge leaves none of it behind.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
command -v asciidoctor > /dev/null || skip "asciidoctor not installed (scripts/install-deps.sh)"

DEB=$("$NT_ROOT/scripts/package-deb.sh") || fail "package-deb.sh failed"
version=$(torfs --version | sed -n 's/^torfs //p')
[[ $DEB == "$NT_ROOT/target/torfs_${version}_all.deb" ]] || fail "unexpected package path $DEB"

field() { dpkg-deb --field "$DEB" "$1"; }
[[ $(field Package) == torfs && $(field Version) == "$version" && $(field Architecture) == all ]] \
  || fail "control: $(dpkg-deb --info "$DEB")"
depends=$(field Depends)
for d in "openjdk-17-jre-headless | java17-runtime-headless" libfuse2 fuse3; do
  [[ ", $depends," == *", $d,"* ]] || fail "Depends lacks '$d': $depends"
done
dpkg-deb --contents "$DEB" > "$WORK/contents"
for f in ./usr/share/torfs/torfs.jar ./usr/share/torfs/torfs "./usr/bin/torfs -> ../share/torfs/torfs" \
    "./sbin/mount.fuse.torfs -> /usr/bin/torfs" ./lib/systemd/system/torfs@.service \
    ./usr/share/man/man1/torfs.1.gz ./usr/share/man/man1/torfs-mount.1.gz \
    ./usr/share/bash-completion/completions/torfs; do
  grep -qF " $f" "$WORK/contents" || fail "package lacks $f"
done

R="$WORK/root"
dpkg-deb -x "$DEB" "$R"
rc=0
out=$(cd "$WORK" && "$R/usr/bin/torfs" --version 2> "$WORK/err") || rc=$?
[[ $rc == 0 && $out == "torfs $version" && ! -s "$WORK/err" ]] \
  || fail "extracted torfs --version: exit $rc, '$out', $(cat "$WORK/err")"
mkdir -p "$WORK/data/pack/sub"
head -c 2000000 /dev/urandom > "$WORK/data/pack/a.bin"
head -c 999 /dev/urandom > "$WORK/data/pack/sub/b.txt"
torfs create "$WORK/data/pack" -o "$WORK/t.torrent" --piece-size 262144 > /dev/null
"$R/usr/bin/torfs" info "$WORK/t.torrent" > "$WORK/info" 2> "$WORK/err" || fail "extracted torfs info: $(cat "$WORK/err")"
grep -q " sub/b.txt$" "$WORK/info" && [[ ! -s "$WORK/err" ]] || fail "torfs info printed: $(cat "$WORK/info" "$WORK/err")"
[[ ! -e "$R/usr/share/target" && ! -e "$R/usr/share/torfs/target" ]] || fail "the installed launcher built something"

zcat "$R/usr/share/man/man1/torfs-mount.1.gz" > "$WORK/man"
grep -q -- 'no\\-dht' "$WORK/man" && grep -q 'fuse.torfs' "$WORK/man" || fail "torfs-mount(1) lacks --no-dht or fstab"
# the completion knows the commands and a command's options
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
           _complete_torfs torfs 2> /dev/null; printf "%s\n" "${COMPREPLY[@]}"' _ "$R/usr/share/bash-completion/completions/torfs" "$@"
}
complete_words torfs mo | grep -qx "mount" || fail "completion of 'torfs mo': $(complete_words torfs mo)"
complete_words torfs mount --no- | grep -qx -- "--no-dht" || fail "completion of 'torfs mount --no-'"
echo "package $(basename "$DEB"): $(stat -c %s "$DEB") bytes; extracted torfs, man page and completion: ok"

# installed for real, only where no torfs is installed already
if dpkg-query -W torfs > /dev/null 2>&1 || [[ -e /usr/bin/torfs || -e /sbin/mount.fuse.torfs ]]; then
  echo "dpkg -i: not run (a torfs is installed on this machine)"; echo ok; exit 0
fi
on_exit "dpkg --purge torfs > /dev/null 2>&1"
if ! dpkg -i "$DEB" > "$WORK/dpkg.log" 2>&1; then
  grep -qi "lock" "$WORK/dpkg.log" && { echo "dpkg -i: not run (dpkg is busy)"; echo ok; exit 0; }
  cat "$WORK/dpkg.log"; fail "dpkg -i failed"
fi
[[ $(/usr/bin/torfs --version) == "torfs $version" ]] || fail "installed torfs --version"
# postinst made the class-data archive for the installed jar, and the launcher starts with it
[[ -s /var/cache/torfs/torfs.jsa ]] || fail "postinst made no /var/cache/torfs/torfs.jsa"
[[ -s /var/cache/torfs/torfs-many.jsa ]] || fail "postinst made no /var/cache/torfs/torfs-many.jsa (the mounts' archive)"
TORFS_JAVA_OPTS="-Xlog:class+load:file=$WORK/cl.txt" /usr/bin/torfs --version > /dev/null
grep -q ' torfs.app.Main source: shared objects file' "$WORK/cl.txt" || fail "the installed torfs does not use its archive"
# a Java runtime upgraded under /usr/lib/jvm: the trigger makes the archive again
rm -f /var/cache/torfs/torfs.jsa
dpkg-trigger --by-package=torfs --no-await /usr/lib/jvm > "$WORK/trigger.log" 2>&1 \
  && dpkg --triggers-only torfs >> "$WORK/trigger.log" 2>&1 || { cat "$WORK/trigger.log"; fail "dpkg-trigger"; }
[[ -s /var/cache/torfs/torfs.jsa ]] || fail "the /usr/lib/jvm trigger did not make the archive again"
M="$WORK/mnt"; mkdir -p "$M"
on_exit "grep -q ' $M ' /proc/mounts && umount -l '$M'"
# the template unit as systemd reads it, then its command lines as systemd would run them
cp /lib/systemd/system/torfs@.service "$WORK/torfs@.service"
man_check=yes; command -v man > /dev/null || man_check=no
systemd-analyze verify --man=$man_check "$WORK/torfs@mnt-films.service" > "$WORK/verify" 2>&1 \
  || { cat "$WORK/verify"; fail "systemd-analyze verify torfs@.service"; }
printf 'TORFS_SOURCE=%s\nTORFS_OPTIONS=--data %s --no-dht --port 6941\n' "$WORK/t.torrent" "$WORK/data" > "$WORK/unit.conf"
unit_line() { # KEY: that line of the unit with %f, ${VAR} (one word) and $VAR (split) as systemd expands them
  sed -n "s/^$1=//p" /lib/systemd/system/torfs@.service \
    | sed -e "s|%f|'$M'|g" -e 's|\${\([A-Z_]*\)}|"$\1"|g'
}
# EnvironmentFile: KEY=VALUE lines, the value taken whole
(while IFS='=' read -r k v; do export "$k=$v"; done < "$WORK/unit.conf"
 eval "$(unit_line ExecStartPre)"; eval "$(unit_line ExecStart)") \
  || fail "the unit's ExecStart failed"
grep -q " $M fuse.torfs " /proc/mounts || fail "not mounted after the unit's ExecStart"
cmp "$M/pack/a.bin" "$WORK/data/pack/a.bin" || fail "a.bin differs through the unit's mount"
eval "$(unit_line ExecStop)" || fail "the unit's ExecStop failed"
grep -q " $M " /proc/mounts && fail "still mounted after the unit's ExecStop"
# an fstab line through the installed helper
printf '%s %s fuse.torfs data=%s,no-dht,port=6942,noauto,nofail 0 0\n' "$WORK/t.torrent" "$M" "$WORK/data" > "$WORK/fstab"
mount -T "$WORK/fstab" "$M" || fail "mount -T fstab with the installed helper failed"
cmp "$M/pack/sub/b.txt" "$WORK/data/pack/sub/b.txt" || fail "b.txt differs through the fstab mount"
pid=$(cat "$WORK/data/torfs.pid")
[[ $(readlink "/proc/$pid/cwd") && $(tr '\0' ' ' < "/proc/$pid/cmdline") == *"/usr/share/torfs/torfs.jar"* ]] \
  || fail "the mount process does not run the installed jar: $(tr '\0' ' ' < "/proc/$pid/cmdline")"
umount "$M" || fail "umount failed"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "mount process still running after umount"
dpkg --purge torfs > /dev/null || fail "dpkg --purge failed"
for f in /usr/bin/torfs /sbin/mount.fuse.torfs /usr/share/torfs /var/cache/torfs /lib/systemd/system/torfs@.service \
    /usr/share/man/man1/torfs.1.gz /usr/share/bash-completion/completions/torfs; do
  [[ ! -e $f && ! -L $f ]] || fail "$f left after dpkg --purge"
done
echo "dpkg -i, the unit's commands, an fstab mount, dpkg --purge: ok"
echo ok

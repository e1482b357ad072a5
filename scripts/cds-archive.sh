#!/usr/bin/env bash
# cds-archive.sh JAR ARCHIVE: makes the class-data-sharing archive scripts/torfs starts its JVMs
# with (-XX:SharedArchiveFile): the JDK's and torfs's classes that a training run of JAR loads
# (torfs.app.CdsTraining: create, info, verify and a download over 127.0.0.1 from a seeder in
# the same process), stored parsed and verified. A static archive (-Xshare:dump from the
# training's class list), not Java 17's dynamic one: that leaves out classes of class-file
# version 49 and older, picocli's among them, the command line's whole parser. Run by
# `mvn package` (target/torfs.jsa) and by the .deb's postinst (/var/cache/torfs/torfs.jsa).
# The archive only fits the jar at that very path as it was then (the JVM checks its path,
# size and mtime) and the JVM that made it; the JVM skips one that does not fit, silently.
# Beside it, ARCHIVE's name with -many (torfs-many.jsa): the classes of the training's mounts
# alone (its class list up to torfs.app.CdsTraining$MountsTrained), which the launcher gives a
# mount of many: a long-lived server maps every page of its archive, ~8 KB a class, and the
# commands' and the unused classes cost it ~1 MB at rest (native-test/bench-many.sh).
# Written atomically (renamed into place, so a running JVM keeps the file it mapped: one
# truncated under it would die of SIGBUS) and tried once with -Xshare:on first; a failed
# training leaves no archive and still exits 0 (the launcher then starts without one).
set -uo pipefail
jar=$(readlink -f "$1")
out=$2
many="${out%.jsa}-many.jsa"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp" "$tmp.classes" "$tmp.many" "$tmp.many.classes"' EXIT
unset TORFS_TRACE_START TORFS_JAVA_OPTS  # the training's output is its own
# dump CLASSES ARCHIVE: a static archive of CLASSES, tried once with -Xshare:on (which fails
# unless the archive maps and fits this jar and JVM)
dump() {
  java -Xshare:dump -XX:SharedClassListFile="$1" -XX:SharedArchiveFile="$2" -Xlog:cds*=off -cp "$jar" > /dev/null \
    && [[ -s $2 ]] \
    && java -Xshare:on -XX:SharedArchiveFile="$2" -jar "$jar" --version > /dev/null
}
# loopback only, as every torfs test: the training dials nothing else anyway, and where this
# runs as root it runs in a network namespace that has nothing but loopback
loopback_only() {
  if command -v unshare > /dev/null && command -v ip > /dev/null && unshare --net true 2> /dev/null; then
    unshare --net --fork sh -c 'ip link set lo up && exec "$@"' sh "$@"
  else
    "$@"
  fi
}
if TORFS_LOOPBACK_ONLY=1 loopback_only java -Xmx256m -XX:TieredStopAtLevel=1 -XX:DumpLoadedClassList="$tmp.classes" \
      -jar "$jar" --cds-training \
    && dump "$tmp.classes" "$tmp"; then
  mv -f "$tmp" "$out"
  # the mounts' part of the list, where the training could mount
  if grep -q '^torfs/app/CdsTraining\$MountsTrained$' "$tmp.classes" \
      && sed '/^torfs\/app\/CdsTraining\$MountsTrained$/q' "$tmp.classes" > "$tmp.many.classes" \
      && dump "$tmp.many.classes" "$tmp.many"; then
    mv -f "$tmp.many" "$many"
  else
    rm -f "$many" # an older one would not fit the new jar anyway
  fi
else
  rm -f "$many"
  echo "torfs: no class-data archive for $jar (the launcher starts without one)" >&2
fi
exit 0

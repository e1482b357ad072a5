#!/usr/bin/env bash
# The web status page in a real browser: Debian's headless chromium, driven through chromedriver
# (python3-selenium), adds a torrent through the page's upload field to a running `torfs mount
# --watch DIR --web 127.0.0.1:PORT`, sees its piece map fill while a file is read through the
# mount (a lazy mount at 2 MB/s, so the map fills as the read goes), checks the bytes, saves a
# screenshot to target/web-status.png, sees its dead tracker's failure and the DHT's state,
# pauses and resumes it and removes it with the page's buttons.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
"$PY" -c 'import libtorrent' 2>/dev/null || skip "python3-libtorrent not installed"
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || skip "chromium and chromium-driver not installed"
"$PY" -c 'import selenium' 2>/dev/null || skip "python3-selenium not installed"

mkdir -p "$WORK/src" "$WORK/watch" "$WORK/mnt"
head -c 8000000 /dev/urandom > "$WORK/src/film.bin"
# its one tracker is dead (nothing listens on port 1): the page shows the failed announce
torfs create "$WORK/src/film.bin" -o "$WORK/film.torrent" --piece-size 65536 \
  --tracker http://127.0.0.1:1/announce > /dev/null
lt_seed "$WORK/film.torrent" "$WORK/src" 127.0.0.2:16881
M="$WORK/mnt"
torfs mount --watch "$WORK/watch" "$M" --data "$WORK/data" --port 6920 --no-dht --lazy --max-down 2M \
  --peer 127.0.0.2:16881 --web 127.0.0.1:6921 || fail "torfs mount --web failed"
on_exit "torfs unmount '$M' >/dev/null 2>&1 || fusermount -u -z '$M' 2>/dev/null"
# the page's own files: HTML, JS and CSS from the jar, nothing from elsewhere
get() { "$PY" -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' "$1"; }
get http://127.0.0.1:6921/ | grep -q '<script src="app.js">' || fail "no page at /"
! { get http://127.0.0.1:6921/; get http://127.0.0.1:6921/app.js; get http://127.0.0.1:6921/style.css; } \
  | grep -qE 'https?://[a-z]' || fail "the page loads something from elsewhere"
# without a token on loopback, another site cannot use the page through the user's browser:
# a cross-site post and a request by another name for this address (DNS rebinding) are refused
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[[ $(code -X POST -H 'Origin: https://evil.example' -H 'Content-Type: text/plain' \
  --data '{"magnet":"magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"}' \
  http://127.0.0.1:6921/api/torrents) == 403 ]] || fail "a cross-site post was not refused"
[[ $(code -H 'Host: evil.example:6921' http://127.0.0.1:6921/api/status) == 403 ]] \
  || fail "a request for another host name was answered"
torfs status --mount "$M" --json | "$PY" -c 'import json, sys; assert json.load(sys.stdin)["torrents"] == []' \
  || fail "a refused request added a torrent: $(torfs list --mount "$M")"
mkdir -p "$NT_ROOT/target"
HOME="$WORK" timeout 120 "$PY" "$NT_ROOT/native-test/web_status_check.py" http://127.0.0.1:6921/ \
  "$WORK/film.torrent" "$M/film.bin" "$WORK/src/film.bin" "$NT_ROOT/target/web-status.png" \
  || fail "the browser check failed"
[[ -s "$NT_ROOT/target/web-status.png" ]] || fail "no screenshot"
[[ -e "$M/film.bin" ]] && fail "removed through the page but still mounted"
torfs unmount "$M" || fail "unmount failed"
echo ok

#!/usr/bin/env bash
# `torfs download` from an https web seed (nginx with a self-signed certificate for
# 127.0.0.1): with the certificate in the trust store the file comes down with the source's
# sha256; without it the seed is dropped with one line naming TLS, and nothing of Java shows.
source "$(dirname "$0")/lib.sh"
in_loopback_netns "$@"
source "$NT_ROOT/native-test/webseed-nginx.sh"

W="$WORK/www"
mkdir -p "$W/files" "$WORK/s"
head -c 12345678 /dev/urandom > "$W/files/single.bin"
start_webseed_nginx "$W" 18443 tls
cp "$W/files/single.bin" "$WORK/s/movie.bin"
torfs create "$WORK/s/movie.bin" -o "$WORK/t.torrent" --piece-size 262144 \
  --webseed https://127.0.0.1:18443/files/single.bin > /dev/null

TORFS_JAVA_OPTS="-Xmx256m -Djavax.net.ssl.trustStore=$WORK/nginx-18443/trust.p12 -Djavax.net.ssl.trustStorePassword=changeit" \
  timeout 120 torfs download "$WORK/t.torrent" --data "$WORK/d1" --port 6921 --no-dht > "$WORK/d1.log" 2>&1 \
  || { cat "$WORK/d1.log"; fail "download from the https web seed failed"; }
cmp "$WORK/d1/movie.bin" "$W/files/single.bin" || fail "https download differs"
no_java "$WORK/d1.log"

# the JVM's own trust store does not know the self-signed certificate
timeout 15 torfs download "$WORK/t.torrent" --data "$WORK/d2" --port 6922 --no-dht > "$WORK/d2.log" 2>&1 \
  && fail "a download from an untrusted https seed finished"
grep -q "dropped: TLS" "$WORK/d2.log" || { cat "$WORK/d2.log"; fail "no line says the seed was dropped for TLS"; }
[[ $(grep -c "TLS" "$WORK/d2.log") -eq 1 ]] || { cat "$WORK/d2.log"; fail "more than one TLS line"; }
no_java "$WORK/d2.log"
echo ok

# qbt_seed TORRENT SAVE_PATH IP PORT ENCRYPTION(0 enabled, 1 forced, 2 disabled): starts
# qbittorrent-nox seeding TORRENT from SAVE_PATH (hash check skipped: the data is the source)
# with its own profile under $WORK, listening on IP:PORT, TCP only, no DHT, LSD, PEX, UPnP or
# NAT-PMP; sets QBT_PID. Waits until it listens. Sourced by native tests after lib.sh.
qbt_seed() {
  command -v qbittorrent-nox >/dev/null || skip "qbittorrent-nox not installed"
  local torrent=$1 save=$2 ip=$3 port=$4 enc=$5
  local prof="$WORK/qbt-$port"
  mkdir -p "$prof/qBittorrent/config"
  cat > "$prof/qBittorrent/config/qBittorrent.conf" <<CONF
[LegalNotice]
Accepted=true

[BitTorrent]
Session\Port=$port
Session\Interface=lo
Session\InterfaceName=lo
Session\InterfaceAddress=$ip
Session\DHTEnabled=false
Session\LSDEnabled=false
Session\PeXEnabled=false
Session\Encryption=$enc
Session\BTProtocol=TCP
Session\AnonymousModeEnabled=false
Session\QueueingSystemEnabled=false
Session\DefaultSavePath=$save

[Preferences]
Connection\UPnP=false
WebUI\Enabled=true
WebUI\Address=127.0.0.1
WebUI\Port=$((port + 1000))
WebUI\LocalHostAuth=false
WebUI\HostHeaderValidation=false
WebUI\CSRFProtection=false
General\Locale=C
CONF
  local log="$WORK/qbt-$port.log"
  HOME="$prof" XDG_CONFIG_HOME="$prof" XDG_DATA_HOME="$prof/data" XDG_CACHE_HOME="$prof/cache" \
    qbittorrent-nox --profile="$prof" --save-path="$save" --skip-hash-check "$torrent" > "$log" 2>&1 &
  QBT_PID=$!
  on_exit "kill_pid $QBT_PID"
  QBT_WEB="http://127.0.0.1:$((port + 1000))"
  # seeding once the WebUI reports the torrent complete and qBittorrent listens on the port
  for _ in $(seq 600); do
    kill -0 "$QBT_PID" 2>/dev/null || { cat "$log" >&2; fail "qbittorrent-nox died"; }
    if curl -sf "$QBT_WEB/api/v2/torrents/info" 2>/dev/null | grep -q '"progress":1' \
        && ss -ltn "sport = :$port" | grep -q LISTEN; then
      return 0
    fi
    sleep 0.1
  done
  cat "$log" >&2
  curl -s "$QBT_WEB/api/v2/torrents/info" >&2 || true
  fail "qbittorrent-nox did not start seeding in 60 s"
}

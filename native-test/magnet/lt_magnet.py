#!/usr/bin/python3
"""Adds a magnet to a quiet python3-libtorrent session and waits for its metadata.

usage: lt_magnet.py MAGNET PEER_IP:PORT SAVE_PATH LISTEN_IP:PORT [TIMEOUT_S]
The only peer it knows is PEER; DHT, LSD, UPnP, NAT-PMP and uTP are off. Prints
'ok libtorrent got metadata: NAME HASH' and exits 0 once the metadata arrived, 1 on timeout.
"""
import sys
import time

import libtorrent as lt

magnet, peer, save_path, iface = sys.argv[1:5]
timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 60
ses = lt.session({
    "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
    "dht_bootstrap_nodes": "", "listen_interfaces": iface,
    "outgoing_interfaces": iface.rsplit(":", 1)[0],
    "enable_outgoing_utp": False, "enable_incoming_utp": False,
    "allow_multiple_connections_per_ip": True,
    "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
})
params = lt.parse_magnet_uri(magnet)
params.save_path = save_path
host, port = peer.rsplit(":", 1)
params.peers = [(host, int(port))]
h = ses.add_torrent(params)
end = time.time() + timeout
while time.time() < end:
    if h.status().has_metadata:
        ti = h.torrent_file()
        print("ok libtorrent got metadata:", ti.name(), str(ti.info_hashes().v1), flush=True)
        sys.exit(0)
    for a in ses.pop_alerts():
        print("alert:", a.message(), flush=True)
    time.sleep(0.1)
print("FAIL libtorrent got no metadata in", timeout, "s", flush=True)
sys.exit(1)

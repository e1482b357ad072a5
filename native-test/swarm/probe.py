#!/usr/bin/python3
"""A python3-libtorrent leecher that reports, once a second, what each peer does to it.

usage: probe.py TORRENT SAVE_PATH [--bind 127.0.0.1] [--peer IP:PORT]... [--seconds S]
                [--max-down BYTES_PER_S]
Finds peers through the torrent's trackers (and --peer). Each second prints, per peer:
  probe EPOCH IP:PORT conn=LOCAL_PORT/REMOTE_PORT choked=0|1 down=BYTES_TOTAL rate=BYTES/S
and 'gone EPOCH IP:PORT' when a connection closes. Lines with the same conn are the same TCP
connection. Exits when complete or after --seconds.
"""
import argparse
import time

import libtorrent as lt

ap = argparse.ArgumentParser()
ap.add_argument("torrent")
ap.add_argument("save_path")
ap.add_argument("--bind", default="127.0.0.1")
ap.add_argument("--peer", action="append", default=[])
ap.add_argument("--seconds", type=float, default=600)
ap.add_argument("--max-down", type=int, default=0, help="bytes/s, 0 = unlimited")
a = ap.parse_args()

ses = lt.session({
    "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
    "dht_bootstrap_nodes": "", "listen_interfaces": f"{a.bind}:6890",
    "outgoing_interfaces": a.bind,
    "enable_outgoing_utp": False, "enable_incoming_utp": False,
    "alert_mask": lt.alert.category_t.error_notification,
    "download_rate_limit": a.max_down,
})
# loopback peers are exempt from rate limits unless put in the global peer class
f = lt.ip_filter()
f.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
ses.set_peer_class_filter(f)
p = lt.add_torrent_params()
p.ti = lt.torrent_info(a.torrent)
p.save_path = a.save_path
h = ses.add_torrent(p)
for peer in a.peer:
    host, port = peer.rsplit(":", 1)
    h.connect_peer((host, int(port)))

start = time.time()
seen = {}  # "ip:port" -> local port of its connection
while time.time() - start < a.seconds and not h.status().is_seeding:
    time.sleep(1)
    now = time.time()
    live = {}
    for pi in h.get_peer_info():
        if pi.flags & lt.peer_info.connecting or pi.flags & lt.peer_info.handshake:
            continue
        key = f"{pi.ip[0]}:{pi.ip[1]}"
        conn = f"{pi.local_endpoint[1]}/{pi.ip[1]}"  # local/remote port: one TCP connection
        live[key] = conn
        choked = 1 if pi.flags & lt.peer_info.remote_choked else 0
        print(f"probe {now:.3f} {key} conn={conn} choked={choked} "
              f"down={pi.total_download} rate={pi.payload_down_speed}", flush=True)
    for key in seen.keys() - live.keys():
        print(f"gone {now:.3f} {key}", flush=True)
    seen = live
print(f"done {time.time():.3f} complete={int(h.status().is_seeding)}", flush=True)

#!/usr/bin/python3
"""A loopback DHT of python3-libtorrent nodes, one of them optionally seeding a torrent.

usage: lt_dht_swarm.py N PORT [TORRENT SAVE_PATH]
Node i (0-based) listens on 127.0.<i+1>.1:PORT, TCP and UDP (different /24s: libtorrent's
DHT keeps one node per /24 unless told otherwise). The nodes are joined to each other with
add_dht_node. With a torrent, node 0 seeds it over TCP and announces it to the DHT (no tracker).
Prints 'node IP:PORT' per node, then 'ready' once each node knows others and, with a torrent,
another node's get_peers finds the seeder. Serves until SIGTERM/SIGINT.
"""
import signal
import sys
import time

import libtorrent as lt

n, port = int(sys.argv[1]), int(sys.argv[2])
torrent = sys.argv[3] if len(sys.argv) > 4 else None
save_path = sys.argv[4] if len(sys.argv) > 4 else None
ips = ["127.0.%d.1" % (i + 1) for i in range(n)]

def settings(ip):
    return {
        "enable_dht": True, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "dht_bootstrap_nodes": "", "listen_interfaces": "%s:%d" % (ip, port),
        "outgoing_interfaces": ip,
        "dht_restrict_routing_ips": False, "dht_restrict_search_ips": False,
        "allow_multiple_connections_per_ip": True,
        "enable_outgoing_utp": False, "enable_incoming_utp": False,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.dht_notification
                      | lt.alert.category_t.status_notification
                      | lt.alert.category_t.dht_operation_notification,
    }

sessions = [lt.session(settings(ip)) for ip in ips]
time.sleep(1)  # add_dht_node before the DHT is up is lost
for i, s in enumerate(sessions):
    for j, ip in enumerate(ips):
        if i != j:
            s.add_dht_node((ip, port))
for ip in ips:
    print("node %s:%d" % (ip, port), flush=True)

stop = False
def on_signal(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)

handle = None
info_hash = None
if torrent:
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent)
    params.save_path = save_path
    handle = sessions[0].add_torrent(params)
    info_hash = params.ti.info_hashes().v1

nodes = [0] * n          # routing table sizes, from dht_stats_alert
found = False            # the last node's get_peers found the seeder
deadline = time.time() + 120
ready = False
last_query = 0
while not stop:
    time.sleep(0.25)
    for i, s in enumerate(sessions):
        if not ready:
            s.post_dht_stats()
        for a in s.pop_alerts():
            if isinstance(a, lt.dht_stats_alert):
                nodes[i] = sum(b["num_nodes"] for b in a.routing_table)
            elif isinstance(a, lt.dht_get_peers_reply_alert) and any(p[0] == ips[0] for p in a.peers()):
                found = True
    if ready:
        continue
    if time.time() > deadline:
        print("error: the DHT did not settle in 120 s (routing tables %s)" % nodes, flush=True)
        sys.exit(1)
    if min(nodes) < min(n - 1, 3):
        continue
    if handle is not None and not found:
        if handle.status().is_seeding and time.time() - last_query > 2:
            handle.force_dht_announce()
            sessions[-1].dht_get_peers(info_hash)
            last_query = time.time()
        continue
    print("ready", flush=True)
    ready = True

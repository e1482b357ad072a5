#!/usr/bin/python3
"""python3-libtorrent DHT nodes on loopback, for the DHT interop test.

Starts N sessions as DHT nodes on 127.0.1.1, 127.0.2.1, ... (one /24 each, so libtorrent's
per-/24 routing limits do not matter), joins them with add_dht_node, and has the first one
announce ANNOUNCE_HASH every 10 s: a torrent added by its hash alone, force_dht_announce()
(the python binding of 2.0.8 has no value for dht_announce's flags argument), so the peer
announced is 127.0.1.1:PORT. Prints "READY <addr> ..." once every node
knows the others, then asks for WATCH_HASH with dht_get_peers every 3 s and prints
"LT_FOUND <hash> <ip:port> ..." for each reply that has peers. Runs until killed.
Only run inside a loopback-only network namespace (native-test/dht/libtorrent-dht-interop.sh).

Usage: lt_dht_node.py N PORT ANNOUNCE_HASH WATCH_HASH SAVE_DIR
"""
import sys
import time
import warnings

import libtorrent as lt


def session(ip, port):
    s = lt.session({
        'listen_interfaces': f'{ip}:{port}',
        'enable_dht': True,
        'enable_lsd': False,
        'enable_upnp': False,
        'enable_natpmp': False,
        'dht_bootstrap_nodes': '',
        'dht_restrict_routing_ips': False,
        'dht_restrict_search_ips': False,
        'dht_ignore_dark_internet': False,
        'dht_prefer_verified_node_ids': False,
        'allow_multiple_connections_per_ip': True,
        'alert_mask': lt.alert.category_t.dht_notification | lt.alert.category_t.dht_operation_notification
                      | lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
    })
    return s


def main():
    warnings.filterwarnings('ignore', category=DeprecationWarning)  # session.status(): enough here
    n, port = int(sys.argv[1]), int(sys.argv[2])
    announce_hash = lt.sha1_hash(bytes.fromhex(sys.argv[3]))
    watch_hash = lt.sha1_hash(bytes.fromhex(sys.argv[4]))
    save_dir = sys.argv[5]
    ips = [f'127.0.{i + 1}.1' for i in range(n)]
    sessions = [session(ip, port) for ip in ips]
    time.sleep(1)
    for i, s in enumerate(sessions):
        for j, ip in enumerate(ips):
            if i != j:
                s.add_dht_node((ip, port))

    deadline = time.time() + 60
    while time.time() < deadline:
        for s in sessions:
            s.pop_alerts()
        sizes = [s.status().dht_nodes for s in sessions]
        if min(sizes) >= n - 1:
            break
        time.sleep(0.5)
    print('READY ' + ' '.join(f'{ip}:{port}' for ip in ips) + f' nodes={sizes}', flush=True)

    atp = lt.add_torrent_params()
    atp.info_hashes = lt.info_hash_t(announce_hash)
    atp.save_path = save_dir
    announcer = sessions[0].add_torrent(atp)
    last_announce = 0
    last_ask = 0
    while True:
        now = time.time()
        if now - last_announce >= 10:
            announcer.force_dht_announce()
            last_announce = now
        if now - last_ask >= 3:
            sessions[-1].dht_get_peers(watch_hash)
            last_ask = now
        for s in sessions:
            for a in s.pop_alerts():
                if isinstance(a, lt.dht_get_peers_reply_alert):
                    peers = a.peers()
                    if peers and str(a.info_hash) == str(watch_hash):
                        print('LT_FOUND ' + str(a.info_hash) + ' '
                              + ' '.join(f'{ip}:{p}' for ip, p in peers), flush=True)
        time.sleep(0.2)


if __name__ == '__main__':
    main()

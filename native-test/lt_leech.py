#!/usr/bin/python3
"""A python3-libtorrent leecher for loopback benchmarks.

usage: lt_leech.py TORRENT SAVE_PATH IP:PORT PEER_IP:PEER_PORT [utp-only]
Downloads until complete, then prints 'complete SECONDS' and exits 0. With utp-only, TCP is
off and uTP on.
LT_ENCRYPTION=rc4 in the environment forces protocol encryption (MSE/PE) with RC4 both ways.
"""
import os
import sys
import time

import libtorrent as lt

torrent, save_path, iface, peer = sys.argv[1:5]
settings = {
    "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
    "dht_bootstrap_nodes": "", "listen_interfaces": iface,
    "outgoing_interfaces": iface.rsplit(":", 1)[0],
    "enable_outgoing_utp": False, "enable_incoming_utp": False,
    "alert_mask": lt.alert.category_t.error_notification,
}
if sys.argv[5:] == ["utp-only"]:
    settings.update({"enable_outgoing_utp": True, "enable_incoming_utp": True,
                     "enable_outgoing_tcp": False, "enable_incoming_tcp": False})
if os.environ.get("LT_ENCRYPTION") == "rc4":
    settings.update({"out_enc_policy": 0, "in_enc_policy": 0, "allowed_enc_level": 2, "prefer_rc4": True})
ses = lt.session(settings)
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = save_path
h = ses.add_torrent(params)
host, port = peer.rsplit(":", 1)
start = time.time()
h.connect_peer((host, int(port)))
last_connect = start
while True:
    s = h.status()
    if s.is_seeding:
        print("complete %.2f" % (time.time() - start), flush=True)
        break
    if s.errc.value() != 0:
        print("error:", s.errc.message(), flush=True)
        sys.exit(1)
    if s.num_peers == 0 and time.time() - last_connect > 2:
        h.connect_peer((host, int(port)))
        last_connect = time.time()
    time.sleep(0.05)

#!/usr/bin/python3
"""A quiet python3-libtorrent seeder that keeps other seeds connected, for the ut_pex test.

usage: lt_pex_seed.py [--no-pex] TORRENT SAVE_PATH IP:PORT [CONNECT_IP:CONNECT_PORT]
Like ../lt_seed.py (DHT, LSD, UPnP, NAT-PMP and uTP off), but with close_redundant_connections
off: two seeds of one torrent stay connected, so each can name the other in its ut_pex
messages (libtorrent's ut_pex plugin is on by default). With CONNECT it dials that peer (again
whenever it is not connected) and prints 'connected' once it is. --no-pex starts the session
without libtorrent's default plugins (ut_pex, ut_metadata): that seeder never learns of other
peers, so it cannot dial the client under test before the client dials it.
Serves until SIGTERM/SIGINT.
"""
import signal
import sys
import time

import libtorrent as lt

args = sys.argv[1:]
no_pex = args[:1] == ["--no-pex"]
if no_pex:
    args = args[1:]
torrent, save_path, iface = args[0:3]
other = args[3] if len(args) > 3 else None
settings = {
    "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
    "dht_bootstrap_nodes": "", "listen_interfaces": iface,
    "outgoing_interfaces": iface.rsplit(":", 1)[0],
    "enable_outgoing_utp": False, "enable_incoming_utp": False,
    "allow_multiple_connections_per_ip": True,
    "close_redundant_connections": False,
    "alert_mask": lt.alert.category_t.error_notification,
}
ses = lt.session(settings, 0) if no_pex else lt.session(settings)
params = lt.add_torrent_params()
params.ti = lt.torrent_info(torrent)
params.save_path = save_path
h = ses.add_torrent(params)

stop = False
def on_signal(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)

seeding = connected = False
last_dial = 0.0
while not stop:
    s = h.status()
    if s.errc.value() != 0:
        print("error:", s.errc.message(), flush=True)
        sys.exit(1)
    if not seeding and s.is_seeding:
        print("seeding", flush=True)
        seeding = True
    if seeding and other:
        ip, port = other.rsplit(":", 1)
        now_connected = any(p.ip[0] == ip for p in h.get_peer_info())
        if now_connected and not connected:
            print("connected", other, flush=True)
        connected = now_connected
        if not connected and time.monotonic() - last_dial > 2:
            h.connect_peer((ip, int(port)))
            last_dial = time.monotonic()
    time.sleep(0.1)
ses.pause()

#!/usr/bin/python3
"""A quiet python3-libtorrent seeder for loopback tests.

usage: lt_seed.py TORRENT SAVE_PATH IP:PORT [utp-only]   (IPv6: [::1]:PORT)
Checks the data, prints 'seeding' once it seeds, serves until SIGTERM/SIGINT.
DHT, LSD, UPnP, NAT-PMP and uTP are off (uTP crawls over loopback here); with utp-only,
TCP is off instead and peers connect over uTP alone.
LT_ENCRYPTION=rc4 in the environment forces protocol encryption (MSE/PE) with RC4 both ways;
LT_ENCRYPTION=off refuses it (plaintext only).
LT_STATUS_FILE=PATH makes it keep PATH holding "total_payload_upload N" (bytes sent so far) and,
on the next line, "num_peers N" (its connected peers).
"""
import os
import signal
import sys
import time

import libtorrent as lt

torrent, save_path, iface = sys.argv[1:4]
settings = {
    "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
    "dht_bootstrap_nodes": "", "listen_interfaces": iface,
    # announce from our own address: clients key peers by IP (TEST-PEERS.md)
    # an IPv6 listen address is bracketed ([::1]:16881); outgoing_interfaces wants it bare
    "outgoing_interfaces": iface.rsplit(":", 1)[0].strip("[]"),
    "enable_outgoing_utp": False, "enable_incoming_utp": False,
    "allow_multiple_connections_per_ip": True,
    "alert_mask": lt.alert.category_t.error_notification,
    # let one fast peer take the whole loopback bandwidth
    "send_buffer_watermark": 32 * 1024 * 1024, "send_buffer_watermark_factor": 150,
    "max_queued_disk_bytes": 64 * 1024 * 1024, "unchoke_slots_limit": 16,
}
if sys.argv[4:] == ["utp-only"]:
    settings.update({"enable_outgoing_utp": True, "enable_incoming_utp": True,
                     "enable_outgoing_tcp": False, "enable_incoming_tcp": False})
if os.environ.get("LT_ENCRYPTION") == "rc4":
    settings.update({"out_enc_policy": 0, "in_enc_policy": 0,  # pe_forced
                     "allowed_enc_level": 2, "prefer_rc4": True})  # pe_rc4
elif os.environ.get("LT_ENCRYPTION") == "off":
    settings.update({"out_enc_policy": 2, "in_enc_policy": 2})  # pe_disabled
ses = lt.session(settings)
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

announced = False
# LT_STATUS_FILE=PATH: the payload bytes sent so far and the peers, rewritten (by rename) every 0.1 s
status_file = os.environ.get("LT_STATUS_FILE")
while not stop:
    s = h.status()
    if status_file:
        with open(status_file + ".tmp", "w") as f:
            f.write("total_payload_upload %d\nnum_peers %d\n" % (s.total_payload_upload, s.num_peers))
        os.replace(status_file + ".tmp", status_file)
    if not announced and s.is_seeding:
        print("seeding", flush=True)
        announced = True
    if not announced and s.state == lt.torrent_status.seeding:
        print("seeding", flush=True)
        announced = True
    if s.errc.value() != 0:
        print("error:", s.errc.message(), flush=True)
        sys.exit(1)
    time.sleep(0.1)
ses.pause()

#!/usr/bin/python3
"""N python3-libtorrent seeders of one torrent in one process, with scheduled misbehaviour.

usage: swarm.py TORRENT SAVE_PATH [--seeders N] [--first-ip 10] [--port 6881]
                [--flaky SPEC] [--allowed-fast N] [--peer-log]

Seeder i is its own session on 127.0.0.(FIRST_IP+i):PORT (clients key peers by IP), TCP only,
default send buffers, announcing to the torrent's trackers. All seed from SAVE_PATH.
Prints 'seeder I IP:PORT' per seeder, 'ready N' once all seed, then
'event EPOCH_SECONDS I WHAT' lines, and serves until SIGTERM/SIGINT ('stats I uploaded=BYTES'
lines at exit: payload each seeder sent). --peer-log adds 'peer EPOCH I connect|disconnect
IP:PORT [reason]' and 'peer EPOCH I tracker-reply peers=N' lines.

SPEC is a comma list of I:WHAT:DURATION/PERIOD[@FIRST] (seconds; FIRST defaults to 10 after
ready; without /PERIOD it happens once). WHAT is
  choke  every peer is choked for DURATION (CHOKE on the open connection), then unchoked
  stall  the seeder sends (almost) nothing for DURATION; connections stay open and unchoked
  leave  the torrent is paused (every connection closed, tracker told 'stopped') and
         resumed after DURATION (re-announced, so peers find it again)
Events print as WHAT on start and its end as unchoke / unstall / rejoin.
A choked client that speaks BEP 6 may still fetch its allowed-fast pieces (libtorrent offers
5, like any libtorrent peer); with --allowed-fast 0 only what was in flight still arrives.
"""
import argparse
import signal
import sys
import time

import libtorrent as lt

KINDS = ("choke", "stall", "leave")
END_NAME = {"choke": "unchoke", "stall": "unstall", "leave": "rejoin"}
UNCHOKE_SLOTS = 8   # libtorrent's default
STALL_RATE = 1      # bytes/s while stalled (0 would mean unlimited)


def parse_flaky(spec, seeders):
    """'0:choke:20/40@5,...' -> [(seeder, what, duration, period or None, first)]"""
    out = []
    for item in filter(None, (s.strip() for s in (spec or "").split(","))):
        first = 10.0
        if "@" in item:
            item, f = item.split("@", 1)
            first = float(f)
        idx, what, timing = item.split(":")
        dur, _, period = timing.partition("/")
        if what not in KINDS or not 0 <= int(idx) < seeders:
            sys.exit(f"bad --flaky item {item!r}")
        out.append((int(idx), what, float(dur), float(period) if period else None, first))
        if period and float(period) <= float(dur):
            sys.exit(f"--flaky {item!r}: period must exceed duration")
    return out


def new_seeder(ip, port, params, peer_log, allowed_fast, swarm_ips):
    mask = lt.alert.category_t.error_notification
    if peer_log:
        mask |= (lt.alert.category_t.connect_notification | lt.alert.category_t.peer_notification
                 | lt.alert.category_t.tracker_notification)
    ses = lt.session({
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "dht_bootstrap_nodes": "", "listen_interfaces": f"{ip}:{port}",
        "outgoing_interfaces": ip,  # announce and connect from our own address
        "enable_outgoing_utp": False, "enable_incoming_utp": False,  # uTP crawls on loopback
        "alert_mask": mask,
        "unchoke_slots_limit": UNCHOKE_SLOTS,  # changing it re-runs the choker at once
        "allowed_fast_set_size": allowed_fast,
        # few threads per session: eight sessions share two cores
        "aio_threads": 2, "hashing_threads": 1,
        # after a rejoin, call the clients the tracker lists at once, not 60 s later
        "min_reconnect_time": 1,
    })
    # libtorrent puts loopback peers in its 'local' class: never choked, never rate-limited.
    # Treat every address as remote so choke and stall reach loopback clients.
    f = lt.ip_filter()
    f.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
    ses.set_peer_class_filter(f)
    # the tracker lists the seeders to each other: without this they would call each other
    # (and themselves) every second, only to hang up as seed meets seed
    block = lt.ip_filter()
    block.add_rule(swarm_ips[0], swarm_ips[1], 1)  # 1 = blocked
    ses.set_ip_filter(block)
    return ses, ses.add_torrent(params)


class Seeder:
    def __init__(self, i, ses, h):
        self.i, self.ses, self.h = i, ses, h

    def act(self, what, on):
        if what == "choke":
            self.ses.apply_settings({"unchoke_slots_limit": 0 if on else UNCHOKE_SLOTS})
        elif what == "stall":
            self.ses.apply_settings({"upload_rate_limit": STALL_RATE if on else 0})
        elif what == "leave":
            if on:
                self.h.pause()  # closes every connection at once, mid-piece or not
            else:
                self.h.resume()
                self.h.force_reannounce()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("torrent")
    ap.add_argument("save_path")
    ap.add_argument("--seeders", type=int, default=8)
    ap.add_argument("--first-ip", type=int, default=10)
    ap.add_argument("--port", type=int, default=6881)
    ap.add_argument("--flaky", default="")
    ap.add_argument("--allowed-fast", type=int, default=5)
    ap.add_argument("--peer-log", action="store_true", help="print peer connects/disconnects")
    a = ap.parse_args()
    schedule = parse_flaky(a.flaky, a.seeders)
    ti = lt.torrent_info(a.torrent)

    def params(have_all):
        p = lt.add_torrent_params()
        p.ti = ti
        p.save_path = a.save_path
        # not auto-managed (so only the schedule pauses and resumes it), and so not paused
        p.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
        if have_all:  # seeder 0 checked the data already: the others skip the hash check
            p.have_pieces = [True] * ti.num_pieces()
        return p

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    seeders = []
    swarm_ips = (f"127.0.0.{a.first_ip}", f"127.0.0.{a.first_ip + a.seeders - 1}")
    for i in range(a.seeders):
        ip = f"127.0.0.{a.first_ip + i}"
        if i == 1:
            wait_seeding(seeders[0], stop)
        ses, h = new_seeder(ip, a.port, params(i > 0), a.peer_log, a.allowed_fast, swarm_ips)
        seeders.append(Seeder(i, ses, h))
        print(f"seeder {i} {ip}:{a.port}", flush=True)
    for s in seeders:
        wait_seeding(s, stop)
    print(f"ready {len(seeders)}", flush=True)

    t0 = time.monotonic()
    # pending: (due time, seeder, what, on, item) sorted by due time
    pending = sorted((t0 + first, idx, what, True, (dur, period))
                     for idx, what, dur, period, first in schedule)
    while not stop:
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            due, idx, what, on, (dur, period) = pending.pop(0)
            seeders[idx].act(what, on)
            print(f"event {time.time():.3f} {idx} {what if on else END_NAME[what]}", flush=True)
            if on:
                pending.append((due + dur, idx, what, False, (dur, period)))
            elif period:
                pending.append((due - dur + period, idx, what, True, (dur, period)))
            pending.sort()
        for s in seeders:
            drain_alerts(s)
        time.sleep(0.1)
    for s in seeders:
        st = s.h.status()
        # (libtorrent adds a second's bytes to it once a second: read it after a pause)
        print(f"stats {s.i} uploaded={st.all_time_upload}", flush=True)
        s.ses.pause()


def wait_seeding(s, stop):
    while not stop:
        st = s.h.status()
        if st.errc.value() != 0:
            sys.exit(f"seeder {s.i}: {st.errc.message()}")
        if st.is_seeding:
            return
        drain_alerts(s)
        time.sleep(0.1)
    sys.exit(1)


def drain_alerts(s):
    for al in s.ses.pop_alerts():
        if isinstance(al, lt.peer_connect_alert):
            print(f"peer {time.time():.3f} {s.i} connect {fmt(al.endpoint)}", flush=True)
        elif isinstance(al, lt.peer_disconnected_alert):
            print(f"peer {time.time():.3f} {s.i} disconnect {fmt(al.endpoint)} "
                  f"{al.error.message()}", flush=True)
        elif isinstance(al, lt.tracker_reply_alert):
            print(f"peer {time.time():.3f} {s.i} tracker-reply peers={al.num_peers}", flush=True)
        elif al.category() & lt.alert.category_t.error_notification:
            print(f"error {time.time():.3f} {s.i} {al.message()}", flush=True)


def fmt(ep):
    return f"{ep[0]}:{ep[1]}"


if __name__ == "__main__":
    main()

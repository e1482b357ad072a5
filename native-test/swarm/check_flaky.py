#!/usr/bin/python3
"""Checks a probe.py log against a swarm.py log: did each misbehaviour happen as scheduled?

usage: check_flaky.py SWARM_LOG PROBE_LOG [FIRST_IP]
For every event window the probe saw, prints one verdict line:
  choke  the probe got CHOKE (remote_choked) on the same TCP connection, then an unchoke
  stall  the connection stayed open and unchoked but (almost) no bytes came
  leave  the connection closed; after the rejoin a new connection brought bytes again
Exits 1 if any window failed.
"""
import sys

swarm_log, probe_log = sys.argv[1:3]
first_ip = int(sys.argv[3]) if len(sys.argv) > 3 else 10
SETTLE = 2.0  # s: data already in flight when an event starts, a probe line's lag

events = [l.split() for l in open(swarm_log) if l.startswith("event ")]
samples = {}  # ip -> [(t, conn, choked, down)]
gone = {}     # ip -> [t]
for l in open(probe_log):
    f = l.split()
    if f[0] == "probe":
        kv = dict(x.split("=") for x in f[3:])
        samples.setdefault(f[2].split(":")[0], []).append(
            (float(f[1]), kv["conn"], int(kv["choked"]), int(kv["down"])))
    elif f[0] == "gone":
        gone.setdefault(f[2].split(":")[0], []).append(float(f[1]))
probe_end = max(s[0] for v in samples.values() for s in v)

bad = 0
for _, t, idx, what in (e for e in events if e[3] in ("choke", "stall", "leave")):
    t, ip = float(t), f"127.0.0.{first_ip + int(idx)}"
    end = next((float(e[1]) for e in events
                if e[2] == idx and float(e[1]) > t and e[3] in ("unchoke", "unstall", "rejoin")),
               None)
    if end is None or end + 2 * SETTLE > probe_end:
        continue  # the probe finished before this window did
    s = samples.get(ip, [])
    before = [x for x in s if x[0] < t]
    inside = [x for x in s if t + SETTLE < x[0] < end]
    after = [x for x in s if end + SETTLE < x[0] < end + 4 * SETTLE]
    ok, why = False, "no samples"
    if what in ("choke", "stall") and before and inside and after:
        same_conn = len({x[1] for x in [before[-1]] + inside + after[:1]}) == 1
        got = inside[-1][3] - inside[0][3]
        resumed = after[-1][3] > inside[-1][3]
        if what == "choke":
            ok = same_conn and all(x[2] for x in inside) and not after[-1][2] and resumed
        else:
            ok = same_conn and not any(x[2] for x in inside) and got < 64 * 1024 and resumed
        why = (f"same_conn={same_conn} choked_inside={[x[2] for x in inside].count(1)}/"
               f"{len(inside)} bytes_inside={got} resumed={resumed}")
    elif what == "leave" and before:
        closed = any(t <= g <= t + SETTLE for g in gone.get(ip, []))
        back = [x for x in after if x[1] != before[-1][1]]
        # (libtorrent carries a peer's byte count over to its next connection)
        got = back[-1][3] - back[0][3] if back else 0
        ok = closed and not inside and got > 0
        why = (f"closed={closed} samples_inside={len(inside)} "
               f"new_conn_after={back[0][1] if back else None} bytes_after={got}")
    print(f"{'ok  ' if ok else 'FAIL'} {what:5} seeder {idx} {t:.1f}-{end:.1f}: {why}")
    bad += not ok
sys.exit(1 if bad else 0)

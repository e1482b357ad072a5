// The TorFS status page: one EventSource on /api/events (a status every second), the API for
// adding, removing, pausing and resuming. Plain JS, no libraries: it is served from the jar as it is.
"use strict";
const token = new URLSearchParams(location.search).get("token");
const withToken = (url) => token ? url + (url.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token) : url;
const history = new Map(); // hashString -> [{down, up}], the last 120 samples
const HISTORY = 120;

function fmtBytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) { n /= 1024; u++; }
  return (u === 0 ? n : n.toFixed(1)) + " " + units[u];
}

function fmtEta(s) {
  if (s < 0) return "–";
  if (s === 0) return "done";
  return s < 3600 ? Math.floor(s / 60) + "m" + String(s % 60).padStart(2, "0") + "s"
                  : Math.floor(s / 3600) + "h" + String(Math.floor(s / 60) % 60).padStart(2, "0") + "m";
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function card(t) {
  let c = document.getElementById("t-" + t.hashString);
  if (c) return c;
  // one button that pauses a running torrent and resumes a stopped one (render sets its label)
  const pause = el("button", {class: "pause", "data-hash": t.hashString}, "Pause");
  pause.addEventListener("click", () => setPaused(t.hashString, pause.dataset.action !== "resume"));
  const remove = el("button", {class: "remove", "data-hash": t.hashString}, "Remove");
  remove.addEventListener("click", () => removeTorrent(t.hashString, false));
  const removeData = el("button", {class: "remove", "data-hash": t.hashString}, "Remove + data");
  removeData.addEventListener("click", () => removeTorrent(t.hashString, true));
  c = el("div", {class: "torrent", id: "t-" + t.hashString},
    el("h2", {}, el("span", {class: "name"}), el("span", {}, pause, " ", remove, " ", removeData)),
    el("div", {class: "facts"}),
    el("canvas", {class: "piecemap", width: "1000", height: "24"}),
    el("canvas", {class: "rates", width: "1000", height: "60"}),
    el("table", {class: "files"}),
    el("table", {class: "peers"}),
    el("table", {class: "trackers"}),
    el("div", {class: "dht"}));
  document.getElementById("torrents").append(c);
  return c;
}

const PIECE_COLORS = {complete: "#2a7", reading: "#d33", readahead: "#f90", downloading: "#27c",
  missing: "#ddd", unavailable: "#999"};

function drawPieces(canvas, t) {
  const ctx = canvas.getContext("2d");
  const n = t.pieceCount;
  ctx.fillStyle = PIECE_COLORS.missing;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const counts = {complete: 0, reading: 0, readahead: 0, downloading: 0, missing: 0, unavailable: 0};
  let p = 0;
  for (const chunk of t.pieceChunks) {
    counts[chunk.status] = (counts[chunk.status] || 0) + chunk.numPieces;
    if (chunk.status !== "missing") {
      ctx.fillStyle = PIECE_COLORS[chunk.status] || PIECE_COLORS.unavailable;
      const x0 = Math.floor(p * canvas.width / n), x1 = Math.ceil((p + chunk.numPieces) * canvas.width / n);
      ctx.fillRect(x0, 0, Math.max(1, x1 - x0), canvas.height);
    }
    p += chunk.numPieces;
  }
  canvas.dataset.pieces = n;
  for (const [k, v] of Object.entries(counts)) canvas.dataset[k] = v;
}

function drawRates(canvas, samples) {
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const max = Math.max(1, ...samples.map(s => Math.max(s.down, s.up)));
  for (const [key, color] of [["down", "#27c"], ["up", "#e80"]]) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    samples.forEach((s, i) => {
      const x = (HISTORY - samples.length + i) * canvas.width / (HISTORY - 1);
      const y = canvas.height - 2 - (s[key] / max) * (canvas.height - 4);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }
  ctx.fillStyle = "#555";
  ctx.fillText(fmtBytes(max) + "/s", 4, 12);
}

// "12s ago" / "in 29m48s" from epoch seconds
function fmtWhen(t) {
  const d = Math.round(t - Date.now() / 1000);
  return d >= 0 ? "in " + fmtEta(Math.max(1, d)) : fmtEta(Math.max(1, -d)) + " ago";
}

function trackerRows(stats) {
  const rows = (stats || []).map(s => {
    const result = !s.hasAnnounced ? (s.lastAnnounceResult || "not announced yet")
      : s.lastAnnounceSucceeded ? "ok, " + s.lastAnnouncePeerCount + " peers" +
        (s.seederCount >= 0 ? " (" + s.seederCount + " seeding, " + s.leecherCount + " leeching)" : "")
      : s.lastAnnounceResult;
    return el("tr", {class: s.hasAnnounced && !s.lastAnnounceSucceeded ? "failed" : ""},
      el("td", {class: "url"}, s.announce), el("td", {}, "tier " + s.tier),
      el("td", {}, s.hasAnnounced ? fmtWhen(s.lastAnnounceTime) : "–"), el("td", {class: "result"}, result),
      el("td", {}, s.isUpdating ? "announcing" : s.nextAnnounceTime > 0 ? "next " + fmtWhen(s.nextAnnounceTime) : ""));
  });
  if (rows.length) rows.unshift(el("tr", {}, ...["tracker", "", "last", "result", ""].map(h => el("th", {}, h))));
  return rows;
}

function dhtText(d) {
  if (!d) return "";
  const last = d.lastLookupTime > 0 ? d.lastLookupPeerCount + " peers from " + d.lastLookupNodeCount + " nodes " +
    fmtWhen(d.lastLookupTime) : "no lookup finished yet";
  return "DHT: " + last + (d.lookingUp ? ", looking up" : d.nextLookupTime > 0 ? ", next " + fmtWhen(d.nextLookupTime) : "");
}

function render(status) {
  const seen = new Set();
  if (status.dht) {
    document.getElementById("dht").textContent = "DHT " + status.dht.state +
      (status.dht.enabled ? ", " + status.dht.nodes + " nodes" : "");
  }
  for (const t of status.torrents) {
    seen.add("t-" + t.hashString);
    const c = card(t);
    c.querySelector(".name").textContent = t.name;
    const pause = c.querySelector("button.pause");
    pause.dataset.action = t.state === "stopped" ? "resume" : "pause";
    pause.textContent = t.state === "stopped" ? "Resume" : "Pause";
    const facts = c.querySelector(".facts");
    facts.replaceChildren(
      el("span", {class: "state " + t.state}, t.state),
      el("span", {}, el("b", {}, (100 * t.percentDone).toFixed(1) + "%"), " of " + fmtBytes(t.totalSize)),
      el("span", {}, "↓ " + fmtBytes(t.rateDownload) + "/s"),
      el("span", {}, "↑ " + fmtBytes(t.rateUpload) + "/s"),
      el("span", {}, "peers " + t.peersConnected),
      el("span", {}, "ETA " + fmtEta(t.eta)),
      el("span", {}, "open files " + t.openHandles),
      el("span", {title: "info-hash"}, t.hashString.slice(0, 12)));
    if (t.error) facts.append(el("span", {class: "state error"}, t.error));
    drawPieces(c.querySelector("canvas.piecemap"), t);
    const h = history.get(t.hashString) || [];
    h.push({down: t.rateDownload, up: t.rateUpload});
    while (h.length > HISTORY) h.shift();
    history.set(t.hashString, h);
    drawRates(c.querySelector("canvas.rates"), h);
    const rows = t.files.slice(0, 200).map(f => {
      const pct = f.length === 0 ? 100 : 100 * f.bytesCompleted / f.length;
      return el("tr", {}, el("td", {class: "path"}, f.name), el("td", {}, fmtBytes(f.length)),
        el("td", {}, el("div", {class: "bar"}, el("div", {style: "width:" + pct.toFixed(1) + "%"}))),
        el("td", {}, pct.toFixed(1) + "%"));
    });
    if (t.files.length > 200) rows.push(el("tr", {}, el("td", {}, "… " + (t.files.length - 200) + " more files")));
    c.querySelector("table.files").replaceChildren(...rows);
    const peers = (t.peers || []).map(p => el("tr", {},
      el("td", {}, p.address), el("td", {}, p.clientName || "?"), el("td", {title: "Transmission's flags"}, p.flagStr),
      el("td", {}, "↓ " + fmtBytes(p.rateToClient) + "/s"), el("td", {}, "↑ " + fmtBytes(p.rateToPeer) + "/s"),
      el("td", {}, (100 * p.progress).toFixed(0) + "%"), el("td", {}, p.transport)));
    if (peers.length) peers.unshift(el("tr", {}, ...["peer", "client", "flags", "from it", "to it", "has", "over"]
      .map(h => el("th", {}, h))));
    c.querySelector("table.peers").replaceChildren(...peers);
    c.querySelector("table.trackers").replaceChildren(...trackerRows(t.trackerStats));
    c.querySelector("div.dht").textContent = dhtText(t.dht);
  }
  for (const c of [...document.querySelectorAll(".torrent")]) {
    if (!seen.has(c.id)) c.remove();
  }
}

function say(text, ok) {
  const m = document.getElementById("message");
  m.textContent = text;
  m.className = "message" + (ok ? " ok" : "");
}

async function call(method, url, body) {
  const r = await fetch(withToken(url), {method, headers: {"Content-Type": "application/json"},
    body: body === undefined ? undefined : JSON.stringify(body)});
  const json = await r.json();
  if (!r.ok) throw new Error(json.error || r.statusText);
  return json;
}

async function setPaused(hash, paused) {
  try {
    const r = await call("POST", paused ? "/api/torrent-stop" : "/api/torrent-start", {ids: [hash]});
    say((paused ? "paused " : "resumed ") + r.torrents.map(t => t.name).join(", "), true);
  } catch (e) { say(e.message, false); }
}

async function removeTorrent(hash, deleteData) {
  try {
    const r = await call("DELETE", "/api/torrents/" + hash + (deleteData ? "?deleteData=true" : ""));
    say("removed " + r.removed.name, true);
  } catch (e) { say(e.message, false); }
}

document.getElementById("add-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const source = document.getElementById("source").value.trim();
  if (!source) return;
  try {
    const r = await call("POST", "/api/torrents", {filename: source});
    say("added " + r.torrentAdded.name, true);
    document.getElementById("source").value = "";
  } catch (e) { say(e.message, false); }
});

document.getElementById("file").addEventListener("change", async (ev) => {
  const f = ev.target.files[0];
  if (!f) return;
  const bytes = new Uint8Array(await f.arrayBuffer());
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  try {
    const r = await call("POST", "/api/torrents", {metainfo: btoa(bin)});
    say("added " + r.torrentAdded.name, true);
  } catch (e) { say(e.message, false); }
  ev.target.value = "";
});

const events = new EventSource(withToken("/api/events"));
events.addEventListener("status", (ev) => {
  document.getElementById("conn").textContent = "live";
  document.getElementById("conn").className = "conn live";
  render(JSON.parse(ev.data));
});
events.onerror = () => {
  document.getElementById("conn").textContent = "reconnecting…";
  document.getElementById("conn").className = "conn";
};

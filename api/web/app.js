// tongpei station console. Offline first: every scan gets its id (a UUID)
// the moment it is recorded and waits in localStorage until the server has
// answered it, so a scan resent after a lost answer is applied once.
"use strict";

const QUEUE = "tongpei.scanQueue";
const TOKEN = "tongpei.token";
const $ = (id) => document.getElementById(id);

function uuid() {
  // crypto.randomUUID needs a secure context; a station phone may reach the
  // centre over plain http on the county network.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const queue = {
  all: () => JSON.parse(localStorage.getItem(QUEUE) || "[]"),
  save: (q) => { localStorage.setItem(QUEUE, JSON.stringify(q)); $("queued").textContent = q.length; },
  push: (scan) => { const q = queue.all(); q.push(scan); queue.save(q); },
};

// retryAfter is the wait, in ms, that a busy server (503 or 429) asks for
// in Retry-After, bounded to 30 s; null when it asks for none.
function retryAfter(resp) {
  if (resp.status !== 503 && resp.status !== 429) return null;
  const s = Number(resp.headers.get("Retry-After"));
  return Number.isFinite(s) && s >= 0 ? Math.min(s, 30) * 1000 : null;
}

async function call(method, path, body) {
  let resp;
  // A busy server refused before doing anything: wait as told and send
  // again, at most 3 times (scans carry their ids, so a resend is safe).
  for (let attempt = 0; ; attempt++) {
    resp = await fetch(path, {
      method,
      headers: { "Authorization": "Bearer " + localStorage.getItem(TOKEN), "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const wait = retryAfter(resp);
    if (wait === null || attempt >= 3) break;
    await new Promise((done) => setTimeout(done, wait));
  }
  const data = resp.status === 204 ? null : await resp.json();
  if (!resp.ok) { const e = new Error(data && data.detail || resp.statusText); e.status = resp.status; throw e; }
  return data;
}

function show(text, cls) {
  const li = document.createElement("li");
  li.textContent = text;
  li.className = cls;
  $("results").prepend(li);
}

let syncing = false;
async function sync() {
  if (syncing) return;
  const q = queue.all();
  if (q.length === 0) return;
  syncing = true;
  try {
    const batch = q.slice(0, 500);
    const answer = await call("POST", "/v1/scans", { scans: batch });
    const answered = new Set();
    for (const r of answer.results) {
      answered.add(r.id);
      const scan = batch.find((s) => s.id === r.id);
      const label = scan ? `${scan.kind} ${scan.tracking_no}` : r.id;
      show(`${r.status}: ${label}${r.detail ? " — " + r.detail : ""}`, r.status);
    }
    // Keep only what the server did not answer; anything answered is final.
    queue.save(queue.all().filter((s) => !answered.has(s.id)));
    setNet(true);
  } catch (e) {
    if (e.status === 401) { signOut(); }
    setNet(false);
  } finally {
    syncing = false;
  }
}

function setNet(up) {
  $("net").textContent = up ? "online 在线" : "offline 离线";
  $("net").className = "pill " + (up ? "online" : "offline");
}

function record(ev) {
  ev.preventDefault();
  const scan = {
    id: uuid(),
    kind: $("kind").value,
    station: $("station").value.trim(),
    tracking_no: $("tracking").value.trim(),
    at: new Date().toISOString(),
  };
  if ($("carrier").value.trim()) scan.carrier = $("carrier").value.trim();
  if ($("pickup").value.trim()) scan.pickup_code = $("pickup").value.trim();
  if (!scan.tracking_no) return;
  queue.push(scan);
  $("tracking").value = "";
  $("tracking").focus();
  sync();
}

async function signIn(ev) {
  if (ev) ev.preventDefault();
  if (ev) localStorage.setItem(TOKEN, $("token").value.trim());
  try {
    const me = await call("GET", "/v1/me");
    $("who").textContent = `${me.role}${me.scope ? " · " + me.scope : ""}`;
    if (me.role === "keeper") $("station").value = me.scope;
    $("signin").hidden = true;
    $("scan").hidden = false;
    $("stations").hidden = false;
    $("signin-error").textContent = "";
    setNet(true);
    loadStations();
  } catch (e) {
    if (e.status === 401) { localStorage.removeItem(TOKEN); $("signin-error").textContent = e.message; }
    else setNet(false);
  }
}

function signOut() {
  localStorage.removeItem(TOKEN);
  $("signin").hidden = false;
  $("scan").hidden = true;
}

async function loadStations() {
  try {
    const list = await call("GET", "/v1/stations?limit=1000");
    $("station-rows").replaceChildren(...list.items.map((s) => {
      const tr = document.createElement("tr");
      for (const v of [s.code, s.name, s.tier, s.township]) {
        const td = document.createElement("td"); td.textContent = v || ""; tr.append(td);
      }
      return tr;
    }));
  } catch (e) { /* the list is a convenience; scanning works without it */ }
}

$("signin-form").addEventListener("submit", signIn);
$("scan-form").addEventListener("submit", record);
$("sync").addEventListener("click", sync);
window.addEventListener("online", sync);
setInterval(sync, 5000);
queue.save(queue.all());
if (localStorage.getItem(TOKEN)) signIn();

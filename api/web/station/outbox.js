// outbox: every scan is written to IndexedDB with its client id before it
// is sent, and leaves only when the server has answered that id. A scan
// resent after a lost answer carries the same id, so the server's client-id
// dedupe applies it once (it answers "duplicate"). A refusal is moved to the
// "needs attention" list with its reason, never dropped.
//
// A box of produce accepted with no signal queues as an "up" row: the
// parcel with a tracking number the phone made up (TPX + 12 hex digits,
// never one of the server's TP order numbers), the carrier the keeper
// chose and the accepted scan's id. On sync it is quoted, registered (a
// resent registration answers "exists") and its accepted scan joins the
// scan queue under that fixed id, so each step is applied once however
// often the row is replayed.
import * as idb from "./idb.js";
import { api, ApiError } from "../shell/api.js";

const BATCH = 200;
const listeners = new Set();

/** uuid is a v4 UUID; crypto.randomUUID needs a secure context, which a phone on plain http lacks. */
export function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** onChange calls fn({kind, scan, result}) for every answer and after every sync attempt. */
export function onChange(fn) { listeners.add(fn); }
const tell = (ev) => { for (const fn of listeners) fn(ev); };

/** enqueue stores a scan (an id is given when it has none) and starts a sync. */
export async function enqueue(scan) {
  const s = { id: uuid(), at: new Date().toISOString(), ...scan };
  await idb.put("queue", { id: s.id, scan: s, queued_at: Date.now() });
  tell({ kind: "queued", scan: s });
  sync();
  return s;
}

/** enqueueUp stores a produce acceptance made offline: {station, carrier, parcel, quote}. */
export async function enqueueUp(up) {
  const u = { id: uuid(), scan_id: uuid(), at: new Date().toISOString(), ...up };
  await idb.put("queue", { id: u.id, up: u, queued_at: Date.now() });
  tell({ kind: "queued", up: u });
  sync();
  return u;
}

/** offlineTrackingNo is a tracking number for a box accepted with no signal. */
export const offlineTrackingNo = () => "TPX" + uuid().replace(/-/g, "").slice(0, 12).toUpperCase();

export const queued = () => idb.count("queue");
export const queuedUps = () => idb.all("queue").then((rows) => rows.filter((r) => r.up).sort((a, b) => a.queued_at - b.queued_at).map((r) => r.up));
export const attention = () => idb.all("attention");
export const dismiss = (id) => idb.del("attention", id).then(() => tell({ kind: "dismissed" }));
export const lastSync = () => idb.get("kv", "last_sync");

let running = null;
let again = false;

/** sync sends what waits, oldest first, until the queue is empty or the network fails. */
export function sync() {
  if (running) { again = true; return running; }
  running = (async () => {
    try {
      do {
        again = false;
        await drain();
      } while (again);
    } finally {
      running = null;
    }
  })();
  return running;
}

const lost = (e) => e instanceof ApiError && (e.status === 0 || e.status >= 500 || e.status === 429);

/**
 * sendUp quotes, registers and queues the accepted scan of one offline
 * acceptance. It answers false when the network failed (the row stays).
 */
async function sendUp(row) {
  const u = row.up;
  let refusal = null;
  let line = null;
  try {
    const q = await api("POST", "/v1/pricing/quotes", u.quote);
    line = q.lines.find((l) => l.carrier === u.carrier);
    if (!line) refusal = { code: "no_quote", detail: `no price of ${u.carrier} for this parcel` };
    else {
      const reg = await api("POST", "/v1/parcels", { parcels: [{ ...u.parcel, carrier: u.carrier, quote_id: q.quote_id }] });
      const r = reg.results[0];
      if (r.status !== "created" && r.status !== "exists") refusal = { code: r.code || "invalid", detail: r.detail };
    }
  } catch (e) {
    if (lost(e)) { tell({ kind: "failed", error: e, offline: true }); return false; }
    refusal = { code: e.code, detail: e.problem && e.problem.detail, from: "problem" };
  }
  const scan = { id: u.scan_id, at: u.at, kind: "accepted", station: u.station, carrier: u.carrier, tracking_no: u.parcel.tracking_no };
  if (refusal) {
    await idb.put("attention", { id: u.id, scan, code: refusal.code, detail: refusal.detail, from: refusal.from, at: Date.now() });
  } else {
    await idb.put("queue", { id: scan.id, scan, queued_at: row.queued_at });
  }
  await idb.del("queue", u.id);
  tell({ kind: "answered", up: u, scan, result: refusal ? { status: "rejected", ...refusal } : { status: "registered", price_fen: line.price_fen } });
  return true;
}

async function drain() {
  for (;;) {
    let rows = (await idb.all("queue")).sort((a, b) => a.queued_at - b.queued_at);
    for (const row of rows.filter((r) => r.up)) {
      if (!(await sendUp(row))) return;
    }
    rows = (await idb.all("queue")).filter((r) => r.scan).sort((a, b) => a.queued_at - b.queued_at).slice(0, BATCH);
    if (rows.length === 0) return;
    let answer;
    try {
      answer = await api("POST", "/v1/scans", { scans: rows.map((r) => r.scan) });
    } catch (e) {
      tell({ kind: "failed", error: e, offline: lost(e) });
      return;
    }
    const byId = new Map(rows.map((r) => [r.scan.id, r.scan]));
    const done = [];
    for (const r of answer.results) {
      const scan = byId.get(r.id);
      if (!scan) continue;
      done.push(r.id);
      if (r.status === "rejected") {
        await idb.put("attention", { id: r.id, scan, code: r.code, detail: r.detail, at: Date.now() });
      }
      tell({ kind: "answered", scan, result: r });
    }
    await idb.del("queue", done);
    await idb.put("kv", Date.now(), "last_sync");
    tell({ kind: "synced" });
    if (done.length === 0) return;
  }
}

// Sync on its own: when the signal returns, when the page is shown again,
// and every few seconds while something waits.
window.addEventListener("online", () => sync());
document.addEventListener("visibilitychange", () => { if (!document.hidden) sync(); });
setInterval(async () => { if ((await queued()) > 0) sync(); }, 4000);

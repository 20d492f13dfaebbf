// shelf: what waits for its recipients, grouped by shelf and layer, with
// how long each has waited and an overdue flag; search by pickup code,
// phone last 4 or tracking number. The last list seen online is kept in
// IndexedDB, so the shelf (and the handover) work with no signal.
import { t } from "../shell/i18n.js";
import { api } from "../shell/api.js";
import * as idb from "./idb.js";
import * as outbox from "./outbox.js";
import { age, where } from "./words.js";
import { printLabels } from "./labels.js";

const DAYS_KEY = "tongpei.overdueDays";
const $ = (id) => document.getElementById(id);
let station = "";

export const overdueDays = () => Number(localStorage.getItem(DAYS_KEY)) || 3;

// Scans that take a parcel off the shelf: until the server has them, the
// parcel is shown as gone, so a parcel handed over with no signal cannot be
// handed over twice.
const OFF_SHELF = new Set(["picked_up", "problem", "returned"]);

async function leaving() {
  const rows = await idb.all("queue");
  return new Set(rows.filter((r) => r.scan && OFF_SHELF.has(r.scan.kind)).map((r) => `${r.scan.carrier}/${r.scan.tracking_no}`));
}

/**
 * load answers the waiting parcels: from the server when it answers, else
 * as last seen; either way without those the queue is taking off the shelf.
 */
export async function load() {
  let items;
  let fresh = true;
  try {
    const list = await api("GET", `/v1/stations/${encodeURIComponent(station)}/parcels?state=waiting&limit=1000&overdue_days=${overdueDays()}`);
    await idb.put("kv", { items: list.items, at: Date.now() }, "shelf");
    items = list.items;
  } catch (e) {
    const kept = await idb.get("kv", "shelf");
    items = kept ? kept.items : [];
    fresh = false;
  }
  return { items: await stillOnShelf(items), fresh };
}

/** stillOnShelf drops the parcels a queued scan is taking off the shelf. */
export async function stillOnShelf(items) {
  const gone = await leaving();
  return items.filter((p) => !gone.has(`${p.carrier}/${p.tracking_no}`));
}

/** findOnShelf is the waiting parcel with this tracking number, as last seen. */
export async function findOnShelf(trackingNo) {
  const { items } = await load();
  return items.find((p) => p.tracking_no === trackingNo) || null;
}

/** matches tells whether a parcel fits a search: pickup code (or its number), phone last 4, tracking number. */
export function matches(p, q) {
  if (!q) return true;
  const phone = (p.recipient && p.recipient.phone) || "";
  return p.pickup_code === q || p.pickup_code.endsWith("-" + q) || phone.endsWith(q) || p.tracking_no.includes(q);
}

/** parcelItem renders one parcel with its problem and return actions. */
export function parcelItem(p, opts = {}) {
  const li = document.createElement("li");
  li.dataset.tn = p.tracking_no;
  const head = document.createElement("div");
  const code = document.createElement("span");
  code.className = "code";
  code.textContent = p.pickup_code || t("state." + p.state);
  head.append(code, " ");
  if (p.overdue) {
    const f = document.createElement("span");
    f.className = "flag";
    f.textContent = t("shelf.flag_overdue");
    head.append(f, " ");
  }
  const r = p.recipient || {};
  const who = document.createElement("div");
  who.textContent = `${r.name || ""} ${r.phone ? t("shelf.phone", { p: r.phone.slice(-4) }) : ""}`.trim();
  const meta = document.createElement("div");
  meta.className = "muted";
  meta.textContent = `${p.carrier} ${p.tracking_no}${p.waited_s !== undefined ? " · " + age(p.waited_s) : ""}`;
  li.append(head, who, meta);
  if (opts.actions !== false) li.append(actions(p, opts));
  return li;
}

function actions(p, opts) {
  // Folded away, so the shelf stays a list a keeper can scan by eye.
  const fold = document.createElement("details");
  const title = document.createElement("summary");
  title.textContent = t("shelf.actions");
  const box = document.createElement("div");
  box.className = "actions";
  fold.append(title, box);
  const reason = document.createElement("select");
  reason.className = "problem-reason";
  for (const k of ["refused", "damaged", "wrong_address", "overdue"]) {
    const o = document.createElement("option");
    o.value = k;
    o.textContent = t("problem." + k);
    reason.append(o);
  }
  if (p.overdue) reason.value = "overdue";
  const mark = document.createElement("button");
  mark.type = "button";
  mark.className = "secondary mark-problem";
  mark.textContent = t("problem.mark");
  mark.addEventListener("click", async () => {
    await outbox.enqueue({ kind: "problem", station, carrier: p.carrier, tracking_no: p.tracking_no, note: reason.value });
    li().remove();
  });
  const back = document.createElement("button");
  back.type = "button";
  back.className = "secondary return";
  back.textContent = t("shelf.return");
  back.addEventListener("click", async () => {
    await outbox.enqueue({ kind: "returned", station, carrier: p.carrier, tracking_no: p.tracking_no, note: opts.note || "" });
    li().remove();
  });
  const li = () => box.closest("li");
  if (opts.problem !== false) box.append(reason, mark);
  box.append(back);
  return fold;
}

// renders counts the shelf's renders: with bad signal an earlier load can
// answer after a later one, and only the latest may draw the shelf.
let renders = 0;

async function render() {
  const mine = ++renders;
  const { items, fresh } = await load();
  if (mine !== renders) return;
  const q = $("shelf-search").value.trim();
  $("count-waiting").textContent = t("shelf.waiting", { n: items.length });
  $("count-overdue").textContent = t("shelf.overdue", { n: items.filter((p) => p.overdue).length });
  $("shelf-note").textContent = fresh ? "" : t("shelf.offline");
  const shown = items.filter((p) => matches(p, q));
  const groups = new Map();
  for (const p of shown) {
    const w = where(p.pickup_code);
    const key = `${w.shelf}-${w.layer}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(p);
  }
  const out = [];
  for (const key of [...groups.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))) {
    const [s, l] = key.split("-");
    const h = document.createElement("h3");
    h.textContent = `${t("checkin.shelf")} ${s} · ${t("checkin.layer")} ${l} (${groups.get(key).length})`;
    const ul = document.createElement("ul");
    ul.className = "parcels";
    ul.append(...groups.get(key).map((p) => parcelItem(p)));
    out.push(h, ul);
  }
  if (out.length === 0) {
    const p = document.createElement("p");
    p.className = "muted";
    p.textContent = t("shelf.none");
    out.push(p);
  }
  $("shelf-groups").replaceChildren(...out);
}

export function mountShelf(code) {
  station = code;
  $("overdue-days").value = overdueDays();
  $("overdue-days").addEventListener("change", () => {
    const d = Math.min(365, Math.max(1, Math.round(Number($("overdue-days").value)) || 3));
    localStorage.setItem(DAYS_KEY, String(d));
    $("overdue-days").value = d;
    render();
  });
  $("shelf-search").addEventListener("input", render);
  $("print-all").addEventListener("click", async () => {
    const q = $("shelf-search").value.trim();
    printLabels((await load()).items.filter((p) => matches(p, q)));
  });
  return { shown: render };
}

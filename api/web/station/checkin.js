// checkin: arrivals at the counter. A handheld scanner types the tracking
// number into the focused field and presses Enter; the scan is queued (so a
// lost signal loses nothing) and sent at once, and the pickup code the
// server issues shows in large type with where to shelve the parcel.
import { t } from "../shell/i18n.js";
import * as outbox from "./outbox.js";
import * as feedback from "./feedback.js";
import { scanText, where } from "./words.js";
import { findOnShelf } from "./shelf.js";
import { printLabels } from "./labels.js";
import { mountCamera } from "./camera.js";

const SHELF_KEY = "tongpei.shelf";
const $ = (id) => document.getElementById(id);

let current = null; // the id of the scan the big display is about
let lastParcel = null; // what the label button prints
const rows = new Map(); // scan id → its line in the recent list
const waiting = new Map(); // scan id → scan, for scans not yet answered

/** focusScan puts the cursor back in the scan field unless the keeper is typing elsewhere. */
export function focusScan() {
  const scan = $("scan");
  if (document.hidden || $("checkin").hidden) return;
  const a = document.activeElement;
  if (a && a !== scan && a !== document.body && ["INPUT", "SELECT", "TEXTAREA"].includes(a.tagName)) return;
  scan.focus({ preventScroll: true });
}

function shelfLayer() {
  const [s, l] = (localStorage.getItem(SHELF_KEY) || "1-1").split("-").map(Number);
  return { shelf: s || 1, layer: l || 1 };
}

function choices(el, n, selected, pick) {
  el.replaceChildren();
  for (let i = 1; i <= n; i++) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = i;
    b.dataset.value = i;
    b.classList.toggle("on", i === selected);
    b.addEventListener("click", () => { pick(i); focusScan(); });
    el.append(b);
  }
}

function renderShelfPick() {
  const { shelf, layer } = shelfLayer();
  choices($("pick-shelf"), 8, shelf, (i) => { localStorage.setItem(SHELF_KEY, `${i}-${layer}`); renderShelfPick(); });
  choices($("pick-layer"), 5, layer, (i) => { localStorage.setItem(SHELF_KEY, `${shelf}-${i}`); renderShelfPick(); });
}

/** show fills the big display for scan; state is pending, queued, accepted or refused. */
function show(scan, state, code, text) {
  const box = $("last");
  box.hidden = false;
  box.className = "card last " + state;
  $("last-tn").textContent = scan.tracking_no;
  $("print-last").hidden = state !== "accepted";
  if (state === "accepted") {
    const w = where(code);
    $("last-code").textContent = code;
    $("last-where").textContent = t("checkin.where", { shelf: w.shelf, layer: w.layer });
  } else {
    $("last-code").textContent = text;
    $("last-where").textContent = "";
  }
}

function line(scan, text, cls) {
  let li = rows.get(scan.id);
  if (!li) {
    li = document.createElement("li");
    li.dataset.id = scan.id;
    rows.set(scan.id, li);
    $("recent").prepend(li);
    while ($("recent").children.length > 30) rows.delete($("recent").lastChild.dataset.id), $("recent").lastChild.remove();
  }
  li.className = cls;
  li.textContent = `${scan.tracking_no} — ${text}`;
}

async function answered(scan, r) {
  if (scan.kind !== "station_arrival") return;
  waiting.delete(scan.id);
  let code = r.pickup_code;
  let state = r.status === "rejected" ? "refused" : "accepted";
  if (r.status === "duplicate" && !code) {
    const p = await findOnShelf(scan.tracking_no);
    code = p ? p.pickup_code : "";
    if (!code) state = "duplicate";
  }
  const text = state === "refused" ? scanText(r.code, r.detail) : state === "duplicate" ? t("checkin.duplicate") : code;
  line(scan, text, r.status);
  if (scan.id === current) {
    show(scan, state, code, text);
    if (state === "accepted") lastParcel = { tracking_no: scan.tracking_no, pickup_code: code };
    if (state === "refused") feedback.refused(); else feedback.accepted();
  }
}

export function mountCheckin(station) {
  renderShelfPick();
  mountCamera((code) => { $("scan").value = code; $("scan-form").requestSubmit(); });
  $("print-last").addEventListener("click", async () => {
    if (!lastParcel) return;
    const p = await findOnShelf(lastParcel.tracking_no);
    printLabels([p || lastParcel]);
  });
  $("scan-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const tn = $("scan").value.trim();
    $("scan").value = "";
    focusScan();
    if (!tn) return;
    const { shelf, layer } = shelfLayer();
    const scan = { id: outbox.uuid(), kind: "station_arrival", station, tracking_no: tn, pickup_code: `${shelf}-${layer}` };
    current = scan.id;
    // The code of the parcel before is never left on screen for this one.
    show(scan, "pending", "", t("checkin.waiting"));
    line(scan, t("checkin.waiting"), "pending");
    waiting.set(scan.id, scan);
    await outbox.enqueue(scan);
  });
  outbox.onChange((ev) => {
    if (ev.kind === "answered") answered(ev.scan, ev.result);
    if (ev.kind === "failed") {
      for (const scan of waiting.values()) line(scan, t("checkin.queued"), "pending");
      if (waiting.has(current)) show(waiting.get(current), "pending", "", t("checkin.queued"));
    }
  });
  document.addEventListener("visibilitychange", focusScan);
  window.addEventListener("focus", focusScan);
  document.addEventListener("click", () => setTimeout(focusScan, 0));
  $("scan").addEventListener("blur", () => setTimeout(focusScan, 250));
  window.addEventListener("tongpei:lang", renderShelfPick);
  return { shown: focusScan };
}

// checkin: arrivals at the counter. A handheld scanner types the tracking
// number into the focused field and presses Enter; the scan is queued (so a
// lost signal loses nothing) and sent at once, and the pickup code the
// server issues shows in large type with where to shelve the parcel.
import { t } from "../shell/i18n.js";
import * as outbox from "./outbox.js";
import * as feedback from "./feedback.js";
import { scanText, where } from "./words.js";
import { findOnShelf } from "./shelf.js";
import { printLabels, keepBarcode } from "./labels.js";
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

// Each line and the big display remember what they say, not the words,
// so that the language switch can say it again: [key, params] or a scan
// result {code, detail}.
const said = new Map(); // scan id → {state, code, words}
let shown = null; // the scan the big display shows, with its state, code and words

function words(w, short) {
  if (!w) return "";
  // The big display says the refusal in a few words; the list adds the detail.
  if (w.result) return scanText(w.result.code, short ? "" : w.result.detail);
  if (w.key) return t(w.key);
  return w.code || "";
}

/** show fills the big display for scan; state is pending, queued, accepted or refused. */
function show(scan, state, code, w) {
  shown = { scan, state, code, w };
  const text = words(w, true);
  const box = $("last");
  box.hidden = false;
  box.className = "card last " + state;
  $("last-tn").textContent = scan.tracking_no;
  $("print-last").hidden = state !== "accepted";
  $("last-label").hidden = state === "refused" || state === "duplicate";
  if (state === "accepted") {
    const spot = where(code);
    $("last-code").textContent = code;
    $("last-where").textContent = t("checkin.where", { shelf: spot.shelf, layer: spot.layer });
  } else {
    $("last-code").textContent = text;
    $("last-where").textContent = "";
  }
}

function line(scan, w, cls) {
  said.set(scan.id, { scan, w, cls });
  const text = words(w);
  let li = rows.get(scan.id);
  if (!li) {
    li = document.createElement("li");
    li.dataset.id = scan.id;
    rows.set(scan.id, li);
    $("recent").prepend(li);
    while ($("recent").children.length > 30) {
      const id = $("recent").lastChild.dataset.id;
      rows.delete(id);
      said.delete(id);
      $("recent").lastChild.remove();
    }
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
  const w = state === "refused" ? { result: r } : state === "duplicate" ? { key: "checkin.duplicate" } : { code };
  line(scan, w, r.status);
  if (state === "accepted") keepBarcode(scan.tracking_no);
  if (scan.id === current) {
    show(scan, state, code, w);
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
    show(scan, "pending", "", { key: "checkin.waiting" });
    line(scan, { key: "checkin.waiting" }, "pending");
    waiting.set(scan.id, scan);
    await outbox.enqueue(scan);
  });
  outbox.onChange((ev) => {
    if (ev.kind === "answered") answered(ev.scan, ev.result);
    if (ev.kind === "failed") {
      for (const scan of waiting.values()) line(scan, { key: "checkin.queued" }, "pending");
      if (waiting.has(current)) show(waiting.get(current), "pending", "", { key: "checkin.queued" });
    }
  });
  document.addEventListener("visibilitychange", focusScan);
  window.addEventListener("focus", focusScan);
  document.addEventListener("click", () => setTimeout(focusScan, 0));
  $("scan").addEventListener("blur", () => setTimeout(focusScan, 250));
  window.addEventListener("tongpei:lang", () => {
    renderShelfPick();
    for (const { scan, w, cls } of said.values()) line(scan, w, cls);
    if (shown) show(shown.scan, shown.state, shown.code, shown.w);
  });
  return { shown: focusScan };
}

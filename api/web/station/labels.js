// labels: pickup labels for a 58 mm thermal printer: the pickup code in
// large type, the recipient's masked name and phone last 4, and the
// tracking number in text and as a Code 128 barcode (drawn by the server,
// /v1/barcode), which the 1-D handheld scanners at counters read. One or a
// whole batch per print.
import { t } from "../shell/i18n.js";

const maskName = (name) => (name ? name[0] + "*".repeat(Math.max(1, [...name].length - 1)) : "");

function label(p) {
  const div = document.createElement("div");
  div.className = "label";
  const r = p.recipient || {};
  const code = document.createElement("div");
  code.className = "label-code";
  code.textContent = p.pickup_code || p.tracking_no;
  // A pickup code (3-2-4817) fills the width in large type; a shipping
  // label's tracking number would not fit 54 mm at that size.
  code.classList.toggle("long", code.textContent.length > 9);
  const who = document.createElement("div");
  who.textContent = `${maskName(r.name)} ${r.phone ? t("shelf.phone", { p: r.phone.slice(-4) }) : ""}`.trim();
  const img = document.createElement("img");
  img.className = "label-bars";
  img.alt = p.tracking_no;
  img.src = barcodeURL(p.tracking_no);
  const tn = document.createElement("div");
  tn.className = "label-tn";
  tn.textContent = `${p.carrier} ${p.tracking_no}`;
  div.append(code, who, img, tn);
  if (p.extra) {
    const x = document.createElement("div");
    x.textContent = p.extra;
    div.append(x);
  }
  return div;
}

const barcodeURL = (tn) => "/v1/barcode?text=" + encodeURIComponent(tn);

// BARCODES is the cache the service worker (sw.js) answers barcodes from.
const BARCODES = "tongpei-station-barcodes";
const MAX_BARCODES = 1000;

/**
 * keepBarcode puts a parcel's barcode in the service worker's cache now,
 * so that its label prints with no signal. It writes the cache itself: the
 * first scans of the day may come before the service worker controls the page.
 */
export function keepBarcode(tn) {
  if (!window.caches) return; // plain http: no service worker either
  caches.open(BARCODES).then(async (c) => {
    if (await c.match(barcodeURL(tn))) return;
    await c.add(barcodeURL(tn));
    const keys = await c.keys(); // oldest first: a shelf holds far fewer than this
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_BARCODES))) await c.delete(k);
  }).catch(() => {});
}

/** printLabels lays out one label per parcel and opens the print dialog once the barcodes load. */
export async function printLabels(parcels) {
  let area = document.getElementById("print-area");
  if (!area) {
    area = document.createElement("div");
    area.id = "print-area";
    document.body.append(area);
  }
  area.replaceChildren(...parcels.map(label));
  await Promise.all([...area.querySelectorAll("img")].map((img) => img.complete ? null : new Promise((ok) => { img.onload = img.onerror = ok; })));
  window.print();
}

// up: farm produce going up. The keeper weighs and measures the box, picks
// the destination province and the sender (a certified merchant or a
// walk-in), enters the goods value the sender declares and the packaging
// (both count on the county's scorecard: station transaction volume and
// 新平礼好 branded boxes), sees each carrier's quote (the certified band
// price or the standard price, with the saving), picks one; the parcel is
// created and accepted at the station, and its shipping label prints.
//
// With no signal there is no quote: the keeper picks one of the carriers
// last quoted and the acceptance queues (outbox.enqueueUp); it is quoted,
// registered and accepted when the signal returns, and listed here until
// then, with a label to print once it is through.
import { t } from "../shell/i18n.js";
import { api } from "../shell/api.js";
import * as outbox from "./outbox.js";
import * as feedback from "./feedback.js";
import { printLabels } from "./labels.js";
import { scanText } from "./words.js";

const CARRIERS_KEY = "tongpei.up.carriers";
const $ = (id) => document.getElementById(id);
const yuan = (fen) => "¥" + (fen / 100).toFixed(2);
let quote = null;
let station = "";
const synced = new Map(); // queued acceptance id → its outcome, shown until the page reloads

function request() {
  const num = (id) => Math.round(Number($(id).value) || 0);
  const req = {
    weight_g: Math.round((Number($("up-weight").value) || 0) * 1000),
    size_cm: { l: num("up-l"), w: num("up-w"), h: num("up-h") },
    destination: { province: $("up-province").value.trim() },
    category: $("up-category").value,
  };
  const m = $("up-merchant").value.trim();
  if (m) req.merchant_id = m;
  return req;
}

/** parcel is the up parcel the form describes, without carrier and quote. */
function parcel(req) {
  const sender = req.merchant_id ? { merchant_id: req.merchant_id } : { name: $("up-sender").value.trim(), phone: $("up-phone").value.trim() };
  return {
    direction: "up", station, sender, weight_g: req.weight_g, size_cm: req.size_cm,
    category: req.category, destination: req.destination,
    declared_value_fen: Math.round((Number($("up-value").value) || 0) * 100),
    packaging: $("up-packaging").value,
  };
}

function message(text, cls) {
  $("up-msg").className = cls;
  $("up-msg").textContent = text;
}

function lineItem(carrier, priceText, whyText, button, onPick) {
  const li = document.createElement("li");
  li.dataset.carrier = carrier;
  const left = document.createElement("div");
  const price = document.createElement("div");
  price.className = "price";
  price.textContent = priceText;
  const why = document.createElement("div");
  why.className = "muted";
  why.textContent = whyText;
  left.append(price, why);
  const pick = document.createElement("button");
  pick.type = "button";
  pick.className = "primary ship";
  pick.textContent = button;
  pick.addEventListener("click", onPick);
  li.append(left, pick);
  return li;
}

function renderLines(q) {
  $("up-lines").replaceChildren(...q.lines.map((l) => lineItem(l.carrier, `${l.carrier} ${yuan(l.price_fen)}`,
    l.certified
      ? t("up.certified", { base: yuan(l.baseline_fen), save: yuan(l.saving_fen), pct: (l.saving_pct).toFixed(1) })
      : t("up.standard"),
    t("up.ship"), () => ship(l))));
}

/** renderOffline offers the carriers last quoted, to accept now and quote on sync. */
function renderOffline() {
  const carriers = JSON.parse(localStorage.getItem(CARRIERS_KEY) || "[]");
  $("up-lines").replaceChildren(...carriers.map((c) => lineItem(c, c, t("up.offline_price"), t("up.accept_offline"), () => acceptOffline(c))));
  message(carriers.length ? t("up.offline") : t("up.offline_never"), "error");
}

async function ship(line) {
  const req = request();
  const body = { ...parcel(req), carrier: line.carrier, quote_id: quote.quote_id };
  let p;
  try {
    p = await api("POST", "/v1/parcels", body);
  } catch (e) {
    if (e.status === 0) { await acceptOffline(line.carrier); return; }
    message(e.text ? e.text() : String(e), "error");
    feedback.refused();
    return;
  }
  await outbox.enqueue({ kind: "accepted", station, carrier: p.carrier, tracking_no: p.tracking_no });
  message(t("up.done", { tn: p.tracking_no, price: yuan(line.price_fen) }), "ok");
  $("up-lines").replaceChildren();
  // The next box is another parcel: nothing of this one is left in the form.
  $("up-form").reset();
  feedback.accepted();
  printLabels([shippingLabel(p, req.destination.province, line.price_fen)]);
}

function shippingLabel(p, province, priceFen) {
  return { ...p, pickup_code: p.tracking_no, recipient: null, extra: `${province} · ${yuan(priceFen)}` };
}

async function acceptOffline(carrier) {
  const req = request();
  if (!req.weight_g || !req.destination.province) { message(t("up.need_weight"), "error"); return; }
  const u = await outbox.enqueueUp({ station, carrier, quote: req, parcel: { ...parcel(req), tracking_no: outbox.offlineTrackingNo() } });
  message(t("up.queued", { tn: u.parcel.tracking_no }), "ok");
  $("up-lines").replaceChildren();
  $("up-form").reset();
  feedback.accepted();
  renderQueued();
}

/** renderQueued lists the acceptances waiting for a signal and those synced since. */
async function renderQueued() {
  const waiting = await outbox.queuedUps();
  const items = [
    ...waiting.map((u) => ({ u, cls: "pending" })),
    ...[...synced.values()].filter((s) => !waiting.some((u) => u.id === s.u.id)),
  ];
  // Said at render time, so the language switch says it again.
  const say = ({ cls, result, price }) => cls === "pending" ? t("up.waiting_sync")
    : cls === "rejected" ? scanText(result.code, result.detail, result.from) : t("up.synced", { price: yuan(price) });
  $("up-queued-heading").hidden = items.length === 0;
  $("up-queued").replaceChildren(...items.map((it) => {
    const { u, cls, price } = it;
    const text = say(it);
    const li = document.createElement("li");
    li.className = cls;
    li.dataset.tn = u.parcel.tracking_no;
    li.textContent = `${u.carrier} ${u.parcel.tracking_no} · ${u.parcel.destination.province} — ${text} `;
    if (cls === "accepted") {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "secondary";
      b.textContent = t("label.print");
      b.addEventListener("click", () => printLabels([shippingLabel({ carrier: u.carrier, tracking_no: u.parcel.tracking_no }, u.parcel.destination.province, price)]));
      li.append(b);
    }
    return li;
  }));
}

export function mountUp(code) {
  station = code;
  $("up-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("up-msg").textContent = "";
    // The lines of an earlier quote never stand for this parcel.
    $("up-lines").replaceChildren();
    quote = null;
    try {
      quote = await api("POST", "/v1/pricing/quotes", request());
      localStorage.setItem(CARRIERS_KEY, JSON.stringify(quote.lines.map((l) => l.carrier)));
      renderLines(quote);
    } catch (e) {
      $("up-lines").replaceChildren();
      if (e.status === 0) { renderOffline(); return; }
      message(e.text ? e.text() : String(e), "error");
    }
  });
  outbox.onChange((ev) => {
    if (ev.kind === "answered" && ev.up) {
      const r = ev.result;
      synced.set(ev.up.id, r.status === "rejected"
        ? { u: ev.up, result: r, cls: "rejected" }
        : { u: ev.up, cls: "accepted", price: r.price_fen });
    }
    if (ev.kind === "answered" || ev.kind === "queued" || ev.kind === "synced") renderQueued();
  });
  window.addEventListener("tongpei:lang", renderQueued);
  renderQueued();
  return { shown: renderQueued };
}

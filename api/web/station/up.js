// up: farm produce going up. The keeper weighs and measures the box, picks
// the destination province and the sender (a certified merchant or a
// walk-in), sees each carrier's quote (the certified band price or the
// standard price, with the saving), picks one; the parcel is created and
// accepted at the station, and its shipping label prints.
import { t } from "../shell/i18n.js";
import { api } from "../shell/api.js";
import * as outbox from "./outbox.js";
import * as feedback from "./feedback.js";
import { printLabels } from "./labels.js";

const $ = (id) => document.getElementById(id);
const yuan = (fen) => "¥" + (fen / 100).toFixed(2);
let quote = null;

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

function renderLines(q) {
  $("up-lines").replaceChildren(...q.lines.map((l) => {
    const li = document.createElement("li");
    li.dataset.carrier = l.carrier;
    const left = document.createElement("div");
    const price = document.createElement("div");
    price.className = "price";
    price.textContent = `${l.carrier} ${yuan(l.price_fen)}`;
    const why = document.createElement("div");
    why.className = "muted";
    why.textContent = l.certified
      ? t("up.certified", { base: yuan(l.baseline_fen), save: yuan(l.saving_fen), pct: (l.saving_pct).toFixed(1) })
      : t("up.standard");
    left.append(price, why);
    const pick = document.createElement("button");
    pick.type = "button";
    pick.className = "primary ship";
    pick.textContent = t("up.ship");
    pick.addEventListener("click", () => ship(l));
    li.append(left, pick);
    return li;
  }));
}

async function ship(line) {
  const req = request();
  const sender = req.merchant_id ? { merchant_id: req.merchant_id } : { name: $("up-sender").value.trim(), phone: $("up-phone").value.trim() };
  try {
    const p = await api("POST", "/v1/parcels", {
      direction: "up", carrier: line.carrier, station: station, sender, weight_g: req.weight_g, size_cm: req.size_cm,
      category: req.category, destination: req.destination, quote_id: quote.quote_id,
    });
    await outbox.enqueue({ kind: "accepted", station, carrier: p.carrier, tracking_no: p.tracking_no });
    $("up-msg").className = "ok";
    $("up-msg").textContent = t("up.done", { tn: p.tracking_no, price: yuan(line.price_fen) });
    $("up-lines").replaceChildren();
    feedback.accepted();
    printLabels([{ ...p, pickup_code: p.tracking_no, recipient: null, extra: `${req.destination.province} · ${yuan(line.price_fen)}` }]);
  } catch (e) {
    $("up-msg").className = "error";
    $("up-msg").textContent = e.text ? e.text() : String(e);
    feedback.refused();
  }
}

let station = "";

export function mountUp(code) {
  station = code;
  $("up-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("up-msg").textContent = "";
    try {
      quote = await api("POST", "/v1/pricing/quotes", request());
      renderLines(quote);
    } catch (e) {
      $("up-lines").replaceChildren();
      $("up-msg").className = "error";
      $("up-msg").textContent = e.status === 0 ? t("up.offline") : (e.text ? e.text() : String(e));
    }
  });
  return {};
}

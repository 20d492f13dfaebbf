// /merchant: an e-commerce firm's certificate and its expiry, its certified
// farm-produce rates, a quote (stored, to be charged at the station) and its
// shipments with their tracking.
import { addStrings, t, apply } from "/console/shell/i18n.js";
import { api } from "/console/shell/api.js";
import { requireSignIn } from "/console/shell/session.js";
import { mountHeader } from "/console/shell/header.js";
import { el, yuan, kg, pct } from "/console/lib/fmt.js";
import { stateName, showTimeline } from "/console/lib/parcels.js";

addStrings({
  "merchant.title": "电商企业 · 统配", "merchant.heading": "电商企业", "merchant.cert": "认证证书", "merchant.no_cert": "还没有认证：请向县物流中心申请，认证后寄农产品享受不高于标准价九折的价格。",
  "merchant.valid_until": "有效期至 {d}", "merchant.days_left": "还有 {n} 天", "merchant.state": "状态",
  "merchant.rates": "我的认证价（农产品，最低一家）", "merchant.zone": "目的地",
  "merchant.quote": "报价", "merchant.province": "目的地省份", "merchant.weight": "重量 (kg)", "merchant.category": "类别",
  "merchant.farm": "农产品", "merchant.general": "普通物品", "merchant.get_quote": "报价", "merchant.quote_id": "报价单号 {id}",
  "merchant.carrier": "快递公司", "merchant.price": "价格", "merchant.standard": "标准价", "merchant.saving": "节省",
  "merchant.shipments": "我的发货", "merchant.no_shipments": "还没有发货。", "merchant.tracking": "单号", "merchant.to": "目的地",
}, {
  "merchant.title": "Merchant · tongpei", "merchant.heading": "Merchant", "merchant.cert": "Certificate", "merchant.no_cert": "Not certified: apply at the county logistics centre; certified firms ship farm produce at 90 % of the standard price or less.",
  "merchant.valid_until": "valid until {d}", "merchant.days_left": "{n} days left", "merchant.state": "State",
  "merchant.rates": "My certified rates (farm produce, cheapest company)", "merchant.zone": "Destination",
  "merchant.quote": "Quote", "merchant.province": "Destination province", "merchant.weight": "Weight (kg)", "merchant.category": "Category",
  "merchant.farm": "Farm produce", "merchant.general": "General goods", "merchant.get_quote": "Quote", "merchant.quote_id": "Quote {id}",
  "merchant.carrier": "Company", "merchant.price": "Price", "merchant.standard": "Standard", "merchant.saving": "Saving",
  "merchant.shipments": "My shipments", "merchant.no_shipments": "No shipments yet.", "merchant.tracking": "Tracking no.", "merchant.to": "To",
});

const $ = (id) => document.getElementById(id);
const me = await requireSignIn(["merchant"]);
let board = null;
if (me) {
  mountHeader($("top"), "merchant.heading", me);
  $("quote").addEventListener("submit", quote);
  window.addEventListener("tongpei:lang", () => { loadCert(); drawRates(); loadShipments(); });
  apply();
  loadCert();
  api("GET", "/v1/pricing/board").then((b) => {
    board = b;
    $("province").replaceChildren(...b.zones.flatMap((z) => z.provinces).map((p) => el("option", { value: p.code, selected: p.code === "440000" }, p.name)));
    drawRates();
  });
  loadShipments();
}

async function loadCert() {
  const certs = (await api("GET", `/v1/merchants/${encodeURIComponent(me.scope)}/certification`)).items;
  const c = certs.find((x) => x.state === "certified") || certs[0];
  const left = c && c.valid_until ? Math.ceil((Date.parse(c.valid_until + "T23:59:59+08:00") - Date.now()) / 86400000) : null;
  $("cert").replaceChildren(el("h2", {}, t("merchant.cert")), c ? el("p", { id: "cert-line" },
    el("b", {}, c.certificate_no), " · ", el("span", { class: c.state === "certified" ? "ok" : "error" }, c.state), " · ",
    t("merchant.valid_until", { d: c.valid_until || "—" }), left != null ? ` (${t("merchant.days_left", { n: left })})` : "")
    : el("p", { class: "muted" }, t("merchant.no_cert")));
}

function drawRates() {
  if (!board) return;
  $("rates").replaceChildren(el("thead", {}, el("tr", {}, el("th", {}, t("merchant.zone")), board.weights_g.map((g) => el("th", { class: "n" }, kg(g))))),
    el("tbody", {}, board.zones.filter((z) => z.provinces.length).map((z) => el("tr", {}, el("td", {}, z.name),
      z.prices.map((p) => el("td", { class: "n" }, yuan(p.best_farm_fen)))))));
}

async function quote(ev) {
  ev.preventDefault();
  $("quote-error").textContent = "";
  for (const f of document.querySelectorAll("#quote .field-error")) f.textContent = "";
  try {
    const q = await api("POST", "/v1/pricing/quotes", { weight_g: Math.round(parseFloat($("weight").value) * 1000) || 0,
      destination: { province: $("province").value }, category: $("category").value });
    $("quote-result").replaceChildren(el("p", { class: "muted" }, t("merchant.quote_id", { id: q.quote_id })),
      el("table", {}, el("thead", {}, el("tr", {}, ["merchant.carrier", "merchant.price", "merchant.standard", "merchant.saving"].map((k) => el("th", {}, t(k))))),
        el("tbody", {}, q.lines.map((l) => el("tr", { "data-carrier": l.carrier, "data-price-fen": l.price_fen }, el("td", {}, l.carrier),
          el("td", {}, el("b", {}, yuan(l.price_fen))), el("td", {}, yuan(l.baseline_fen)), el("td", {}, pct(l.saving_pct)))))));
  } catch (e) {
    let placed = false;
    for (const f of (e.problem && e.problem.fields) || []) {
      const slot = document.querySelector(`#quote .field-error[data-field="${f.field}"]`);
      if (slot) { slot.textContent = f.reason; placed = true; }
    }
    if (!placed) $("quote-error").textContent = e.text();
  }
}

async function loadShipments() {
  const items = (await api("GET", "/v1/parcels?limit=100")).items;
  $("no-shipments").hidden = items.length > 0;
  $("shipments").replaceChildren(el("thead", {}, el("tr", {}, ["merchant.tracking", "merchant.carrier", "merchant.to", "merchant.state"].map((k) => el("th", {}, t(k))))),
    el("tbody", {}, items.map((p) => el("tr", { "data-tracking": p.tracking_no, style: "cursor:pointer", onclick: () => showTimeline(p) },
      el("td", {}, p.tracking_no), el("td", {}, p.carrier), el("td", {}, p.destination ? `${p.destination.province} ${p.destination.city || ""}` : "—"),
      el("td", {}, stateName(p.state))))));
}

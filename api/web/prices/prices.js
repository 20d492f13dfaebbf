// The public price page: the board in force, a calculator that prices
// exactly as a quote does, the certified firms and a certificate lookup.
// It needs no sign-in: the prices are public by the county's plan.
import { addStrings, apply, t as tt, lang, langButton } from "/console/shell/i18n.js";
import { api } from "/console/shell/api.js";
import { yuan, kg, pct, el } from "/console/lib/fmt.js";

// t reads this page's strings, with positional {0} slots.
const t = (key, ...args) => tt("prices." + key, Object.fromEntries(args.map((a, i) => [i, a])));

const dict = {
  zh: {
    title: "新平县农村物流 公开价格", print: "打印海报",
    lead: "县物流中心公布的快递价格：认证企业寄农产品，价格不高于标准价的九折，并在公布的价格区间内。所有价格为县城寄出、每件含税价。",
    board: "价格表", board_note: "标准价：未认证寄件人支付的价格（各快递公司中最低者）。认证价：认证企业寄农产品时各快递公司价格中最低者。区间：认证企业价格必须落在其中。",
    zone: "目的地", standard: "标准价", certified_farm: "认证农产品价", saving: "节省", farm_band: "农产品区间", general_band: "普通物品区间",
    calc: "运费计算", firm: "寄件企业", province: "目的地省份", weight: "重量 (kg)", category: "类别",
    farm_produce: "农产品", general: "普通物品", price_it: "计算", anyone: "未认证 / 个人",
    carrier: "快递公司", price: "价格", band: "区间", cert: "认证", yes: "是", no: "否", chargeable: "计费重量 {0}，目的地 {1}",
    firms: "认证企业名单", firm_name: "企业", cert_no: "证书编号", valid: "有效期", none: "暂无",
    lookup: "证书查询", look_up: "查询", state: "状态", certified: "有效", suspended: "暂停", revoked: "已撤销", expired: "已过期", applied: "申请中",
    not_found: "没有这个证书编号。", meta: "价格版本 {0} · 区间版本 {1} · {2}",
    footer: "价格由新平县物流配送中心公布；对价格有疑问请联系县物流中心。",
  },
  en: {
    title: "Xinping county delivery: public prices", print: "Print poster",
    lead: "The county logistics centre's published parcel prices. Certified firms shipping farm produce pay at most 90 % of the standard price, within the published band. Prices are per parcel from the county seat.",
    board: "Price board", board_note: "Standard: what a sender who is not certified pays (the cheapest company). Certified: the cheapest company's price to a certified firm for farm produce. Band: where a certified firm's price must lie.",
    zone: "Destination", standard: "Standard", certified_farm: "Certified farm produce", saving: "Saving", farm_band: "Farm band", general_band: "General band",
    calc: "Price a parcel", firm: "Sending firm", province: "Destination province", weight: "Weight (kg)", category: "Category",
    farm_produce: "Farm produce", general: "General goods", price_it: "Price it", anyone: "Not certified / private",
    carrier: "Company", price: "Price", band: "Band", cert: "Certified", yes: "yes", no: "no", chargeable: "Chargeable {0}, to {1}",
    firms: "Certified firms", firm_name: "Firm", cert_no: "Certificate no.", valid: "Valid", none: "none yet",
    lookup: "Check a certificate", look_up: "Check", state: "State", certified: "valid", suspended: "suspended", revoked: "revoked", expired: "expired", applied: "applied",
    not_found: "There is no certificate with this number.", meta: "zoning v{0} · bands v{1} · {2}",
    footer: "Prices published by the Xinping county logistics centre; ask the centre about any price.",
  },
};

const $ = (id) => document.getElementById(id);
let board = null;
let carriers = {};
let weightIdx = 1;

function carrierName(code) { return carriers[code] || code; }
function provinceNames(z) { return z.provinces.map((p) => p.name).join("、"); }

function drawMeta() {
  if (!board) return;
  $("board-meta").textContent = t("meta", board.zoning_version, board.band_version, new Date(board.at).toLocaleString(lang() === "zh" ? "zh-CN" : "en-GB"));
}

function drawWeights() {
  const box = $("weights");
  box.replaceChildren(...board.weights_g.map((g, i) => el("button", {
    type: "button", role: "tab", "aria-selected": String(i === weightIdx),
    onclick: () => { weightIdx = i; drawWeights(); drawCards(); },
  }, kg(g))));
}

function bandText(r) { return r.max_fen ? `${yuan(r.min_fen)}–${yuan(r.max_fen)}` : "—"; }

function drawCards() {
  $("cards").replaceChildren(...board.zones.filter((z) => z.provinces.length).map((z) => {
    const p = z.prices[weightIdx];
    return el("article", { class: "card", "data-zone": z.zone },
      el("h3", {}, z.name),
      el("div", { class: "provinces" }, provinceNames(z)),
      el("dl", {},
        el("dt", {}, t("standard")), el("dd", { "data-price": "standard" }, yuan(p.baseline_fen)),
        el("dt", {}, t("certified_farm")), el("dd", { class: "big", "data-price": "certified" }, yuan(p.best_farm_fen)),
        el("dt", {}, t("saving")), el("dd", { class: "save" }, pct(p.best_saving_pct)),
        el("dt", {}, t("farm_band")), el("dd", {}, bandText(p.farm_band)),
        el("dt", {}, t("general_band")), el("dd", {}, bandText(p.general_band))));
  }));
}

function drawMatrix() {
  const head = el("tr", {}, el("th", {}, t("zone")), board.weights_g.map((g) => el("th", {}, kg(g))));
  const rows = board.zones.filter((z) => z.provinces.length).map((z) => el("tr", { "data-zone": z.zone },
    el("td", {}, el("strong", {}, z.name), el("small", {}, provinceNames(z))),
    z.prices.map((p) => el("td", {},
      el("span", { class: "big" }, yuan(p.best_farm_fen)),
      el("small", {}, `${t("standard")} ${yuan(p.baseline_fen)} · ${t("saving")} ${pct(p.best_saving_pct)}`),
      el("small", {}, `${t("farm_band")} ${bandText(p.farm_band)}`),
      el("small", {}, `${t("general_band")} ${bandText(p.general_band)}`)))));
  $("matrix").replaceChildren(el("caption", { class: "note" }, t("certified_farm") + " / " + t("standard")), el("thead", {}, head), el("tbody", {}, rows));
}

async function loadBoard() {
  board = await api("GET", "/v1/pricing/board");
  carriers = Object.fromEntries(board.carriers.map((c) => [c.code, c.name]));
  const provinces = board.zones.flatMap((z) => z.provinces).sort((a, b) => a.code.localeCompare(b.code));
  $("province").replaceChildren(...provinces.map((p) => el("option", { value: p.code, selected: p.code === "310000" }, p.name)));
  drawAll();
}

async function loadFirms() {
  const firms = (await api("GET", "/v1/pricing/certified-firms")).items;
  const keep = $("firm").value;
  $("firm").replaceChildren(el("option", { value: "" }, t("anyone")),
    ...firms.map((f) => el("option", { value: f.merchant_id, selected: f.merchant_id === keep }, f.merchant_name)));
  const head = el("tr", {}, el("th", {}, t("firm_name")), el("th", {}, t("cert_no")), el("th", {}, t("valid")));
  const rows = firms.length ? firms.map((f) => el("tr", { "data-merchant": f.merchant_id },
    el("td", {}, f.merchant_name), el("td", {}, f.certificate_no), el("td", {}, `${f.valid_from} – ${f.valid_until}`)))
    : [el("tr", {}, el("td", { colspan: 3 }, t("none")))];
  $("firms").replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
}

function drawAll() {
  if (!board) return;
  drawMeta(); drawWeights(); drawCards(); drawMatrix();
}

let asked = 0;

async function priceIt(ev) {
  ev?.preventDefault();
  const mine = ++asked;
  for (const e of document.querySelectorAll("#calc .field-error")) e.textContent = "";
  $("calc-error").textContent = "";
  const grams = Math.round(parseFloat($("weight").value) * 1000);
  const q = new URLSearchParams({ weight_g: Number.isFinite(grams) ? grams : $("weight").value, province: $("province").value, category: $("category").value });
  if ($("firm").value) q.set("merchant_id", $("firm").value);
  try {
    const r = await api("GET", "/v1/pricing/price-check?" + q);
    if (mine !== asked) return; // a later request answers instead
    $("calc-result").dataset.for = `${q.get("merchant_id") || ""}/${r.destination.province}/${r.weight_g}`;
    const head = el("tr", {}, ["carrier", "price", "standard", "saving", "band", "cert"].map((k, i) => el("th", { class: i > 3 ? "opt" : null }, t(k))));
    const rows = r.lines.map((l) => el("tr", { "data-carrier": l.carrier, "data-price-fen": l.price_fen },
      el("td", {}, carrierName(l.carrier)), el("td", { class: "big" }, yuan(l.price_fen)), el("td", {}, yuan(l.baseline_fen)),
      el("td", { class: "save" }, l.saving_fen ? `${yuan(l.saving_fen)} (${pct(l.saving_pct)})` : "—"),
      el("td", { class: "opt" }, bandText(l.band)), el("td", { class: "opt" }, l.certified ? t("yes") : t("no"))));
    $("calc-result").replaceChildren(el("p", { class: "note" }, t("chargeable", kg(r.chargeable_weight_g), r.destination.province_name)),
      el("table", { class: "list" }, el("thead", {}, head), el("tbody", {}, rows)));
  } catch (e) {
    if (mine !== asked) return;
    let placed = false;
    for (const f of (e.problem && e.problem.fields) || []) {
      const slot = document.querySelector(`#calc .field-error[data-field="${f.field}"]`);
      if (slot) { slot.textContent = f.reason; placed = true; }
    }
    if (!placed) $("calc-error").textContent = e.text ? e.text() : e.message;
    $("calc-result").replaceChildren();
  }
}

async function lookUp(ev) {
  ev.preventDefault();
  const no = $("cert-no").value.trim();
  if (!no) return;
  try {
    const c = await api("GET", "/v1/certifications/" + encodeURIComponent(no));
    $("lookup-result").replaceChildren(el("p", {},
      el("span", { class: c.state === "certified" ? "cert-ok" : "cert-bad", id: "cert-state" }, t(c.state)), " ",
      c.merchant_name, el("br"), `${t("valid")}: ${c.valid_from || "—"} – ${c.valid_until || "—"}`));
  } catch (e) {
    $("lookup-result").replaceChildren(el("p", { class: "error" }, e.status === 404 ? t("not_found") : e.text()));
  }
}

const prefixed = (d) => Object.fromEntries(Object.entries(d).map(([k, v]) => ["prices." + k, v]));
addStrings(prefixed(dict.zh), prefixed(dict.en));
$("print").after(langButton());
apply();
window.addEventListener("tongpei:lang", () => { drawAll(); loadFirms().catch(() => {}); if ($("calc-result").childElementCount) priceIt(); });
$("print").addEventListener("click", () => window.print());
$("calc").addEventListener("submit", priceIt);
$("lookup").addEventListener("submit", lookUp);
Promise.all([loadBoard(), loadFirms()]).then(() => priceIt()).catch((e) => {
  $("board-meta").textContent = e.text ? e.text() : e.message;
});

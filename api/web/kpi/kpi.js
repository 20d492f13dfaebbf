// The authority's scorecard: the county plan's KPI table (target, actual,
// met or not) over a period, charts of the station tiers and the largest
// stations, the workbook download and the sales import. Every number is
// the API's (GET /v1/reports/kpi); the page only draws it.
import { addStrings, apply, t } from "/console/shell/i18n.js";
import { api, ApiError } from "/console/shell/api.js";
import { requireSignIn } from "/console/shell/session.js";
import { mountHeader } from "/console/shell/header.js";
import { yuan, el } from "/console/lib/fmt.js";
import { mountRounds } from "./rounds.js";
import { mountCalendar } from "./calendar.js";

addStrings({
  "kpi.title": "绩效目标完成情况", "kpi.from": "开始日期", "kpi.to": "结束日期", "kpi.show": "查看",
  "kpi.xlsx": "下载工作簿 (XLSX)", "kpi.csv": "下载 CSV", "kpi.demo": "含演示数据，不得作为正式报送依据",
  "kpi.scorecard": "指标完成情况", "kpi.tiers": "示范站点档次（目标与实际）", "kpi.top": "交易额前 15 名站点",
  "kpi.upload": "导入网络销售记录", "kpi.import": "导入", "kpi.notice_link": "奖励公示（公开页面）",
  "kpi.upload_note": "CSV 或 XLSX，表头：station, month, sales_fen, source（或 站点, 月份, 网络销售额(分), 来源）。有一行错误则整份不导入。",
  "kpi.item": "指标", "kpi.target": "目标", "kpi.actual": "实际", "kpi.status": "是否达标", "kpi.met": "达标", "kpi.missed": "未达标",
  "kpi.budget": "符合条件的奖励合计 {eligible}，预算 {budget}。", "kpi.over": "超出预算 {over}：候选站点按交易额排序，由领导小组研究确定。",
  "kpi.imported": "已导入 {rows} 行（{stations} 个站点，替换 {replaced} 条）。", "kpi.row": "行", "kpi.field": "字段", "kpi.reason": "原因",
  "kpi.target_bar": "目标", "kpi.actual_bar": "实际",
}, {
  "kpi.title": "Plan targets: progress", "kpi.from": "From", "kpi.to": "To", "kpi.show": "Show",
  "kpi.xlsx": "Download workbook (XLSX)", "kpi.csv": "Download CSV", "kpi.demo": "Contains demonstration data; not for official reporting",
  "kpi.scorecard": "Scorecard", "kpi.tiers": "Demonstration stations by tier (target and actual)", "kpi.top": "The 15 largest stations by volume",
  "kpi.upload": "Import online sales", "kpi.import": "Import", "kpi.notice_link": "Reward notices (public page)",
  "kpi.upload_note": "CSV or XLSX with the header station, month, sales_fen, source. One bad row and nothing of the file is imported.",
  "kpi.item": "Indicator", "kpi.target": "Target", "kpi.actual": "Actual", "kpi.status": "Status", "kpi.met": "met", "kpi.missed": "missed",
  "kpi.budget": "Eligible rewards {eligible} against a budget of {budget}.", "kpi.over": "Over budget by {over}: candidates are ranked by volume for the county to decide.",
  "kpi.imported": "Imported {rows} rows ({stations} stations, {replaced} replaced).", "kpi.row": "Row", "kpi.field": "Field", "kpi.reason": "Reason",
  "kpi.target_bar": "target", "kpi.actual_bar": "actual",
});

const $ = (id) => document.getElementById(id);
let report = null;

// The KPI lines, as the workbook's summary sheet has them.
function lines(r) {
  const out = r.stations_by_tier.map((tr, i) => ({
    item: tr.name + "站点", target: "≥" + tr.target,
    actual: i === r.stations_by_tier.length - 1 ? tr.at_least : tr.stations, met: tr.met, key: "tier" + tr.tier,
  }));
  const h = r.hub_tenants;
  out.push({ item: "县级物流仓储配送中心入驻快递企业", target: "≥" + h.express.target, actual: h.express.actual, met: h.express.met, key: "express" });
  out.push({ item: "县级物流仓储配送中心入驻大宗物流企业", target: "≥" + h.bulk.target, actual: h.bulk.actual, met: h.bulk.met, key: "bulk" });
  out.push({ item: "共同配送传统商贸企业", target: "≥" + h.trade.target, actual: h.trade.actual, met: h.trade.met, key: "trade" });
  const p = r.price_reduction;
  out.push({ item: "认证企业农产品快递发货价格降低幅度", target: "≥" + p.target_pct + "%", actual: p.reduction_pct.toFixed(2) + "%", met: p.met, key: "price" });
  const j = r.joint_delivery_saving;
  out.push({ item: "共同配送降低配送成本", target: ">0", actual: yuan(j.saving_fen) + " (" + j.saving_pct.toFixed(2) + "%)", met: j.met, key: "joint" });
  const b = r.branded_boxes;
  out.push({ item: "“新平礼好”品牌包装箱", target: "≥" + b.target, actual: b.boxes, met: b.met, key: "boxes" });
  return out;
}

function drawScorecard(r) {
  const head = el("tr", {}, el("th", {}, t("kpi.item")), el("th", {}, t("kpi.target")), el("th", {}, t("kpi.actual")), el("th", {}, t("kpi.status")));
  const rows = lines(r).map((l) => el("tr", { "data-kpi": l.key },
    el("td", {}, l.item), el("td", { class: "num" }, l.target), el("td", { class: "num actual" }, String(l.actual)),
    el("td", { class: l.met ? "met" : "missed" }, t(l.met ? "kpi.met" : "kpi.missed"))));
  $("scorecard").replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
}

// bars draws horizontal bars as inline SVG: no chart library, no CDN.
function bars(items, max) {
  const ns = "http://www.w3.org/2000/svg";
  // A phone gets a narrower drawing, so the text stays readable when scaled.
  const narrow = document.documentElement.clientWidth < 600;
  const rowH = 26, labelW = narrow ? 96 : 150, width = narrow ? 330 : 640;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${items.length * rowH + 8}`);
  items.forEach((it, i) => {
    const y = i * rowH + 4;
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", 0); label.setAttribute("y", y + 17); label.setAttribute("font-size", 13);
    label.textContent = it.label;
    const w = max > 0 ? ((width - labelW - (narrow ? 80 : 90)) * it.value) / max : 0;
    const rect = document.createElementNS(ns, "rect");
    rect.setAttribute("x", labelW); rect.setAttribute("y", y + 3); rect.setAttribute("height", 18);
    rect.setAttribute("width", Math.max(w, 1)); rect.setAttribute("fill", it.color || "#2f6fb3");
    const val = document.createElementNS(ns, "text");
    val.setAttribute("x", labelW + Math.max(w, 1) + 6); val.setAttribute("y", y + 17); val.setAttribute("font-size", 12);
    val.textContent = it.text;
    svg.append(label, rect, val);
  });
  return svg;
}

function drawCharts(r) {
  const items = [];
  r.stations_by_tier.forEach((tr, i) => {
    const actual = i === r.stations_by_tier.length - 1 ? tr.at_least : tr.stations;
    const band = "≥" + (tr.min_volume_fen / 1e6) + "万";
    items.push({ label: `${band} ${t("kpi.target_bar")}`, value: tr.target, text: String(tr.target), color: "#999" });
    items.push({ label: `${band} ${t("kpi.actual_bar")}`, value: actual, text: String(actual), color: tr.met ? "#2e8b57" : "#c0392b" });
  });
  $("tier-chart").replaceChildren(bars(items, Math.max(...items.map((i) => i.value))));
  const top = [...r.volumes].sort((a, b) => b.volume_fen - a.volume_fen).slice(0, 15)
    .map((v) => ({ label: v.name || v.station, value: v.volume_fen, text: yuan(v.volume_fen) }));
  $("volume-chart").replaceChildren(bars(top, top.length ? top[0].value : 0));
  const rw = r.rewards;
  let note = t("kpi.budget", { eligible: yuan(rw.eligible_fen), budget: yuan(rw.budget_fen) });
  if (rw.over_budget) note += " " + t("kpi.over", { over: yuan(rw.over_by_fen) });
  $("budget").textContent = note;
}

function draw() {
  if (!report) return;
  drawScorecard(report);
  drawCharts(report);
  $("demo").hidden = !report.demo_data;
}

function showError(e) {
  $("error").hidden = false;
  $("error").textContent = e instanceof ApiError ? e.text() : String(e);
}

async function load() {
  const q = `from=${$("from").value}&to=${$("to").value}`;
  $("xlsx").href = "/v1/reports/kpi?format=xlsx&" + q;
  $("csv").href = "/v1/reports/kpi?format=csv&" + q;
  $("error").hidden = true;
  try {
    report = await api("GET", "/v1/reports/kpi?" + q);
    document.body.dataset.loaded = q;
    draw();
  } catch (e) { showError(e); }
}

async function upload(ev) {
  ev.preventDefault();
  const f = $("file").files[0];
  if (!f) return;
  const out = $("upload-result");
  const resp = await fetch("/v1/kpi/sales?filename=" + encodeURIComponent(f.name), {
    method: "POST", credentials: "same-origin", body: f,
    headers: { "X-Tongpei-Csrf": "1", "Content-Type": f.name.toLowerCase().endsWith(".xlsx")
      ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv" },
  });
  const data = await resp.json().catch(() => ({}));
  if (resp.ok) {
    out.replaceChildren(el("p", {}, t("kpi.imported", data)));
    load();
    return;
  }
  const rows = (data.fields || []).map((fe) => {
    const m = /^rows\[(\d+)\]\.(.+)$/.exec(fe.field) || [null, "", fe.field];
    return el("tr", {}, el("td", {}, m[1]), el("td", {}, m[2]), el("td", {}, fe.reason));
  });
  out.replaceChildren(el("p", { class: "error" }, data.detail || data.title || resp.status),
    el("table", { class: "bad-rows" }, el("tr", {}, el("th", {}, t("kpi.row")), el("th", {}, t("kpi.field")), el("th", {}, t("kpi.reason"))), rows));
}

async function main() {
  const me = await requireSignIn(["admin"]);
  if (!me) return;
  mountHeader($("header"), "kpi.title", me);
  const y = new Date().getFullYear();
  $("from").value = `${y}-01-01`;
  $("to").value = `${y}-12-31`;
  $("period").addEventListener("submit", (e) => { e.preventDefault(); load(); });
  $("upload").addEventListener("submit", upload);
  window.addEventListener("tongpei:lang", draw);
  apply(document);
  load();
  mountRounds().catch(showError);
  $("cal-box").addEventListener("toggle", () => { if ($("cal-box").open && !$("cal-box").dataset.loaded) { $("cal-box").dataset.loaded = "1"; mountCalendar().catch(showError); } });
}
main();

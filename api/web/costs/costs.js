// The fleet's costs and the money: a carrier sees its monthly statement
// and, for each plan it was billed, the Shapley split with the simpler rules
// beside it; a keeper sees its station's fees; the county centre sees every
// account and any published plan's split.
import { addStrings, apply, lang, t } from "/console/shell/i18n.js";
import { api } from "/console/shell/api.js";
import { requireSignIn } from "/console/shell/session.js";
import { mountHeader } from "/console/shell/header.js";
import { yuan, el } from "/console/lib/fmt.js";

const zh = {
  title: "车队费用分摊与结算", month: "月份", show: "查看", csv: "下载 CSV", xlsx: "下载 Excel",
  plan: "计划编号", shares_of: "费用分摊", opening: "期初", debits: "借方（应付）", credits: "贷方（应收）", closing: "期末",
  owes: "期末为正：本账户应付；为负：应收。", date: "日期", kind: "类型", memo: "摘要", amount: "金额", balance: "余额",
  none: "本月没有记录。", details: "分摊明细", computing: "正在计算分摊（几十秒）…",
  queued: "计划发布后在后台计算分摊，排队中…", progress: "正在后台计算分摊：已求解 {valued}/{coalitions} 个联盟，{s} 秒…",
  fleet_share: "车队费用", station_fee: "驿站服务费", reversal: "冲正",
  split: "计划 {id}（{date}）共同配送费用 {total}", method_shapley_exact: "沙普利值（精确）", method_shapley_sampled: "沙普利值（抽样，95% 置信区间）",
  carrier: "快递公司", shapley: "沙普利分摊", alone: "单独配送成本", margin: "节省", per_parcel: "按件", per_kg: "按重量", per_stop: "按站点", standalone_proportional: "按单独成本比例",
  checks: "校验：分摊合计 {sum}{eff}；每家均低于单独配送成本{ir}；核心检查 {n} 个联盟，{v} 个更愿单干。",
  yes: " ✓", no: " ✗",
};
const en = {
  title: "Fleet cost shares and settlement", month: "Month", show: "Show", csv: "Download CSV", xlsx: "Download Excel",
  plan: "Plan no.", shares_of: "Cost shares", opening: "Opening", debits: "Debits (owed)", credits: "Credits (due)", closing: "Closing",
  owes: "A positive closing balance is owed by the account holder; negative is owed to it.", date: "Date", kind: "Kind", memo: "Memo", amount: "Amount", balance: "Balance",
  none: "Nothing this month.", details: "split", computing: "Computing the split (tens of seconds)…",
  queued: "The split is computed in the background once a plan is published; waiting its turn…", progress: "Computing the split in the background: {valued} of {coalitions} coalitions solved, {s} s…",
  fleet_share: "fleet cost", station_fee: "station fee", reversal: "reversal",
  split: "Plan {id} ({date}), joint delivery cost {total}", method_shapley_exact: "Shapley value (exact)", method_shapley_sampled: "Shapley value (sampled, 95 % interval)",
  carrier: "Company", shapley: "Shapley share", alone: "Alone", margin: "Saving", per_parcel: "Per parcel", per_kg: "Per kg", per_stop: "Per stop", standalone_proportional: "By stand-alone cost",
  checks: "Checks: shares sum to {sum}{eff}; everyone below its stand-alone cost{ir}; core checked on {n} coalitions, {v} would do better alone.",
  yes: " ✓", no: " ✗",
};
const prefixed = (d) => Object.fromEntries(Object.entries(d).map(([k, v]) => ["costs." + k, v]));
addStrings(prefixed(zh), prefixed(en));
const tt = (k, vars) => t("costs." + k, vars);
const $ = (id) => document.getElementById(id);

let statements = [];
let shares = null;

function showError(e) { $("error").textContent = e ? (e.text ? e.text() : String(e)) : ""; }

function links(month) {
  for (const f of ["csv", "xlsx"]) $(f).href = `/v1/settlement/statements?month=${month}&format=${f}`;
}

async function loadMonth() {
  const month = $("month").value;
  links(month);
  showError(null);
  try {
    statements = (await api("GET", `/v1/settlement/statements?month=${encodeURIComponent(month)}`)).items;
  } catch (e) { statements = []; showError(e); }
  drawStatements();
}

function drawStatements() {
  const box = $("statements");
  if (!statements.length) { box.replaceChildren(el("p", { class: "card note" }, tt("none"))); return; }
  box.replaceChildren(...statements.map((st) => el("article", { class: "card statement", "data-account": st.account },
    el("h2", {}, st.account, " · ", st.month),
    el("p", { class: "totals" },
      el("span", {}, tt("opening"), " ", yuan(st.opening_fen)), el("span", {}, tt("debits"), " ", yuan(st.debits_fen)),
      el("span", {}, tt("credits"), " ", yuan(st.credits_fen)), el("strong", { class: "closing" }, tt("closing"), " ", yuan(st.closing_fen))),
    el("p", { class: "note" }, tt("owes")),
    el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, ...["date", "kind", "memo", "amount", "balance"].map((k) => el("th", { class: k === "amount" || k === "balance" ? "num" : null }, tt(k))))),
      el("tbody", {}, ...st.lines.map((ln) => el("tr", {},
        el("td", {}, ln.date), el("td", {}, tt(ln.kind)),
        el("td", {}, lineText(ln), " ", planButton(ln)),
        el("td", { class: "num" }, yuan(ln.amount_fen)), el("td", { class: "num" }, yuan(ln.balance_fen))))))))));
}

// lineText is a statement line's text in the page's language: the ledger
// keeps Chinese in detail and memo, English in detail_en and memo_en.
function lineText(ln) {
  if (lang() === "en") return ln.detail_en || ln.memo_en || ln.detail || ln.memo;
  return ln.detail || ln.memo;
}

function planButton(ln) {
  const m = /^plan:(\d+)$/.exec(ln.source);
  if (!m || ln.kind !== "fleet_share") return null;
  return el("button", { type: "button", class: "link shares-btn", onclick: () => loadShares(m[1]) }, tt("details"));
}

async function loadShares(id) {
  showError(null);
  const box = $("shares");
  box.hidden = false;
  box.replaceChildren(el("p", { class: "card note" }, tt("computing")));
  // The split is computed in the background when the plan is published;
  // until it is stored the server answers 202 with its progress.
  for (;;) {
    try {
      shares = await api("GET", `/v1/dispatch/plans/${encodeURIComponent(id)}/cost-shares`, undefined, { retries: 0 });
    } catch (e) { shares = null; box.hidden = true; showError(e); return; }
    if (!shares || !shares.pending) break;
    const p = shares;
    shares = null;
    box.replaceChildren(el("p", { class: "card note progress" }, p.state === "computing" && p.coalitions
      ? tt("progress", { valued: p.valued, coalitions: p.coalitions, s: Math.round(p.elapsed_ms / 1000) })
      : tt(p.state === "computing" ? "computing" : "queued")));
    await new Promise((r) => setTimeout(r, 2000));
  }
  drawShares();
  box.scrollIntoView({ block: "start" });
}

function drawShares() {
  if (!shares) return;
  const cs = shares;
  const rules = ["per_parcel", "per_kg", "per_stop", "standalone_proportional"];
  const rule = (name, carrier) => {
    const r = (cs.alternatives || []).find((a) => a.rule === name);
    const s = r && r.shares.find((x) => x.carrier === carrier);
    return s ? yuan(s.share_fen) : "—";
  };
  const c = cs.checks;
  $("shares").replaceChildren(el("article", { class: "card" },
    el("h2", {}, tt("split", { id: cs.plan_id, date: cs.service_date, total: yuan(cs.total_fen) })),
    el("p", { class: "note" }, tt("method_" + cs.method)),
    el("div", { class: "table-wrap" }, el("table", { id: "share-table" },
      el("thead", {}, el("tr", {}, el("th", {}, tt("carrier")), el("th", { class: "num" }, tt("shapley")), el("th", { class: "num" }, tt("alone")),
        el("th", { class: "num" }, tt("margin")), ...rules.map((r) => el("th", { class: "num" }, tt(r))))),
      el("tbody", {}, ...cs.shares.map((s) => el("tr", { "data-carrier": s.carrier },
        el("td", {}, s.carrier),
        el("td", { class: "num share" }, yuan(s.share_fen), s.ci_half_width_fen ? ` ±${(s.ci_half_width_fen / 100).toFixed(2)}` : ""),
        el("td", { class: "num" }, yuan(s.standalone_fen)),
        el("td", { class: "num " + (s.margin_fen >= 0 ? "ok" : "bad") }, s.margin_pct.toFixed(1) + "%"),
        ...rules.map((r) => el("td", { class: "num" }, rule(r, s.carrier)))))))),
    el("p", { class: "note", id: "checks" }, tt("checks", {
      sum: yuan(c.sum_fen), eff: tt(c.efficient ? "yes" : "no"), ir: tt(c.individually_rational ? "yes" : "no"),
      n: c.core_coalitions, v: c.core_violations.length,
    }))));
}

async function main() {
  const me = await requireSignIn(["admin", "carrier", "keeper"]);
  if (!me) return;
  mountHeader($("top"), "costs.title", me);
  apply();
  const now = new Date();
  $("month").value = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
  const fromURL = new URLSearchParams(location.search).get("month");
  if (fromURL) $("month").value = fromURL;
  $("plan-form").hidden = me.role !== "admin";
  $("month-form").addEventListener("submit", (e) => { e.preventDefault(); loadMonth(); });
  $("plan-form").addEventListener("submit", (e) => { e.preventDefault(); loadShares($("plan-id").value.trim()); });
  window.addEventListener("tongpei:lang", () => { drawStatements(); drawShares(); });
  await loadMonth();
}

main();

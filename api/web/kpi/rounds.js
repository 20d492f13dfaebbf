// Reward rounds on /kpi (§四 of the plan): open a round over 12 months,
// review each candidate (approve, or reject with a reason, by a named
// person), then put the approved ones on public notice for 5 working days
// (the end comes from the working calendar) and see the notice as the
// public does. Every step is the API's (/v1/kpi/rounds…); the field errors
// of a 422 show beside the field (the registry's forms).
import { addStrings, t } from "/console/shell/i18n.js";
import { api } from "/console/shell/api.js";
import { yuan, el } from "/console/lib/fmt.js";
import "/console/ops/admin_strings.js";
import { makeForm } from "/console/ops/forms.js";
import { auditTable } from "./calendar.js";

addStrings({
  "rounds.title": "示范站点奖励评审", "rounds.open": "新建评审轮次", "rounds.first_month": "统计起始月份（共 12 个月）",
  "rounds.none": "还没有评审轮次。", "rounds.id": "轮次", "rounds.window": "统计月份", "rounds.candidates": "候选站点",
  "rounds.reviewed": "已评审", "rounds.notice": "公示期", "rounds.show": "打开", "rounds.by": "发起人",
  "rounds.station": "站点", "rounds.volume": "年交易额", "rounds.tier": "档次", "rounds.reward": "奖励", "rounds.rank": "排名",
  "rounds.status": "状态", "rounds.reason": "理由", "rounds.reviewer": "评审人", "rounds.decision": "结论",
  "rounds.approve": "通过", "rounds.reject": "不通过", "rounds.record": "记录评审", "rounds.review": "评审",
  "rounds.start": "公示开始日期", "rounds.start_notice": "开始公示", "rounds.notice_line": "公示期 {start} 至 {end}（5 个工作日）。",
  "rounds.see_notice": "查看公开公示", "rounds.within": "预算内", "rounds.beyond": "超出预算",
  "rounds.budget": "符合条件的奖励 {eligible}，预算 {budget}", "rounds.over": "，超出 {over}",
  "rounds.status.candidate": "待评审", "rounds.status.approved": "通过", "rounds.status.rejected": "不通过",
  "rounds.status.on_notice": "公示中", "rounds.status.payable": "可兑付", "rounds.all_reviewed": "全部候选站点已评审，可以开始公示。",
  "rounds.opened": "已新建第 {id} 轮。", "rounds.recorded": "已记录 {station} 的评审。", "rounds.noticed": "已开始公示，至 {end}。",
}, {
  "rounds.title": "Station reward reviews", "rounds.open": "Open a round", "rounds.first_month": "First of the 12 months",
  "rounds.none": "No round yet.", "rounds.id": "Round", "rounds.window": "Months", "rounds.candidates": "Candidates",
  "rounds.reviewed": "Reviewed", "rounds.notice": "Notice", "rounds.show": "Open", "rounds.by": "Opened by",
  "rounds.station": "Station", "rounds.volume": "Annual volume", "rounds.tier": "Tier", "rounds.reward": "Reward", "rounds.rank": "Rank",
  "rounds.status": "Status", "rounds.reason": "Reason", "rounds.reviewer": "Reviewer", "rounds.decision": "Decision",
  "rounds.approve": "approve", "rounds.reject": "reject", "rounds.record": "Record the review", "rounds.review": "Review",
  "rounds.start": "Notice starts on", "rounds.start_notice": "Start the notice", "rounds.notice_line": "On notice {start} to {end} (5 working days).",
  "rounds.see_notice": "See the public notice", "rounds.within": "within budget", "rounds.beyond": "beyond budget",
  "rounds.budget": "Eligible rewards {eligible} against a budget of {budget}", "rounds.over": ", over by {over}",
  "rounds.status.candidate": "to review", "rounds.status.approved": "approved", "rounds.status.rejected": "rejected",
  "rounds.status.on_notice": "on notice", "rounds.status.payable": "payable", "rounds.all_reviewed": "Every candidate is reviewed: the notice can start.",
  "rounds.opened": "Round {id} opened.", "rounds.recorded": "The review of {station} is recorded.", "rounds.noticed": "On notice until {end}.",
}); 

const $ = (id) => document.getElementById(id);
let rounds = [];
let round = null;

const openForm = makeForm({
  id: "round-form", submitKey: "rounds.open",
  fields: [{ name: "first_month", label: "rounds.first_month", initial: `${new Date().getFullYear()}-01` }],
  async onSubmit(body) {
    const r = await api("POST", "/v1/kpi/rounds", body);
    await loadRounds();
    await showRound(r.id);
    return t("rounds.opened", { id: r.id });
  },
});

const reviewForm = makeForm({
  id: "review-form", submitKey: "rounds.record",
  fields: [
    { name: "station", label: "rounds.station", type: "select",
      options: () => (round ? round.candidates.filter((c) => c.status === "candidate").map((c) => [c.station, `${c.name} ${c.station}`]) : []) },
    { name: "decision", label: "rounds.decision", type: "select", options: [["approve", "rounds.approve"], ["reject", "rounds.reject"]] },
    { name: "reviewer", label: "rounds.reviewer" },
    { name: "reason", label: "rounds.reason", wide: true },
  ],
  async onSubmit(body) {
    round = await api("POST", `/v1/kpi/rounds/${round.id}/reviews`, body);
    drawRound();
    loadRounds();
    return t("rounds.recorded", { station: body.station });
  },
});

const noticeForm = makeForm({
  id: "notice-form", submitKey: "rounds.start_notice",
  fields: [{ name: "start", label: "rounds.start", type: "date", initial: new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" }) }],
  async onSubmit(body) {
    round = await api("POST", `/v1/kpi/rounds/${round.id}/notice`, body);
    drawRound();
    loadRounds();
    return t("rounds.noticed", { end: round.notice_end });
  },
});

const reviewedOf = (r) => r.candidates.filter((c) => c.status !== "candidate").length;

function drawList() {
  $("rounds-none").hidden = rounds.length > 0;
  $("rounds-list").replaceChildren(el("table", { id: "rounds-table" },
    el("thead", {}, el("tr", {}, ["rounds.id", "rounds.window", "rounds.candidates", "rounds.reviewed", "rounds.notice", ""].map((k) => el("th", {}, k ? t(k) : "")))),
    el("tbody", {}, rounds.map((r) => el("tr", { "data-round": r.id, class: round && round.id === r.id ? "current" : null },
      el("td", {}, "#" + r.id), el("td", {}, `${r.window.first_month} – ${r.window.last_month}`),
      el("td", { class: "num" }, r.candidates.length), el("td", { class: "num" }, reviewedOf(r)),
      el("td", {}, r.notice_start ? `${r.notice_start} – ${r.notice_end}` : "—"),
      el("td", {}, el("button", { type: "button", class: "secondary small", onclick: () => showRound(r.id) }, t("rounds.show"))))))));
}

function drawRound() {
  if (!round) return;
  const box = $("round-view");
  box.hidden = false;
  box.dataset.round = round.id;
  $("round-title").textContent = `${t("rounds.id")} #${round.id} · ${round.window.first_month} – ${round.window.last_month} · ${t("rounds.by")} ${round.created_by}`;
  $("round-budget").textContent = t("rounds.budget", { eligible: yuan(round.eligible_fen), budget: yuan(round.budget_fen) }) +
    (round.over_by_fen > 0 ? t("rounds.over", { over: yuan(round.over_by_fen) }) : "") + "。";
  $("round-candidates").replaceChildren(el("table", { id: "candidates-table" },
    el("thead", {}, el("tr", {}, ["rounds.rank", "rounds.station", "rounds.volume", "rounds.tier", "rounds.reward", "rounds.status", "rounds.reviewer", "rounds.reason"]
      .map((k) => el("th", {}, t(k))))),
    el("tbody", {}, round.candidates.map((c) => el("tr", { "data-station": c.station, "data-status": c.status },
      el("td", { class: "num" }, c.rank), el("td", {}, `${c.name} ${c.station}`), el("td", { class: "num" }, yuan(c.volume_fen)),
      el("td", { class: "num" }, c.tier), el("td", { class: "num" + (c.within_budget ? "" : " missed") }, yuan(c.reward_fen)),
      el("td", { class: "status " + c.status }, t("rounds.status." + c.status)), el("td", {}, c.reviewed_by || ""), el("td", {}, c.reason || ""))))));
  const open = round.candidates.some((c) => c.status === "candidate");
  $("review-box").hidden = !open || !!round.notice_start;
  $("notice-box").hidden = open || !!round.notice_start;
  $("all-reviewed").hidden = open || !!round.notice_start;
  reviewForm.relabel();
  const shown = round.id;
  auditTable("round:" + round.id).then((tb) => { if (round && round.id === shown) $("round-audit").replaceChildren(tb); }).catch(() => {});
  const noticed = !!round.notice_start;
  $("round-notice").hidden = !noticed;
  if (noticed) {
    $("round-notice").replaceChildren(t("rounds.notice_line", { start: round.notice_start, end: round.notice_end }), " ",
      el("a", { href: "/notice", id: "see-notice" }, t("rounds.see_notice")));
  }
}

async function showRound(id) {
  round = await api("GET", "/v1/kpi/rounds/" + id);
  drawList();
  drawRound();
}

async function loadRounds() {
  rounds = (await api("GET", "/v1/kpi/rounds")).items;
  drawList();
}

/** mountRounds fills the rounds section of /kpi. */
export function mountRounds() {
  $("round-form-box").append(openForm.form);
  $("review-form-box").append(reviewForm.form);
  $("notice-form-box").append(noticeForm.form);
  window.addEventListener("tongpei:lang", () => { drawList(); drawRound(); });
  return loadRounds();
}

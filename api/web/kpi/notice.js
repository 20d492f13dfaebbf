// The public notice of station rewards (§四 of the plan): who was approved,
// with what volume, tier and reward, and the five working days of notice.
// No sign-in: anyone may read it.
import { addStrings, apply, t, langButton } from "/console/shell/i18n.js";
import { api, ApiError } from "/console/shell/api.js";
import { yuan, el } from "/console/lib/fmt.js";

addStrings({
  "notice.title": "电商示范站点奖补公示", "notice.none": "目前没有公示。",
  "notice.lead": "根据新平县电子商务进农村综合示范项目后续实施方案，经领导小组审核通过的示范站点奖补名单公示5个工作日。公示期内如有异议，请向县电子商务工作领导小组办公室反映。",
  "notice.period": "公示期：{start} 至 {end}（{state}）", "notice.window": "交易额统计月份：{first} 至 {last}",
  "notice.open": "公示中", "notice.closed": "已结束", "notice.station": "站点", "notice.township": "乡镇",
  "notice.volume": "年交易额", "notice.tier": "档次", "notice.reward": "奖励",
}, {
  "notice.title": "Public notice: demonstration station rewards", "notice.none": "No notice at present.",
  "notice.lead": "The stations the county's e-commerce leading group approved for a reward, on public notice for 5 working days. Objections during the notice go to the leading group's office.",
  "notice.period": "Notice: {start} to {end} ({state})", "notice.window": "Volumes over {first} to {last}",
  "notice.open": "open", "notice.closed": "closed", "notice.station": "Station", "notice.township": "Township",
  "notice.volume": "Annual volume", "notice.tier": "Tier", "notice.reward": "Reward",
});

let notices = [];

function draw() {
  const box = document.getElementById("notices");
  if (!notices.length) { box.replaceChildren(el("p", {}, t("notice.none"))); return; }
  box.replaceChildren(...notices.map((n) => el("section", { class: "card", "data-round": n.round_id },
    el("h2", {}, t("notice.period", { start: n.notice_start, end: n.notice_end, state: t(n.open ? "notice.open" : "notice.closed") })),
    el("p", { class: "note" }, t("notice.window", { first: n.window.first_month, last: n.window.last_month })),
    el("div", { class: "table-wrap" }, el("table", {},
      el("tr", {}, ["station", "township", "volume", "tier", "reward"].map((k) => el("th", {}, t("notice." + k)))),
      n.stations.map((s) => el("tr", {}, el("td", {}, s.name), el("td", {}, s.township),
        el("td", { class: "num" }, yuan(s.volume_fen)), el("td", { class: "num" }, s.tier), el("td", { class: "num reward" }, yuan(s.reward_fen)))))))));
}

async function main() {
  document.getElementById("lang").append(langButton());
  window.addEventListener("tongpei:lang", draw);
  apply(document);
  try {
    notices = (await api("GET", "/v1/public/reward-notices")).items;
  } catch (e) {
    document.getElementById("notices").textContent = e instanceof ApiError ? e.text() : String(e);
    return;
  }
  draw();
  document.body.dataset.loaded = "1";
}
main();

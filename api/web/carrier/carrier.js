// /carrier: an express company's own parcels (search, state, timeline) and
// its dispatch jobs with the acknowledgement the county centre waits for.
import { addStrings, t, apply } from "/console/shell/i18n.js";
import { api } from "/console/shell/api.js";
import { requireSignIn } from "/console/shell/session.js";
import { mountHeader } from "/console/shell/header.js";
import { el } from "/console/lib/fmt.js";
import { STATES, stateName, showTimeline } from "/console/lib/parcels.js";

addStrings({
  "carrier.title": "快递公司 · 统配", "carrier.heading": "快递公司", "carrier.jobs": "调度任务", "carrier.no_jobs": "暂无任务。",
  "carrier.parcels": "我的包裹", "carrier.search": "单号或手机尾号", "carrier.find": "查找", "carrier.all": "全部状态",
  "carrier.kind": "类型", "carrier.plan": "方案", "carrier.sent": "发送", "carrier.ack": "确认收到", "carrier.acked": "已确认",
  "carrier.tracking": "单号", "carrier.station": "站点", "carrier.state": "状态", "carrier.direction": "方向", "carrier.down": "下行", "carrier.up": "上行",
}, {
  "carrier.title": "Carrier · tongpei", "carrier.heading": "Carrier", "carrier.jobs": "Dispatch jobs", "carrier.no_jobs": "No jobs yet.",
  "carrier.parcels": "My parcels", "carrier.search": "Tracking no. or phone's last 4", "carrier.find": "Find", "carrier.all": "Every state",
  "carrier.kind": "Kind", "carrier.plan": "Plan", "carrier.sent": "Sent", "carrier.ack": "Acknowledge", "carrier.acked": "acknowledged",
  "carrier.tracking": "Tracking no.", "carrier.station": "Station", "carrier.state": "State", "carrier.direction": "Direction", "carrier.down": "down", "carrier.up": "up",
});

const $ = (id) => document.getElementById(id);
const me = await requireSignIn(["carrier"]);
if (me) {
  mountHeader($("top"), "carrier.heading", me);
  $("search").addEventListener("submit", (e) => { e.preventDefault(); loadParcels(); });
  window.addEventListener("tongpei:lang", () => { fillStates(); loadJobs(); loadParcels(); });
  fillStates();
  apply();
  loadJobs();
  loadParcels();
}

function fillStates() {
  const keep = $("state").value;
  $("state").replaceChildren(el("option", { value: "" }, t("carrier.all")), ...STATES.map((s) => el("option", { value: s, selected: s === keep }, stateName(s))));
}

async function loadJobs() {
  const jobs = (await api("GET", "/v1/dispatch/jobs?limit=100")).items;
  $("no-jobs").hidden = jobs.length > 0;
  const when = (iso) => new Date(iso).toLocaleString(undefined, { timeZone: "Asia/Shanghai" });
  $("jobs").replaceChildren(el("tbody", {}, jobs.map((j) => el("tr", { "data-job": j.id },
    el("td", {}, j.kind), el("td", {}, `${t("carrier.plan")} ${j.plan_id}`), el("td", {}, when(j.created_at)),
    el("td", {}, j.acked_at ? el("span", { class: "ok" }, t("carrier.acked")) : el("button", {
      class: "primary", type: "button", onclick: async (e) => { e.target.disabled = true; await api("POST", `/v1/dispatch/jobs/${j.id}/ack`); loadJobs(); },
    }, t("carrier.ack")))))));
}

async function loadParcels() {
  $("parcels-error").textContent = "";
  const q = new URLSearchParams({ limit: "100" });
  if ($("q").value.trim()) q.set("q", $("q").value.trim());
  if ($("state").value) q.set("state", $("state").value);
  try {
    const items = (await api("GET", "/v1/parcels?" + q)).items;
    $("parcels").replaceChildren(el("thead", {}, el("tr", {}, ["carrier.tracking", "carrier.direction", "carrier.station", "carrier.state"].map((k) => el("th", {}, t(k))))),
      el("tbody", {}, items.map((p) => el("tr", { "data-tracking": p.tracking_no, style: "cursor:pointer", onclick: () => showTimeline(p) },
        el("td", {}, p.tracking_no), el("td", {}, t("carrier." + p.direction)), el("td", {}, p.station), el("td", {}, stateName(p.state))))));
  } catch (e) {
    $("parcels-error").textContent = e.text();
  }
}

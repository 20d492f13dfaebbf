// /carrier: an express company's own parcels (search, state, timeline) and
// its dispatch jobs with the acknowledgement the county centre waits for.
import { addStrings, t, apply, has } from "/console/shell/i18n.js";
import { api } from "/console/shell/api.js";
import { requireSignIn } from "/console/shell/session.js";
import { mountHeader } from "/console/shell/header.js";
import { el } from "/console/lib/fmt.js";
import { STATES, stateName, showTimeline } from "/console/lib/parcels.js";
import { issueNATSFile } from "/console/lib/natsfile.js";

addStrings({
  "carrier.title": "快递公司 · 统配", "carrier.heading": "快递公司", "carrier.jobs": "调度任务", "carrier.no_jobs": "暂无任务。",
  "carrier.parcels": "我的包裹", "carrier.search": "单号或手机尾号", "carrier.find": "查找", "carrier.all": "全部状态",
  "carrier.kind": "类型", "carrier.plan": "方案", "carrier.sent": "发送", "carrier.ack": "确认收到", "carrier.acked": "已确认",
  "carrier.tracking": "单号", "carrier.station": "站点", "carrier.state": "状态", "carrier.direction": "方向", "carrier.down": "下行", "carrier.up": "上行",
  "carrier.job.pickup": "取件任务", "carrier.job.route": "配送路线",
  "carrier.events": "事件记录", "carrier.events_note": "最近登记的 20 件包裹的扫描事件，最新的在前。", "carrier.when": "时间", "carrier.event": "事件",
  "carrier.nats": "NATS 接入凭据", "carrier.nats_issue": "生成并下载凭据文件", "carrier.nats_done": "已生成 {user}，文件已下载。",
  "carrier.nats_note": "贵公司系统用它接收调度任务和包裹事件。密码只在生成时显示一次，请保存好文件；旧凭据由县中心吊销。",
  "carrier.nats_user": "用户名", "carrier.nats_created": "生成时间", "carrier.nats_revoked": "已吊销", "carrier.nats_active": "有效",
}, {
  "carrier.title": "Carrier · tongpei", "carrier.heading": "Carrier", "carrier.jobs": "Dispatch jobs", "carrier.no_jobs": "No jobs yet.",
  "carrier.parcels": "My parcels", "carrier.search": "Tracking no. or phone's last 4", "carrier.find": "Find", "carrier.all": "Every state",
  "carrier.kind": "Kind", "carrier.plan": "Plan", "carrier.sent": "Sent", "carrier.ack": "Acknowledge", "carrier.acked": "acknowledged",
  "carrier.tracking": "Tracking no.", "carrier.station": "Station", "carrier.state": "State", "carrier.direction": "Direction", "carrier.down": "down", "carrier.up": "up",
  "carrier.job.pickup": "pickup", "carrier.job.route": "route",
  "carrier.events": "Event log", "carrier.events_note": "The scans of the 20 parcels registered last, newest first.", "carrier.when": "When", "carrier.event": "Event",
  "carrier.nats": "NATS credentials", "carrier.nats_issue": "Issue and download the credentials file", "carrier.nats_done": "Issued {user}; the file is downloaded.",
  "carrier.nats_note": "Your systems use it to receive dispatch jobs and parcel events. The password is shown only when issued: keep the file. The county centre revokes old ones.",
  "carrier.nats_user": "User", "carrier.nats_created": "Issued", "carrier.nats_revoked": "revoked", "carrier.nats_active": "valid",
});

const $ = (id) => document.getElementById(id);
const me = await requireSignIn(["carrier"]);
if (me) {
  mountHeader($("top"), "carrier.heading", me);
  $("search").addEventListener("submit", (e) => { e.preventDefault(); loadParcels(); });
  window.addEventListener("tongpei:lang", () => { fillStates(); loadJobs(); loadParcels(); });
  $("nats-issue").addEventListener("click", issueNATS);
  $("events-box").addEventListener("toggle", () => { if ($("events-box").open) loadEvents(); });
  fillStates();
  apply();
  loadJobs();
  loadParcels();
  loadNATS();
}

// The carrier's NATS logins: the list (no passwords: only hashes are kept)
// and a new one, downloaded as a file the moment it is issued.
async function loadNATS() {
  try {
    const list = (await api("GET", `/v1/carriers/${me.scope}/nats-credentials`)).items;
    const when = (iso) => new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" });
    $("nats-list").replaceChildren(el("tbody", {}, list.map((c) => el("tr", { "data-user": c.user },
      el("td", {}, c.user), el("td", {}, c.name), el("td", {}, when(c.created_at)),
      el("td", { class: c.revoked_at ? "muted" : "ok" }, t(c.revoked_at ? "carrier.nats_revoked" : "carrier.nats_active"))))));
  } catch (e) {
    $("nats-result").className = "error";
    $("nats-result").textContent = e.text();
  }
}

async function issueNATS() {
  const out = $("nats-result");
  try {
    const cred = await issueNATSFile(me.scope, me.name, $("nats-link"));
    out.className = "ok";
    out.textContent = t("carrier.nats_done", { user: cred.user });
    loadNATS();
  } catch (e) {
    out.className = "error";
    out.textContent = e.text();
  }
}

function fillStates() {
  const keep = $("state").value;
  $("state").replaceChildren(el("option", { value: "" }, t("carrier.all")), ...STATES.map((s) => el("option", { value: s, selected: s === keep }, stateName(s))));
}

async function loadJobs() {
  const jobs = (await api("GET", "/v1/dispatch/jobs?limit=100")).items;
  $("no-jobs").hidden = jobs.length > 0;
  const when = (iso) => new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" });
  $("jobs").replaceChildren(el("tbody", {}, jobs.map((j) => el("tr", { "data-job": j.id },
    el("td", {}, has("carrier.job." + j.kind) ? t("carrier.job." + j.kind) : j.kind), el("td", {}, `${t("carrier.plan")} ${j.plan_id}`), el("td", {}, when(j.created_at)),
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

// loadEvents is the carrier's event log from the API it already has: the
// events of its 20 newest parcels (each read whole), merged newest first.
async function loadEvents() {
  const when = (iso) => new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" });
  try {
    const parcels = (await api("GET", "/v1/parcels?limit=20")).items;
    const full = [];
    for (let i = 0; i < parcels.length; i += 5) {
      full.push(...await Promise.all(parcels.slice(i, i + 5).map((p) =>
        api("GET", `/v1/parcels/${encodeURIComponent(p.carrier)}/${encodeURIComponent(p.tracking_no)}`))));
    }
    const events = full.flatMap((p) => (p.events || []).map((e) => ({ ...e, tracking_no: p.tracking_no })))
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    $("events").replaceChildren(el("thead", {}, el("tr", {}, ["carrier.when", "carrier.tracking", "carrier.event", "carrier.station"].map((k) => el("th", {}, t(k))))),
      el("tbody", {}, events.map((e) => el("tr", { "data-tracking": e.tracking_no, "data-kind": e.kind },
        el("td", {}, when(e.at)), el("td", {}, e.tracking_no), el("td", {}, stateName(e.kind)), el("td", {}, e.station || "")))));
  } catch (e) {
    $("parcels-error").textContent = e.text();
  }
}

// /ops: the county centre's day. The board of what waits, one button that
// plans the day in the background with a live bar (server-sent events) and
// a cancel, the day's plans side by side, and the chosen plan on a map.
import "./strings.js";
import { t, apply } from "/console/shell/i18n.js";
import { api } from "/console/shell/api.js";
import { requireSignIn } from "/console/shell/session.js";
import { mountHeader } from "/console/shell/header.js";
import { el, yuan } from "/console/lib/fmt.js";
import { showPlan } from "./plan.js";
import { showCompare } from "./compare.js";
import { setRoads } from "./map.js";

const $ = (id) => document.getElementById(id);
const me = await requireSignIn(["admin"]);
if (me) {
  mountHeader($("top"), "ops.heading", me);
  start();
}

let board = null;
let shownPlan = null;
let events = null;
const comparing = [];

const today = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
const kgOf = (g) => (g / 1000).toFixed(1);
const litresOf = (cm3) => (cm3 / 1000).toFixed(0);

function start() {
  $("date").value = new URLSearchParams(location.search).get("date") || today();
  $("date").addEventListener("change", () => { shownPlan = null; loadBoard(); });
  $("plan").addEventListener("click", planDay);
  $("cancel").addEventListener("click", cancelJob);
  window.addEventListener("tongpei:lang", () => { if (board) drawBoard(); });
  apply();
  // The roads come first, so the first map already draws them; a county
  // without an imported network (404) gets stations and routes only.
  api("GET", "/v1/road-network/features").then(setRoads, () => {}).finally(loadBoard);
}

async function loadBoard() {
  $("toolbar-error").textContent = "";
  try {
    board = await api("GET", "/v1/dispatch/day-board?date=" + $("date").value);
  } catch (e) {
    $("toolbar-error").textContent = e.text();
    return;
  }
  drawBoard();
  const running = board.jobs.find((j) => j.state === "queued" || j.state === "running");
  if (running && !events) follow(running);
  if (board.plans.length && (!shownPlan || !board.plans.some((p) => p.id === shownPlan))) openPlan(board.plans[0].id);
}

function tile(label, w, extra) {
  return el("div", { class: "tile" }, el("small", {}, label), el("b", {}, w.parcels), el("small", {},
    `${kgOf(w.weight_g)} ${t("ops.kg")} · ${litresOf(w.volume_cm3)} ${t("ops.litres")}`), extra);
}

function pairCells(p) {
  return [el("td", { class: "n" }, p.down.parcels), el("td", { class: "n" }, kgOf(p.down.weight_g)), el("td", { class: "n" }, litresOf(p.down.volume_cm3)),
    el("td", { class: "n" }, p.up.parcels), el("td", { class: "n" }, kgOf(p.up.weight_g)), el("td", { class: "n" }, litresOf(p.up.volume_cm3))];
}

function pairHead(first) {
  return el("thead", {}, el("tr", {}, el("th", {}, first),
    ...["ops.down", "ops.kg", "ops.litres", "ops.up", "ops.kg", "ops.litres"].map((k) => el("th", { class: "n" }, t(k)))));
}

function drawBoard() {
  const b = board;
  const waiting = b.stations.filter((s) => s.down.parcels + s.up.parcels > 0).length;
  $("tiles").replaceChildren(tile(t("ops.down"), b.totals.down), tile(t("ops.up"), b.totals.up),
    el("div", { class: "tile", id: "tile-leftovers" }, el("small", {}, t("ops.leftovers")), el("b", {}, b.leftovers)),
    el("div", { class: "tile" }, el("small", {}, t("ops.stations_waiting")), el("b", {}, waiting)));
  $("carriers").replaceChildren(pairHead(t("ops.carrier")), el("tbody", {}, b.carriers.map((c) =>
    el("tr", { "data-carrier": c.carrier }, el("td", {}, c.carrier), ...pairCells(c)))));
  $("towns").replaceChildren(pairHead(t("ops.township")), el("tbody", {}, b.townships.map((c) =>
    el("tr", {}, el("td", {}, `${c.township} (${c.stations})`), ...pairCells(c)))));
  $("stations").replaceChildren(pairHead(t("ops.station")), el("tbody", {}, b.stations.filter((s) => s.tier !== "county_hub").map((s) =>
    el("tr", { "data-station": s.code }, el("td", {}, `${s.name} ${s.code}`), ...pairCells(s)))));
  drawPlans();
}

function drawPlans() {
  const plans = board.plans;
  $("no-plans").hidden = plans.length > 0;
  $("compare-hint").hidden = plans.length < 2;
  const head = el("tr", {}, ["ops.version", "ops.status", "ops.vans", "ops.km", "ops.hours", "ops.cost", "ops.separate_cost", "ops.saving"]
    .map((k, i) => el("th", { class: i > 1 ? "n" : null }, t(k))), el("th", {}, t("ops.compare_col")));
  $("plans").replaceChildren(el("thead", {}, head), el("tbody", {}, plans.map((p) => el("tr", {
    "data-plan": p.id, class: p.id === shownPlan ? "current" : null, onclick: () => openPlan(p.id), style: "cursor:pointer",
  }, el("td", {}, "v" + p.version), el("td", {}, el("span", { class: "badge " + p.status }, t(p.status === "published" ? "ops.published_badge" : "ops.draft"))),
  el("td", { class: "n" }, p.joint.vehicles), el("td", { class: "n" }, p.joint.km.toFixed(1)), el("td", { class: "n" }, p.joint.hours.toFixed(1)),
  el("td", { class: "n" }, yuan(p.joint.cost_fen)), el("td", { class: "n" }, yuan(p.separate.cost_fen)), el("td", { class: "n" }, p.saving_pct.toFixed(1) + "%"),
  el("td", { onclick: (e) => e.stopPropagation() }, el("input", { type: "checkbox", class: "compare-pick", "data-plan": p.id, "aria-label": t("ops.compare_col"),
    checked: comparing.includes(p.id) || null, onchange: (e) => pickCompare(p.id, e.target.checked) }))))));
}

// pickCompare keeps the last two plans ticked and shows them side by side.
function pickCompare(id, on) {
  const i = comparing.indexOf(id);
  if (i >= 0) comparing.splice(i, 1);
  if (on) comparing.push(id);
  while (comparing.length > 2) comparing.shift();
  drawPlans();
  showCompare([...comparing].sort((a, b) => a - b), board.stations).catch((e) => { $("toolbar-error").textContent = e.text(); });
}

async function openPlan(id) {
  shownPlan = id;
  drawPlans();
  try {
    const plan = await api("GET", "/v1/dispatch/plans/" + id);
    showPlan(plan, board.stations, () => loadBoard());
  } catch (e) {
    $("toolbar-error").textContent = e.text();
  }
}

async function planDay() {
  $("toolbar-error").textContent = "";
  try {
    const job = await api("POST", "/v1/dispatch/plans", { service_date: $("date").value, time_limit: $("limit").value, balance: $("balance").value });
    follow(job);
  } catch (e) {
    $("toolbar-error").textContent = e.text();
  }
}

let current = null;

function phaseText(j) {
  const p = j.progress;
  if (j.state === "queued") return t("ops.queued", { pos: j.queue_position });
  if (j.state === "done") return t("ops.done");
  if (j.state === "cancelled") return t("ops.cancelled");
  if (j.state === "failed") return t("ops.failed", { detail: j.error ? j.error.detail : "" });
  const phase = p.phase.startsWith("separate:") ? t("ops.phase_separate", { carrier: p.phase.slice(9) })
    : p.phase === "joint" ? t("ops.phase_joint") : t("ops.preparing");
  const best = p.best_cost_fen != null ? " · " + t("ops.best", { cost: yuan(p.best_cost_fen) }) : "";
  return `${phase}${best} · ${t("ops.left", { s: Math.ceil(p.remaining_ms / 1000) })} · ${p.percent.toFixed(0)}%`;
}

function drawJob(j) {
  current = j;
  $("job").hidden = false;
  $("job").dataset.state = j.state;
  $("job-bar").value = j.progress.percent;
  $("job-text").textContent = phaseText(j);
  $("cancel").hidden = j.state !== "queued" && j.state !== "running";
  $("plan").disabled = !$("cancel").hidden;
}

// follow hears the job's events until it ends; the solve itself runs on
// the server whether or not this page stays open.
function follow(job) {
  drawJob(job);
  if (events) events.close();
  events = new EventSource(`/v1/dispatch/plan-jobs/${job.id}/events`);
  events.addEventListener("job", (ev) => {
    const j = JSON.parse(ev.data);
    drawJob(j);
    if (["done", "failed", "cancelled"].includes(j.state)) {
      events.close();
      events = null;
      if (j.plan_id) shownPlan = j.plan_id;
      loadBoard().then(() => { if (j.plan_id) openPlan(j.plan_id); });
    }
  });
}

async function cancelJob() {
  if (!current) return;
  try {
    drawJob(await api("DELETE", "/v1/dispatch/plan-jobs/" + current.id));
  } catch (e) {
    $("toolbar-error").textContent = e.text();
  }
}

// One plan: the saving, joint against separate, the map, the route list
// with each van's stops, times and load, the stations left out and why,
// the route sheets and the publish button.
import { t } from "/console/shell/i18n.js";
import { api } from "/console/shell/api.js";
import { el, yuan } from "/console/lib/fmt.js";
import { drawMap, highlight, colour, routeLines } from "./map.js";

const $ = (id) => document.getElementById(id);
const hhmm = (iso) => new Date(iso).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false });
const kg = (g) => (g / 1000).toFixed(0);
let plan = null;
let stations = [];
let onPublished = () => {};
let chosen = null;
let progressEvents = null;
let progress = null;
let lines = {};

window.addEventListener("tongpei:lang", () => { if (plan) draw(); });

/** showPlan draws plan; onChange hears a publish. */
export function showPlan(p, allStations, onChange) {
  plan = p;
  stations = allStations;
  onPublished = onChange;
  chosen = null;
  progress = null;
  lines = {};
  draw();
  watch();
  // The GeoJSON's lines follow; the map is redrawn with them when this
  // plan is still the one shown.
  planLines(p.id).then((l) => {
    if (plan !== p || !Object.keys(l).length) return;
    lines = l;
    drawMap($("map"), plan, stations, showStop, lines);
    highlight($("map"), chosen);
  });
}

/** planLines is each route's line in the plan's GeoJSON ({} when it cannot be read: straight legs then). */
export async function planLines(id) {
  try {
    return routeLines(await api("GET", `/v1/dispatch/plans/${id}?format=geojson`));
  } catch (e) {
    return {};
  }
}

// watch follows a published plan's scans as the server pushes them.
function watch() {
  if (progressEvents) { progressEvents.close(); progressEvents = null; }
  if (plan.status !== "published") return;
  progressEvents = new EventSource(`/v1/dispatch/plans/${plan.id}/progress/events`);
  progressEvents.addEventListener("progress", (ev) => { progress = JSON.parse(ev.data); drawProgress(); });
}

function drawProgress() {
  if (!progress) return;
  for (const rp of progress.routes) {
    const li = document.querySelector(`#routes > li[data-route="${rp.number}"]`);
    if (!li) continue;
    const x = rp.totals;
    li.classList.toggle("late", rp.late);
    li.querySelector(".progress").textContent = t("ops.progress", { loaded: x.loaded, arrived: x.arrived, picked: x.picked, drop: x.drop, taken: x.taken, collect: x.collect }) +
      (rp.late ? " · " + t("ops.late") : "");
  }
  $("day-progress").textContent = t("ops.progress", { loaded: progress.totals.loaded, arrived: progress.totals.arrived, picked: progress.totals.picked,
    drop: progress.totals.drop, taken: progress.totals.taken, collect: progress.totals.collect });
}

function draw() {
  $("plan-view").hidden = false;
  $("plan-view").dataset.plan = plan.id;
  $("plan-title").textContent = t("ops.plan_title", { date: plan.service_date, version: plan.version }) + " · " +
    t(plan.status === "published" ? "ops.published_badge" : "ops.draft");
  $("saving").replaceChildren(t("ops.saving_line"), " ", el("b", { id: "saving-pct" }, plan.saving_pct.toFixed(1) + "%"), " (",
    yuan(plan.separate.cost_fen - plan.joint.cost_fen), ")");
  const row = (name, x) => el("tr", {}, el("td", {}, name), el("td", { class: "n" }, x.vehicles), el("td", { class: "n" }, x.km.toFixed(1)),
    el("td", { class: "n" }, x.hours.toFixed(1)), el("td", { class: "n" }, yuan(x.cost_fen)));
  $("compare").replaceChildren(el("thead", {}, el("tr", {}, el("th", {}), ...["ops.vans", "ops.km", "ops.hours", "ops.cost"].map((k) => el("th", { class: "n" }, t(k))))),
    el("tbody", {}, row(t("ops.joint"), plan.joint), row(t("ops.separate"), plan.separate),
      ...plan.separate_by_carrier.map((c) => el("tr", { class: "muted" }, el("td", {}, "· " + c.carrier), el("td", { class: "n" }, c.vehicles),
        el("td", { class: "n" }, c.km.toFixed(1)), el("td", { class: "n" }, c.hours.toFixed(1)), el("td", { class: "n" }, yuan(c.cost_fen))))));
  drawModel();
  $("publish").hidden = plan.status === "published";
  $("publish").onclick = publish;
  $("publish-result").textContent = "";
  drawMap($("map"), plan, stations, showStop, lines);
  $("stop-info").hidden = true;
  drawRoutes();
  drawUnassigned();
  drawProgress();
}

// drawModel says how the vans' work was balanced, the longest day and the
// electric vans' range of the day (plans made before have no balance: off).
function drawModel() {
  const l = plan.longest || { km: 0, hours: 0, spread_s: 0 };
  let s = t("ops.model", { balance: t("ops.balance_" + (plan.balance || "off")), km: l.km.toFixed(1), hours: l.hours.toFixed(1),
    spread: (l.spread_s / 3600).toFixed(1) });
  if (l.target_s) s += " · " + t("ops.model_target", { hours: (l.target_s / 3600).toFixed(1) });
  if (plan.ev_range_km) s += " · " + t("ops.model_ev", { km: plan.ev_range_km });
  $("plan-model").textContent = s;
}

// rangeOf is a van's km against its range (an electric van's), or nothing.
function rangeOf(r) {
  return r.range_m ? ` / ${(r.range_m / 1000).toFixed(0)} ${t("ops.km")} ${t("ops.range")}` : "";
}

function choose(n) {
  chosen = chosen === n ? null : n;
  highlight($("map"), chosen);
  for (const li of $("routes").children) li.classList.toggle("on", li.dataset.route === String(chosen));
}

function drawRoutes() {
  $("routes").replaceChildren(...plan.routes.map((r) => {
    const drop = r.stops.reduce((n, s) => n + s.drop.length, 0), collect = r.stops.reduce((n, s) => n + s.collect.length, 0);
    const profile = [kg(r.start_load.weight_g), ...r.stops.map((s) => kg(s.load_after.weight_g))].join(" → ");
    const sheet = `/v1/dispatch/plans/${plan.id}/sheets/${r.number}?format=html`;
    return el("li", { "data-route": r.number, style: `--c:${colour(r.number)}`, onclick: () => choose(r.number) },
      el("div", {}, el("b", {}, `#${r.number} ${r.vehicle || r.vehicle_type}`), " · ", r.operator, " · ",
        el("a", { href: sheet, target: "_blank", class: "sheet", onclick: (e) => e.stopPropagation() }, t("ops.sheet"))),
      el("div", { class: "meta" }, `${t("ops.depart")} ${hhmm(r.depart)} · ${t("ops.back")} ${hhmm(r.return)} · ${(r.distance_m / 1000).toFixed(1)} ${t("ops.km")}${rangeOf(r)} · ${(r.duration_s / 3600).toFixed(1)} ${t("ops.hours")} · ${yuan(r.cost_fen)}`),
      el("div", { class: "meta" }, `${t("ops.drop")} ${drop} · ${t("ops.collect")} ${collect} · ${t("ops.load_profile")}: ${profile}`),
      el("div", { class: "meta progress" }),
      el("ol", {}, r.stops.map((s) => el("li", { "data-seq": s.seq }, `${hhmm(s.arrival)} ${s.station.name} (${s.drop.length}↓ ${s.collect.length}↑)`))));
  }));
}

function showStop(r, s) {
  const box = $("stop-info");
  box.hidden = false;
  const refs = (list) => list.slice(0, 12).map((p) => `${p.carrier} ${p.tracking_no}`).join(", ") + (list.length > 12 ? " …" : "");
  box.replaceChildren(el("h4", {}, `${s.station.name} ${s.station.code}`),
    el("div", { class: "muted" }, t("ops.stop", { route: r.number, seq: s.seq })),
    el("div", {}, `${t("ops.eta")} ${hhmm(s.arrival)}`),
    el("div", { id: "stop-drop" }, `${t("ops.drop")}: ${t("ops.parcels_n", { n: s.drop.length })} ${refs(s.drop)}`),
    el("div", {}, `${t("ops.collect")}: ${t("ops.parcels_n", { n: s.collect.length })} ${refs(s.collect)}`),
    el("div", {}, `${t("ops.load_after")}: ${kg(s.load_after.weight_g)} ${t("ops.kg")}, ${s.load_after.parcels} ${t("ops.parcels")}`),
    ...(s.station.keeper_name ? [el("div", {}, `${t("ops.keeper")}: ${s.station.keeper_name} ${s.station.keeper_phone || ""}`)] : []),
    ...stopProgress(r.number, s.seq));
}

// stopProgress is the stop's line of the live day, once the plan is out.
function stopProgress(route, seq) {
  const rp = progress && progress.routes.find((x) => x.number === route);
  const x = rp && rp.stops.find((y) => y.seq === seq);
  if (!x) return [];
  return [el("div", { class: x.late ? "error" : "ok", id: "stop-progress" }, t("ops.progress", x) + (x.late ? " · " + t("ops.late") : ""))];
}

function drawUnassigned() {
  $("none-unassigned").hidden = plan.unassigned.length > 0;
  $("unassigned").replaceChildren(el("tbody", {}, plan.unassigned.map((u) => el("tr", { "data-station": u.station },
    el("td", {}, u.station), el("td", {}, t("ops.parcels_n", { n: u.drop.length + u.collect.length })),
    el("td", {}, `${u.reason} [${u.code}]`)))));
}

async function publish() {
  try {
    const r = await api("POST", `/v1/dispatch/plans/${plan.id}/publish`);
    plan.status = "published";
    draw();
    watch();
    $("publish-result").textContent = t("ops.published", { jobs: r.items.length });
    onPublished();
  } catch (e) {
    $("publish-result").textContent = e.text();
  }
}

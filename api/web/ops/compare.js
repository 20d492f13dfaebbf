// compare: two plans of a day side by side, each on its own map with its
// totals, and the difference between them, so the county centre can pick
// the version to publish (issue 10: "several plans for a day can be
// compared side by side").
import { t } from "/console/shell/i18n.js";
import { api } from "/console/shell/api.js";
import { el, yuan } from "/console/lib/fmt.js";
import { drawMap, highlight } from "./map.js";
import { planLines } from "./plan.js";

const $ = (id) => document.getElementById(id);
const NS = "http://www.w3.org/2000/svg";
let shown = [];

window.addEventListener("tongpei:lang", () => { if (shown.length === 2) draw(); });

/** showCompare draws plans ids[0] and ids[1] side by side (fewer: hides the view). */
export async function showCompare(ids, stations) {
  if (ids.length !== 2) {
    $("compare-view").hidden = true;
    shown = [];
    return;
  }
  const plans = await Promise.all(ids.map((id) => api("GET", "/v1/dispatch/plans/" + id)));
  const lines = await Promise.all(ids.map(planLines));
  shown = plans.map((p, i) => ({ plan: p, lines: lines[i], stations }));
  draw();
}

function totals(p) {
  const row = (k, v) => el("tr", {}, el("th", {}, t(k)), el("td", { class: "n" }, v));
  return el("table", { class: "compare-totals" }, el("tbody", {},
    row("ops.vans", p.joint.vehicles), row("ops.km", p.joint.km.toFixed(1)), row("ops.hours", p.joint.hours.toFixed(1)),
    row("ops.cost", yuan(p.joint.cost_fen)), row("ops.separate_cost", yuan(p.separate.cost_fen)), row("ops.saving", p.saving_pct.toFixed(1) + "%"),
    row("ops.unassigned", p.unassigned.length)));
}

function draw() {
  $("compare-view").hidden = false;
  const [a, b] = shown.map((s) => s.plan);
  const diff = b.joint.cost_fen - a.joint.cost_fen;
  $("compare-diff").textContent = t("ops.compare_diff", { a: "v" + a.version, b: "v" + b.version,
    cost: (diff > 0 ? "+" : "") + yuan(diff), km: (b.joint.km - a.joint.km >= 0 ? "+" : "") + (b.joint.km - a.joint.km).toFixed(1) });
  $("compare-grid").replaceChildren(...shown.map(({ plan, lines, stations }) => {
    const map = document.createElementNS(NS, "svg");
    map.setAttribute("class", "compare-map");
    map.setAttribute("role", "img");
    map.setAttribute("aria-label", "map v" + plan.version);
    map.dataset.plan = plan.id;
    drawMap(map, plan, stations, (r) => highlight(map, r.number), lines);
    return el("div", { class: "card compare-card", "data-plan": plan.id },
      el("h3", {}, t("ops.plan_title", { date: plan.service_date, version: plan.version }) + " · " +
        t(plan.status === "published" ? "ops.published_badge" : "ops.draft")),
      map, totals(plan));
  }));
}

// A parcel's states and timeline as the carrier's and the merchant's pages
// show them.
import { addStrings, t } from "/console/shell/i18n.js";
import { api } from "/console/shell/api.js";
import { el } from "/console/lib/fmt.js";

export const STATES = ["registered", "hub_inbound", "sorted", "loaded", "station_arrival", "picked_up", "returned", "accepted", "handed_to_carrier", "problem"];
const zh = ["已登记", "已入县仓", "已分拣", "已装车", "已到站", "已取件", "已退回", "站点已收", "已交快递", "问题件"];
const en = ["registered", "at the hub", "sorted", "loaded", "at the station", "picked up", "returned", "accepted at the station", "handed to the carrier", "problem"];
addStrings(Object.fromEntries(STATES.map((s, i) => ["state." + s, zh[i]])), Object.fromEntries(STATES.map((s, i) => ["state." + s, en[i]])));

export const stateName = (s) => t("state." + s);

/** showTimeline reads the parcel whole and lists its events in #timeline. */
export async function showTimeline(p) {
  const full = await api("GET", `/v1/parcels/${encodeURIComponent(p.carrier)}/${encodeURIComponent(p.tracking_no)}`);
  document.getElementById("timeline-box").hidden = false;
  document.getElementById("timeline-title").textContent = `${full.carrier} ${full.tracking_no} · ${stateName(full.state)}`;
  document.getElementById("timeline").replaceChildren(...full.events.map((e) => el("li", {},
    `${new Date(e.at).toLocaleString(undefined, { timeZone: "Asia/Shanghai" })} · ${stateName(e.kind) || e.kind} · ${e.station || ""}`)));
  document.getElementById("timeline-box").scrollIntoView({ block: "nearest" });
}

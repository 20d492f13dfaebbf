// problems: the station's 问题件 (refused, damaged, wrong address, not
// collected), each waiting to go back to the county centre on the next
// route; returning one records that it left with the driver.
import { t } from "../shell/i18n.js";
import { api } from "../shell/api.js";
import { parcelItem } from "./shelf.js";

const $ = (id) => document.getElementById(id);

// reason reads the parcel's timeline for why it became a problem; the
// shelf list does not carry timelines.
async function reason(p, li) {
  try {
    const full = await api("GET", `/v1/parcels/${encodeURIComponent(p.carrier)}/${encodeURIComponent(p.tracking_no)}`);
    const last = (full.events || []).filter((e) => e.kind === "problem").pop();
    if (!last || !last.note) return;
    const why = document.createElement("div");
    why.className = "problem-why";
    why.textContent = `${t("problem.reason")}: ${t("problem." + last.note)}`;
    li.insertBefore(why, li.lastChild);
  } catch (e) { /* the reason is a help, not a need */ }
}

export function mountProblems(station) {
  async function render() {
    let items = [];
    try {
      items = (await api("GET", `/v1/stations/${encodeURIComponent(station)}/parcels?state=problem&limit=1000`)).items;
    } catch (e) { /* offline: nothing new to show */ }
    if (items.length === 0) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = t("problems.none");
      $("problem-list").replaceChildren(li);
      return;
    }
    $("problem-list").replaceChildren(...items.map((p) => {
      const li = parcelItem(p, { problem: false });
      reason(p, li);
      return li;
    }));
  }
  return { shown: render };
}

// today: the day's summary at the station, from the server. The last one
// seen is kept, so with no signal the keeper still sees the day as of then
// (and how many of the day's scans wait to be counted).
import { t, lang } from "../shell/i18n.js";
import { api } from "../shell/api.js";
import * as outbox from "./outbox.js";

const KEY = "tongpei.today";
const $ = (id) => document.getElementById(id);
const ROWS = ["arrived", "picked_up", "waiting", "overdue", "problems", "shipped_up"];

export function mountToday(station) {
  async function render() {
    let s = null;
    let note = "";
    try {
      s = await api("GET", `/v1/stations/${encodeURIComponent(station)}/summary?overdue_days=${Number(localStorage.getItem("tongpei.overdueDays")) || 3}`);
      localStorage.setItem(KEY, JSON.stringify({ station, at: Date.now(), s }));
    } catch (e) {
      const kept = JSON.parse(localStorage.getItem(KEY) || "null");
      // Only today's, and only this station's: yesterday's counts would mislead.
      if (kept && kept.station === station && new Date(kept.at).toDateString() === new Date().toDateString()) {
        s = kept.s;
        note = t("today.offline", { time: new Date(kept.at).toLocaleTimeString(lang() === "en" ? "en-GB" : "zh-CN"), n: await outbox.queued() });
      }
    }
    $("today-note").textContent = note;
    $("summary").replaceChildren(...ROWS.flatMap((k) => {
      const dt = document.createElement("dt");
      dt.textContent = t("today." + k);
      const dd = document.createElement("dd");
      dd.id = "today-" + k;
      dd.textContent = s ? s[k] : "–";
      return [dt, dd];
    }));
  }
  return { shown: render };
}

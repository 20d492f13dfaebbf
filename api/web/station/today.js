// today: the day's summary at the station, from the server.
import { t } from "../shell/i18n.js";
import { api } from "../shell/api.js";

const $ = (id) => document.getElementById(id);
const ROWS = ["arrived", "picked_up", "waiting", "overdue", "problems", "shipped_up"];

export function mountToday(station) {
  async function render() {
    let s = null;
    try {
      s = await api("GET", `/v1/stations/${encodeURIComponent(station)}/summary?overdue_days=${Number(localStorage.getItem("tongpei.overdueDays")) || 3}`);
    } catch (e) { s = null; }
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

// The working calendar on /kpi: the year's exceptions to Monday–Friday
// (statutory holidays off, adjusted weekend days worked), which the public
// notice's 5 working days are counted on; the county edits them here
// (PUT/DELETE /v1/kpi/calendar/{day}), and each edit is in the audit log.
import { addStrings, t } from "/console/shell/i18n.js";
import { api } from "/console/shell/api.js";
import { el } from "/console/lib/fmt.js";
import "/console/ops/admin_strings.js";
import { makeForm } from "/console/ops/forms.js";

addStrings({
  "cal.title": "工作日历（法定节假日与调休）", "cal.year": "年份", "cal.day": "日期", "cal.working": "上班", "cal.name": "名称",
  "cal.set": "保存这一天", "cal.off": "休息", "cal.on": "上班", "cal.remove": "删除", "cal.kind": "类型",
  "cal.note": "未列出的日子按周一至周五上班计。公示期按这里的工作日计算。", "cal.audit": "审计记录", "cal.when": "时间", "cal.who": "操作人", "cal.what": "操作",
}, {
  "cal.title": "Working calendar (holidays and adjusted days)", "cal.year": "Year", "cal.day": "Day", "cal.working": "Worked", "cal.name": "Name",
  "cal.set": "Save the day", "cal.off": "off", "cal.on": "worked", "cal.remove": "Remove", "cal.kind": "Kind",
  "cal.note": "Days not listed are worked Monday to Friday. The public notice counts these working days.", "cal.audit": "Audit log", "cal.when": "When", "cal.who": "By", "cal.what": "Action",
});

const $ = (id) => document.getElementById(id);
let year = new Date().getFullYear();
let days = [];

const dayForm = makeForm({
  id: "cal-form", submitKey: "cal.set",
  fields: [
    { name: "day", label: "cal.day", type: "date", send: false },
    { name: "name", label: "cal.name" },
    { name: "working", label: "cal.working", type: "check" },
  ],
  async onSubmit(body, _editing, value) {
    const d = await api("PUT", "/v1/kpi/calendar/" + encodeURIComponent(value("day")), body);
    year = Number(d.day.slice(0, 4));
    await loadCalendar();
  },
});

function draw() {
  $("cal-year").value = String(year);
  $("cal-list").replaceChildren(el("table", { id: "cal-table" },
    el("thead", {}, el("tr", {}, ["cal.day", "cal.name", "cal.kind", ""].map((k) => el("th", {}, k ? t(k) : "")))),
    el("tbody", {}, days.map((d) => el("tr", { "data-day": d.day },
      el("td", {}, d.day), el("td", {}, d.name), el("td", { class: d.working ? "met" : "missed" }, t(d.working ? "cal.on" : "cal.off")),
      el("td", {}, el("button", { type: "button", class: "secondary small", onclick: async () => {
        try { await api("DELETE", "/v1/kpi/calendar/" + d.day); } catch (e) { alert(e.text()); }
        loadCalendar();
      } }, t("cal.remove"))))))));
}

async function loadCalendar() {
  days = (await api("GET", "/v1/kpi/calendar?year=" + year)).items;
  draw();
}

/** auditTable is the audit log of one subject ("round:3") as a table. */
export async function auditTable(subject) {
  const log = (await api("GET", "/v1/kpi/audit?subject=" + encodeURIComponent(subject))).items;
  const when = (iso) => new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" });
  return el("table", { class: "audit" }, el("thead", {}, el("tr", {}, ["cal.when", "cal.who", "cal.what"].map((k) => el("th", {}, t(k))))),
    el("tbody", {}, log.map((e) => el("tr", {}, el("td", {}, when(e.at)), el("td", {}, e.actor),
      el("td", {}, e.action + (e.detail && e.detail.station ? " " + e.detail.station : "") + (e.detail && e.detail.decision ? " " + e.detail.decision : ""))))));
}

/** mountCalendar fills the calendar section of /kpi. */
export function mountCalendar() {
  $("cal-form-box").append(dayForm.form);
  const years = [...new Set([2026, 2027, year - 1, year, year + 1])].sort();
  $("cal-year").replaceChildren(...years.map((y) => el("option", { value: y }, y)));
  $("cal-year").addEventListener("change", () => { year = Number($("cal-year").value) || year; loadCalendar(); });
  window.addEventListener("tongpei:lang", draw);
  return loadCalendar();
}

// handover: the recipient says a pickup code or the last four digits of
// their phone; the keeper sees the matching parcels and confirms. Each
// becomes a picked_up scan carrying the code, which the server checks.
import { t } from "../shell/i18n.js";
import { api } from "../shell/api.js";
import * as outbox from "./outbox.js";
import * as feedback from "./feedback.js";
import { load, parcelItem, stillOnShelf } from "./shelf.js";
import { scanText } from "./words.js";

const $ = (id) => document.getElementById(id);
let station = "";
let mode = "code";
let found = [];
let typed = "";
const sent = new Set();

function setMode(m) {
  mode = m;
  $("mode-code").classList.toggle("on", m === "code");
  $("mode-phone").classList.toggle("on", m === "phone");
  $("handover-input").focus();
}

function message(text, cls) {
  $("handover-msg").textContent = text;
  $("handover-msg").className = cls || "";
}

async function find(q) {
  if (mode === "phone" && /^\d{4}$/.test(q)) {
    try {
      const list = await api("GET", `/v1/stations/${encodeURIComponent(station)}/parcels?state=waiting&limit=1000&phone_last4=${q}`);
      return stillOnShelf(list.items);
    } catch (e) { /* offline: the shelf as last seen */ }
    const { items } = await load();
    return items.filter((p) => ((p.recipient && p.recipient.phone) || "").endsWith(q));
  }
  const { items } = await load();
  return items.filter((p) => p.pickup_code === q || p.pickup_code.endsWith("-" + q));
}

function render() {
  $("handover-list").replaceChildren(...found.map((p) => {
    const li = parcelItem(p, { actions: false });
    const box = document.createElement("label");
    const check = document.createElement("input");
    check.type = "checkbox";
    check.checked = true;
    check.className = "pick";
    check.style.width = "auto";
    check.addEventListener("change", () => confirmLabel());
    box.append(check);
    li.prepend(box);
    return li;
  }));
  confirmLabel();
}

function chosen() {
  return found.filter((_, i) => $("handover-list").children[i].querySelector("input.pick").checked);
}

function confirmLabel() {
  const n = chosen().length;
  $("handover-confirm").hidden = n === 0;
  $("handover-confirm").textContent = t("handover.confirm", { n });
}

export function mountHandover(code) {
  station = code;
  $("mode-code").addEventListener("click", () => setMode("code"));
  $("mode-phone").addEventListener("click", () => setMode("phone"));
  $("handover-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    typed = $("handover-input").value.trim();
    $("handover-input").value = "";
    if (!typed) return;
    found = await find(typed);
    render();
    if (found.length === 0) {
      message(t(mode === "code" ? "handover.none_code" : "handover.none_phone"), "error");
      feedback.refused();
    } else message("");
  });
  $("handover-confirm").addEventListener("click", async () => {
    const picked = chosen();
    for (const p of picked) {
      // By code, the code the recipient said goes to the server, which
      // checks it; by phone, the keeper has checked who is at the counter.
      const said = mode === "code" ? typed : p.pickup_code;
      const s = await outbox.enqueue({ kind: "picked_up", station, carrier: p.carrier, tracking_no: p.tracking_no, pickup_code: said });
      sent.add(s.id);
    }
    found = [];
    render();
    $("handover-input").value = "";
    message(navigator.onLine ? t("handover.done", { n: picked.length }) : t("handover.queued", { n: picked.length }), "ok");
  });
  outbox.onChange((ev) => {
    if (ev.kind !== "answered" || !sent.has(ev.scan.id)) return;
    sent.delete(ev.scan.id);
    if (ev.result.status === "rejected") {
      message(`${ev.scan.tracking_no}: ${scanText(ev.result.code, ev.result.detail)}`, "error");
      feedback.refused();
    } else feedback.accepted();
  });
  return { shown: () => $("handover-input").focus() };
}

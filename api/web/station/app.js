// The station app (驿站): a keeper's day on a 360 × 640 phone or a handheld
// scanner. It opens with no signal (the service worker keeps the files; the
// last shelf and the queue live in IndexedDB) and never loses a scan.
import "./strings.js";
import { apply } from "../shell/i18n.js";
import { requireSignIn } from "../shell/session.js";
import { mountHeader } from "../shell/header.js";
import * as outbox from "./outbox.js";
import { mountStatus } from "./status.js";
import { mountCheckin, focusScan } from "./checkin.js";
import { mountShelf } from "./shelf.js";
import { mountHandover } from "./handover.js";
import { mountProblems } from "./problems.js";
import { mountToday } from "./today.js";
import { mountUp } from "./up.js";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/station-sw.js", { scope: "/station" }).catch(() => {});
}

const me = await requireSignIn(["keeper"]);
if (me) start(me);

function start(me) {
  const setOnline = mountHeader(document.getElementById("top"), "station.heading", me);
  const station = me.scope;
  outbox.onChange((ev) => {
    if (ev.kind === "failed" && ev.offline) setOnline(false);
    if (ev.kind === "synced") setOnline(true);
  });
  window.addEventListener("online", () => setOnline(true));
  window.addEventListener("offline", () => setOnline(false));

  mountStatus();
  const panels = {
    checkin: mountCheckin(station),
    shelf: mountShelf(station),
    handover: mountHandover(station),
    problems: mountProblems(station),
    up: mountUp(station),
    today: mountToday(station),
  };
  const show = (name) => {
    if (!panels[name]) name = "checkin";
    for (const el of document.querySelectorAll("[data-panel]")) el.hidden = el.id !== name;
    for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("on", b.dataset.tab === name);
    if (panels[name].shown) panels[name].shown();
    if (name === "checkin") focusScan();
  };
  for (const b of document.querySelectorAll("#tabs button")) {
    b.addEventListener("click", () => { history.replaceState(null, "", "#" + b.dataset.tab); show(b.dataset.tab); });
  }
  window.addEventListener("hashchange", () => show(location.hash.slice(1)));
  apply();
  show(location.hash.slice(1) || "checkin");
  outbox.sync();
  document.body.dataset.ready = "1";
}

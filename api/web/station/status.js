// status: the queue count, the last sync time and the "needs attention"
// list, visible on every tab.
import { t, lang } from "../shell/i18n.js";
import * as outbox from "./outbox.js";
import { scanText } from "./words.js";

export function mountStatus() {
  const $ = (id) => document.getElementById(id);
  async function render() {
    const n = await outbox.queued();
    $("queue-count").textContent = t("status.queue", { n });
    $("queue-count").className = n > 0 ? "pending" : "";
    const last = await outbox.lastSync();
    $("last-sync").textContent = last ? t("status.synced", { time: new Date(last).toLocaleTimeString(lang() === "en" ? "en-GB" : "zh-CN") }) : t("status.never");
    const items = await outbox.attention();
    $("attention-count").textContent = items.length ? t("status.attention", { n: items.length }) : "";
    $("attention").hidden = items.length === 0;
    $("attention-list").replaceChildren(...items.sort((a, b) => b.at - a.at).map((it) => {
      const li = document.createElement("li");
      const what = document.createElement("span");
      what.textContent = `${t("kind." + it.scan.kind)} ${it.scan.tracking_no}: ${scanText(it.code, it.detail, it.from)} `;
      const ok = document.createElement("button");
      ok.type = "button";
      ok.className = "secondary";
      ok.textContent = t("attention.dismiss");
      ok.addEventListener("click", () => outbox.dismiss(it.id));
      li.append(what, ok);
      return li;
    }));
  }
  outbox.onChange(render);
  window.addEventListener("tongpei:lang", render);
  render();
}

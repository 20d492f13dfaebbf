// The sign-in page. A sign-in link is /login#<secret>: the secret stays in
// the fragment (never sent to the server with the page), is posted once to
// /v1/sessions, and is wiped from the address bar and history at once.
import { addStrings, apply, t } from "./shell/i18n.js";
import { redeem, whoami, homeFor } from "./shell/session.js";
import { mountHeader } from "./shell/header.js";

addStrings({
  "login.title": "登录 — 统配",
  "login.heading": "登录",
  "login.howto": "请打开县中心发给你的登录链接，或用手机扫描登录二维码。",
  "login.working": "正在登录…",
  "login.done": "已登录，正在打开…",
  "login.refused": "登录链接无效：每个链接只能用一次，24 小时内有效。请向县中心要一个新链接。",
}, {
  "login.title": "Sign in — tongpei",
  "login.heading": "Sign in",
  "login.howto": "Open the sign-in link the county centre sent you, or scan the sign-in QR code with your phone.",
  "login.working": "Signing in…",
  "login.done": "Signed in; opening…",
  "login.refused": "This sign-in link does not work: each link signs in once, within 24 hours. Ask the county centre for a new one.",
});

const state = document.getElementById("signin-state");
const error = document.getElementById("signin-error");
const next = new URLSearchParams(location.search).get("next");
const go = (me) => { location.replace(next && next.startsWith("/") && !next.startsWith("//") ? next : homeFor(me.role)); };

async function main() {
  apply();
  const secret = location.hash.slice(1);
  history.replaceState(null, "", location.pathname + location.search);
  if (secret) {
    mountHeader(document.getElementById("top"), "login.heading", null);
    state.dataset.i18n = "login.working";
    apply();
    try {
      const me = await redeem(secret);
      state.dataset.i18n = "login.done";
      apply();
      go(me);
    } catch (e) {
      state.dataset.i18n = "login.howto";
      apply();
      error.textContent = t("login.refused") + (e.problem && e.problem.detail ? " (" + e.problem.detail + ")" : "");
    }
    return;
  }
  const me = await whoami().catch(() => null);
  mountHeader(document.getElementById("top"), "login.heading", me);
  if (me && navigator.onLine) go(me);
}
main();

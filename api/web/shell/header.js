// header: the bar at the top of every page: the page's title, who is
// signed in, the network state, the language switch and sign-out.
import { t, apply, langButton } from "./i18n.js";
import { signOut } from "./session.js";

/**
 * mountHeader fills el (a <header>) for me (from whoami) with titleKey as
 * its title; it answers a function that sets the online state.
 */
export function mountHeader(el, titleKey, me) {
  el.classList.add("shell-header");
  el.replaceChildren();
  const h1 = document.createElement("h1");
  h1.dataset.i18n = titleKey;
  const who = document.createElement("span");
  who.id = "who";
  const net = document.createElement("span");
  net.id = "net";
  net.className = "pill";
  const out = document.createElement("button");
  out.type = "button";
  out.id = "signout";
  out.dataset.i18n = "shell.signout";
  out.addEventListener("click", () => signOut());
  out.hidden = !me;
  el.append(h1, who, net, langButton(), out);
  const fillWho = () => {
    who.textContent = me ? `${t("shell.role." + me.role)}${me.scope ? " " + me.scope : ""} · ${me.name}` : t("shell.signedout");
  };
  let online = navigator.onLine;
  const fillNet = () => {
    net.textContent = t(online ? "shell.online" : "shell.offline");
    net.className = "pill " + (online ? "online" : "offline");
  };
  window.addEventListener("tongpei:lang", () => { fillWho(); fillNet(); });
  fillWho();
  fillNet();
  apply(el);
  return (up) => { online = up; fillNet(); };
}

// Chinese first, English on a switch. A page gives its own dictionary;
// elements carry data-t="key" (text), data-t-placeholder or data-t-title.
// The choice is kept in localStorage so every page opens in it.
const KEY = "tongpei.lang";

let dict = { zh: {}, en: {} };
const listeners = [];

export function lang() {
  return localStorage.getItem(KEY) === "en" ? "en" : "zh";
}

export function t(key, ...args) {
  let s = dict[lang()][key] ?? dict.zh[key] ?? key;
  args.forEach((a, i) => { s = s.replaceAll(`{${i}}`, a); });
  return s;
}

export function setup(d, switchEl) {
  dict = d;
  if (switchEl) {
    switchEl.addEventListener("click", () => {
      localStorage.setItem(KEY, lang() === "zh" ? "en" : "zh");
      apply();
    });
  }
  apply();
}

export function onChange(fn) { listeners.push(fn); }

export function apply(root = document) {
  document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en";
  for (const el of root.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  for (const el of root.querySelectorAll("[data-t-placeholder]")) el.placeholder = t(el.dataset.tPlaceholder);
  for (const el of root.querySelectorAll("[data-t-title]")) el.title = t(el.dataset.tTitle);
  if (root === document) listeners.forEach((fn) => fn());
}

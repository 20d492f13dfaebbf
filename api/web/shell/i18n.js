// i18n: Chinese first, English by a switch. Pages add their own strings
// with addStrings and mark elements with data-i18n (text),
// data-i18n-placeholder and data-i18n-title; apply() fills them in the
// chosen language. The choice is a preference, kept in localStorage.
const LANG_KEY = "tongpei.lang";
const strings = { zh: {}, en: {} };

/** addStrings merges a page's dictionaries: {key: text}; text may hold {name} slots. */
export function addStrings(zh, en) {
  Object.assign(strings.zh, zh);
  Object.assign(strings.en, en);
}

/** lang is "zh" (the default) or "en". */
export function lang() {
  return localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh";
}

/** setLang switches the language, re-fills the page and tells listeners. */
export function setLang(l) {
  localStorage.setItem(LANG_KEY, l === "en" ? "en" : "zh");
  apply();
  window.dispatchEvent(new CustomEvent("tongpei:lang", { detail: lang() }));
}

/** t is the text of key in the current language, with {slots} filled from vars. */
export function t(key, vars = {}) {
  const text = strings[lang()][key] ?? strings.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** has tells whether key has a text, so callers can fall back to the server's words. */
export function has(key) {
  return key in strings.zh;
}

/** apply fills every marked element under root in the current language. */
export function apply(root = document) {
  document.documentElement.lang = lang() === "en" ? "en" : "zh-CN";
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  const title = document.querySelector("title[data-i18n]");
  if (title) document.title = t(title.dataset.i18n);
}

/** langButton is a button that switches between 中文 and English. */
export function langButton() {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "lang";
  b.id = "lang";
  const label = () => { b.textContent = lang() === "zh" ? "English" : "中文"; };
  b.addEventListener("click", () => { setLang(lang() === "zh" ? "en" : "zh"); label(); });
  label();
  return b;
}

// Words every page needs: the shell's own, and the server's problem codes
// (RFC 9457 "code"), so a refusal is shown in the reader's language.
addStrings({
  "shell.signout": "退出登录",
  "shell.signedout": "未登录",
  "shell.online": "在线",
  "shell.offline": "离线",
  "shell.role.admin": "县中心",
  "shell.role.keeper": "站长",
  "shell.role.carrier": "快递公司",
  "shell.role.merchant": "电商企业",
  "problem.unauthorized": "请先登录：用县中心给的登录链接或二维码",
  "problem.forbidden": "无权进行此操作",
  "problem.invalid": "输入有误",
  "problem.not_found": "找不到",
  "problem.conflict": "与现有记录冲突",
  "problem.unavailable": "服务暂时不可用，请稍后再试",
  "problem.internal": "服务器出错，请联系县中心",
  "problem.network": "没有网络",
  "problem.method_not_allowed": "不支持此操作",
}, {
  "shell.signout": "Sign out",
  "shell.signedout": "Not signed in",
  "shell.online": "online",
  "shell.offline": "offline",
  "shell.role.admin": "County centre",
  "shell.role.keeper": "Keeper",
  "shell.role.carrier": "Carrier",
  "shell.role.merchant": "Merchant",
  "problem.unauthorized": "Sign in first, with the link or QR code from the county centre",
  "problem.forbidden": "You may not do this",
  "problem.invalid": "Something in the input is wrong",
  "problem.not_found": "Not found",
  "problem.conflict": "Clashes with an existing record",
  "problem.unavailable": "The service is busy or down; try again soon",
  "problem.internal": "Server error; tell the county centre",
  "problem.network": "No network",
  "problem.method_not_allowed": "Not supported",
});

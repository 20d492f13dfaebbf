// Formatting shared by the county centre's pages: money is integer fen on
// the wire and yuan on the page.
export const yuan = (fen) => (fen == null ? "—" : "¥" + (fen / 100).toFixed(2));
export const kg = (g) => (g / 1000).toLocaleString(undefined, { maximumFractionDigits: 1 }) + " kg";
export const pct = (p) => (p == null ? "—" : p.toFixed(1) + "%");

// el builds an element: el("td", {class: "x"}, "text", child...).
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c == null) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}


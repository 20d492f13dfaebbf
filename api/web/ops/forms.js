// forms: the registry's and the fleet's forms, built from a list of fields.
// Each field is named by its JSON path ("location.lon", "keeper.phone"), so
// the body is built from the form and the API's 422 field errors
// (problem.fields: [{field, reason}]) land beside the input they name. An
// error for a field no input has (or for "body") shows at the form's top.
import { t, lang } from "/console/shell/i18n.js";
import { ApiError } from "/console/shell/api.js";
import { el } from "/console/lib/fmt.js";

// The API explains a bad field in English; the commonest reasons are
// shown in Chinese when the page is, with the server's words kept in the
// element's title (and shown as they are when no pattern fits).
const REASONS = [
  [/^is required/, "reg.err.required"],
  [/11-digit mainland mobile/, "reg.err.mobile"],
  [/capital letters|letters, digits/, "reg.err.code"],
  [/YYYY-MM-DD|date written|must be a date/, "reg.err.date"],
  [/YYYY-MM/, "reg.err.month"],
  [/GB 32100-2015 check: the last character should be (\w)/, "reg.err.credit_check"],
  [/18 characters of the 统一社会信用代码|other than I, O, S, V and Z/, "reg.err.credit"],
  [/say why/, "reg.err.reason"],
  [/name the person who reviewed/, "reg.err.reviewer"],
  [/vehicle type .* does not exist|name a vehicle type/, "reg.err.type"],
  [/name the operator/, "reg.err.operator"],
  [/must be a WGS84 (longitude|latitude)|the (longitude|latitude) in degrees/, "reg.err.coord"],
  [/must be a licence plate/, "reg.err.plate"],
  [/must end after it starts|must be after/, "reg.err.order"],
  [/already (exists|registered)|is taken/, "reg.err.taken"],
];

/** reasonText is a field error in the reader's language. */
export function reasonText(reason) {
  if (lang() !== "zh") return reason;
  for (const [re, key] of REASONS) {
    const m = re.exec(reason);
    if (m) return t(key, { x: m[1] || "" });
  }
  return reason;
}

/**
 * Field kinds: text (default), number (a JSON number), int, date, select
 * (options: [[value, labelKey]] or a function answering them), check (a
 * boolean), checks (a list of checkboxes: options), list (comma-separated
 * strings). keep: sent on create but fixed on edit (the record's identity).
 * omitEmpty: not sent when empty (an optional member).
 */
export function makeForm({ id, fields, submitKey, onSubmit }) {
  const inputs = new Map();
  const errors = new Map();
  const top = el("p", { class: "error form-error", id: id + "-error", role: "alert" });
  const done = el("p", { class: "ok form-ok", id: id + "-ok", role: "status" });
  const submit = el("button", { class: "primary", type: "submit", id: id + "-submit" });
  const cancel = el("button", { class: "secondary", type: "button", id: id + "-cancel", hidden: true });
  const form = el("form", { id, class: "reg-form", novalidate: true });
  let editing = null;

  const options = (f) => (typeof f.options === "function" ? f.options() : f.options || []);
  function control(f) {
    const name = id + "-" + f.name.replace(/\./g, "-");
    const err = el("small", { class: "field-error", id: name + "-err", "data-error-for": f.name });
    errors.set(f.name, err);
    let input;
    if (f.type === "select") {
      input = el("select", { id: name, name: f.name, "aria-describedby": err.id });
    } else if (f.type === "check") {
      input = el("input", { id: name, name: f.name, type: "checkbox", "aria-describedby": err.id });
    } else if (f.type === "checks") {
      input = el("fieldset", { id: name, class: "checks", "aria-describedby": err.id });
    } else if (f.type === "file") {
      input = el("input", { id: name, name: f.name, type: "file", accept: f.accept || null, "aria-describedby": err.id });
    } else {
      input = el("input", {
        id: name, name: f.name, "aria-describedby": err.id, autocomplete: "off",
        type: f.type === "date" ? "date" : "text",
        inputmode: f.type === "number" ? "decimal" : f.type === "int" ? "numeric" : f.type === "phone" ? "tel" : null,
      });
    }
    inputs.set(f.name, input);
    const label = el("span", { class: "label", "data-label": f.label });
    if (f.type === "check") return el("label", { class: "field check", for: name }, input, " ", label, err);
    return el("label", { class: "field" + (f.wide ? " wide" : ""), for: name }, label, input, err);
  }

  function fillOptions() {
    for (const f of fields) {
      const input = inputs.get(f.name);
      if (f.type === "select") {
        const keep = input.value;
        input.replaceChildren(...(f.blank ? [el("option", { value: "" }, t(f.blank))] : []),
          ...options(f).map(([v, k]) => el("option", { value: v }, t(k))));
        if (keep) input.value = keep;
      } else if (f.type === "checks") {
        const on = new Set([...input.querySelectorAll("input:checked")].map((c) => c.value));
        input.replaceChildren(...options(f).map(([v, k]) => el("label", { class: "check" },
          el("input", { type: "checkbox", value: v, checked: on.has(v) || null }), " ", t(k))));
      }
    }
  }

  /** relabel writes the labels and buttons in the current language. */
  function relabel() {
    for (const s of form.querySelectorAll("[data-label]")) s.textContent = t(s.dataset.label);
    submit.textContent = t(editing ? "reg.save" : submitKey);
    cancel.textContent = t("reg.cancel_edit");
    fillOptions();
  }

  const valueOf = (f) => {
    const input = inputs.get(f.name);
    const v = f.type === "check" ? input.checked
      : f.type === "checks" ? [...input.querySelectorAll("input:checked")].map((c) => c.value)
        : f.type === "file" ? input.files[0] : input.value.trim();
    if (f.type === "number" || f.type === "int") {
      // A number the reader cannot type right is still sent, as text, so
      // that the server names the field; an empty one is left out.
      if (v === "") return undefined;
      const n = Number(v);
      return Number.isFinite(n) ? n : v;
    }
    if (f.type === "list") return v === "" ? [] : v.split(/[,，、\s]+/).filter(Boolean);
    if (f.omitEmpty && v === "") return undefined;
    return v;
  };

  /** body is the JSON the form describes; fields with send: false are left out. */
  function body() {
    const out = {};
    for (const f of fields) {
      if (f.send === false || f.type === "file") continue;
      if (editing && f.keep) continue;
      const v = valueOf(f);
      if (v === undefined) continue;
      const path = f.name.split(".");
      let o = out;
      for (const p of path.slice(0, -1)) o = o[p] = o[p] || {};
      o[path[path.length - 1]] = v;
    }
    return out;
  }

  function clearErrors() {
    top.textContent = "";
    done.textContent = "";
    for (const [name, e] of errors) { e.textContent = ""; e.title = ""; inputs.get(name).removeAttribute("aria-invalid"); }
  }

  /** showError puts each field error beside its input, the rest at the top. */
  function showError(e) {
    clearErrors();
    if (!(e instanceof ApiError)) { top.textContent = String(e); return; }
    const rest = [];
    for (const fe of e.problem.fields || []) {
      const path = fe.field.replace(/\[\d+\]/g, "");
      const name = errors.has(path) ? path : [...errors.keys()].find((n) => n.startsWith(path + ".") || path.startsWith(n + "."));
      if (!name) { rest.push(`${fe.field}: ${fe.reason}`); continue; }
      const box = errors.get(name);
      const said = reasonText(fe.reason);
      box.textContent = box.textContent ? box.textContent + "；" + said : said;
      box.title = box.title ? box.title + "; " + fe.reason : fe.reason;
      inputs.get(name).setAttribute("aria-invalid", "true");
    }
    if (rest.length || !(e.problem.fields || []).length) top.textContent = [e.text(), ...rest].join(" · ");
    const first = form.querySelector("[aria-invalid]");
    if (first) first.focus();
  }

  /** fill puts a record in the form for editing (null: back to a new one). */
  function fill(rec) {
    editing = rec;
    clearErrors();
    for (const f of fields) {
      const input = inputs.get(f.name);
      const v = rec ? f.name.split(".").reduce((o, k) => (o == null ? o : o[k]), rec) : f.initial;
      if (f.type === "check") input.checked = rec ? !!v : !!f.initial;
      else if (f.type === "checks") for (const c of input.querySelectorAll("input")) c.checked = Array.isArray(v) && v.includes(c.value);
      else if (f.type === "file") input.value = "";
      else input.value = v == null ? "" : Array.isArray(v) ? v.join(", ") : String(v);
      if (f.keep) input.disabled = !!rec;
    }
    cancel.hidden = !rec;
    form.dataset.mode = rec ? "edit" : "create";
    relabel();
    form.dispatchEvent(new CustomEvent("reg:filled"));
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors();
    submit.disabled = true;
    try {
      const msg = await onSubmit(body(), editing, (name) => valueOf(fields.find((f) => f.name === name)));
      fill(null);
      done.textContent = msg || t("reg.saved");
    } catch (e) {
      showError(e);
    } finally {
      submit.disabled = false;
    }
  });
  cancel.addEventListener("click", () => fill(null));
  form.append(el("div", { class: "fields" }, fields.map(control)), top, el("div", { class: "actions" }, submit, cancel), done);
  fill(null);
  window.addEventListener("tongpei:lang", relabel);
  return { form, fill, relabel, showError, input: (name) => inputs.get(name), editing: () => editing };
}

/** table draws rows of records with headers (label keys) and cells (functions). */
export function table(id, cols, rows, key) {
  return el("table", { id, class: "reg-table" },
    el("thead", {}, el("tr", {}, cols.map(([k]) => el("th", {}, k ? t(k) : "")))),
    el("tbody", {}, rows.map((r) => el("tr", { "data-key": key(r), class: r.active === false ? "inactive" : null },
      cols.map(([, cell]) => el("td", {}, cell(r)))))));
}

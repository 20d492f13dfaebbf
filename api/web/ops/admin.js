// /ops/registry: the county centre's registry and fleet. Stations (placed
// on a map of the county), carriers and their NATS logins, merchants and
// their farm-produce certificates, the joint fleet's operators, van types
// and vans, API tokens and one-time sign-in links (with QR), and the road
// network import. Every write goes through the /v1 API; a 422's field
// errors are shown beside the fields they name (forms.js).
import "./strings.js";
import "./admin_strings.js";
import { t, apply } from "/console/shell/i18n.js";
import { api } from "/console/shell/api.js";
import { requireSignIn } from "/console/shell/session.js";
import { mountHeader } from "/console/shell/header.js";
import { el } from "/console/lib/fmt.js";
import { issueNATSFile } from "/console/lib/natsfile.js";
import { makeForm, table } from "./forms.js";
import { drawPlaceMap } from "./placemap.js";

const $ = (id) => document.getElementById(id);
const TABS = ["stations", "carriers", "merchants", "fleet", "access", "roads"];
const SERVICES = ["parcel_pickup", "parcel_send", "farm_produce", "e_commerce", "live_streaming", "warehousing", "sales"];
const ROLES = ["keeper", "carrier", "merchant", "admin"];
const state = { stations: [], carriers: [], merchants: [], operators: [], types: [], vehicles: [], tokens: [] };

// all reads every page of a list.
async function all(path) {
  const out = [];
  let cursor = "";
  for (;;) {
    const sep = path.includes("?") ? "&" : "?";
    const r = await api("GET", `${path}${sep}limit=1000${cursor ? "&cursor=" + encodeURIComponent(cursor) : ""}`);
    out.push(...r.items);
    if (!r.next) return out;
    cursor = r.next;
  }
}

const activeCell = (r) => el("span", { class: "badge " + (r.active ? "published" : "draft") }, t(r.active ? "reg.active" : "reg.inactive"));
const btn = (key, onclick, cls = "secondary") => el("button", { type: "button", class: cls + " small", "data-action": key, onclick }, t(key));

async function deactivate(path, name, reload) {
  if (!confirm(t("reg.confirm_deactivate", { name }))) return;
  try { await api("DELETE", path); } catch (e) { alert(e.text()); }
  reload();
}
async function reactivate(path, reload) {
  try { await api("PATCH", path, { active: true }); } catch (e) { alert(e.text()); }
  reload();
}

// ---- stations
const stationForm = makeForm({
  id: "station-form", submitKey: "reg.add_station",
  fields: [
    { name: "code", label: "reg.code", keep: true },
    { name: "name", label: "reg.name" },
    { name: "tier", label: "reg.tier", type: "select", initial: "village", options: () => ["village", "township", "county_hub"].map((v) => [v, "reg.tier." + v]) },
    { name: "parent", label: "reg.parent", type: "select", blank: "reg.none",
      options: () => state.stations.filter((s) => s.tier !== "village").map((s) => [s.code, `${s.name} ${s.code}`]) },
    { name: "township", label: "reg.township" },
    { name: "location.lon", label: "reg.lon", type: "number" },
    { name: "location.lat", label: "reg.lat", type: "number" },
    { name: "keeper.name", label: "reg.keeper_name" },
    { name: "keeper.phone", label: "reg.keeper_phone", type: "phone" },
    { name: "services", label: "reg.services", type: "checks", wide: true, options: SERVICES.map((s) => [s, "reg.svc." + s]) },
  ],
  async onSubmit(body, editing) {
    if (editing) await api("PATCH", "/v1/stations/" + encodeURIComponent(editing.code), body);
    else await api("POST", "/v1/stations", body);
    await loadStations();
  },
});

function placeMap() {
  drawPlaceMap($("place-map"), state.stations, [stationForm.input("location.lon").value, stationForm.input("location.lat").value].map(Number),
    ([lon, lat]) => {
      stationForm.input("location.lon").value = lon.toFixed(5);
      stationForm.input("location.lat").value = lat.toFixed(5);
      placeMap();
    });
}

async function loadStations() {
  state.stations = await all("/v1/stations");
  stationForm.relabel();
  const reload = () => loadStations();
  $("stations-list").replaceChildren(table("stations-table", [
    ["reg.code", (s) => s.code], ["reg.name", (s) => s.name], ["reg.tier", (s) => t("reg.tier." + s.tier)],
    ["reg.township", (s) => s.township], ["reg.keeper_name", (s) => `${s.keeper.name} ${s.keeper.phone}`], ["reg.status", activeCell],
    ["", (s) => el("span", { class: "row-actions" }, btn("reg.edit", () => { stationForm.fill(s); placeMap(); $("station-form").scrollIntoView(); }),
      s.active ? btn("reg.deactivate", () => deactivate("/v1/stations/" + s.code, s.name, reload))
        : btn("reg.reactivate", () => reactivate("/v1/stations/" + s.code, reload)))],
  ], state.stations, (s) => s.code));
  filterStations();
  placeMap();
}

// filterStations hides the rows that do not hold the filter's text.
function filterStations() {
  const q = $("stations-filter").value.trim().toLowerCase();
  for (const tr of document.querySelectorAll("#stations-table tbody tr")) tr.hidden = q !== "" && !tr.textContent.toLowerCase().includes(q);
}

// ---- carriers
const carrierForm = makeForm({
  id: "carrier-form", submitKey: "reg.add_carrier",
  fields: [
    { name: "code", label: "reg.code", keep: true },
    { name: "name", label: "reg.name" },
    { name: "kind", label: "reg.kind", type: "select", initial: "express", options: () => ["express", "bulk", "trade"].map((v) => [v, "reg.kind." + v]) },
    { name: "stationed_since", label: "reg.stationed_since", type: "date" },
  ],
  async onSubmit(body, editing) {
    if (editing) await api("PATCH", "/v1/carriers/" + encodeURIComponent(editing.code), body);
    else await api("POST", "/v1/carriers", body);
    await loadCarriers();
  },
});

async function issueNATS(c) {
  const box = $("nats-result");
  try {
    const cred = await issueNATSFile(c.code, "", $("nats-link"));
    box.className = "ok";
    box.textContent = t("reg.nats_issued", { user: cred.user });
    await listNATS(c);
  } catch (e) {
    box.className = "error";
    box.textContent = `${c.code}: ${e.text()}`;
  }
}

// listNATS shows a carrier's NATS logins with a revoke button for each
// that is still valid (revoking drops its open connections at once).
async function listNATS(c) {
  const path = `/v1/carriers/${encodeURIComponent(c.code)}/nats-credentials`;
  const list = (await api("GET", path)).items;
  $("nats-creds").replaceChildren(el("h3", {}, `${t("reg.nats")} · ${c.name} ${c.code}`), table("nats-table", [
    ["reg.id", (x) => x.id], ["reg.name", (x) => x.name], ["reg.created_at", (x) => x.created_at.slice(0, 16).replace("T", " ")],
    ["reg.status", activeCell],
    ["", (x) => (x.active ? btn("reg.revoke", async () => { try { await api("DELETE", `${path}/${x.id}`); } catch (e) { alert(e.text()); } listNATS(c); }) : null)],
  ], list.map((x) => ({ ...x, active: !x.revoked_at })), (x) => String(x.id)));
}

async function loadCarriers() {
  state.carriers = await all("/v1/carriers");
  const reload = () => loadCarriers();
  $("carriers-list").replaceChildren(table("carriers-table", [
    ["reg.code", (c) => c.code], ["reg.name", (c) => c.name], ["reg.kind", (c) => t("reg.kind." + c.kind)],
    ["reg.stationed_since", (c) => c.stationed_since || "—"], ["reg.status", activeCell],
    ["", (c) => el("span", { class: "row-actions" }, btn("reg.edit", () => { carrierForm.fill(c); $("carrier-form").scrollIntoView(); }),
      c.active ? btn("reg.deactivate", () => deactivate("/v1/carriers/" + c.code, c.name, reload))
        : btn("reg.reactivate", () => reactivate("/v1/carriers/" + c.code, reload)),
      c.active ? btn("reg.nats", () => issueNATS(c)) : null, btn("reg.nats_list", () => listNATS(c).catch((e) => { $("nats-result").className = "error"; $("nats-result").textContent = e.text(); })))],
  ], state.carriers, (c) => c.code));
}

// ---- merchants
const merchantForm = makeForm({
  id: "merchant-form", submitKey: "reg.add_merchant",
  fields: [
    { name: "name", label: "reg.name" },
    { name: "credit_code", label: "reg.credit_code" },
    { name: "contact.name", label: "reg.contact_name" },
    { name: "contact.phone", label: "reg.contact_phone", type: "phone" },
    { name: "categories", label: "reg.categories", type: "list" },
    { name: "registered_in_county", label: "reg.in_county", type: "check", initial: true },
  ],
  async onSubmit(body, editing) {
    if (editing) await api("PATCH", "/v1/merchants/" + encodeURIComponent(editing.id), body);
    else await api("POST", "/v1/merchants", body);
    await loadMerchants();
  },
});

let certFor = null;
const certForm = makeForm({
  id: "cert-form", submitKey: "reg.certify",
  fields: [
    { name: "valid_from", label: "reg.valid_from", type: "date" },
    { name: "valid_until", label: "reg.valid_until", type: "date" },
    { name: "note", label: "reg.note", omitEmpty: true },
  ],
  async onSubmit(body) {
    const cert = await api("POST", `/v1/merchants/${certFor.id}/certification`, body);
    showCerts(certFor);
    return t("reg.certified", { no: cert.certificate_no }) + ` (${cert.merchant_name}, ${cert.valid_from} – ${cert.valid_until})`;
  },
});

// showCerts lists the firm's certificates; a certified one can be revoked.
async function showCerts(m) {
  const box = $("cert-list");
  try {
    const r = await api("GET", `/v1/merchants/${m.id}/certification`);
    const certs = Array.isArray(r) ? r : r.items || [r];
    box.replaceChildren(table("certs-table", [
      ["reg.cert", (c) => c.certificate_no || "—"], ["reg.status", (c) => c.state],
      ["reg.valid_from", (c) => c.valid_from || ""], ["reg.valid_until", (c) => c.valid_until || ""],
      ["", (c) => (c.state === "certified" ? btn("reg.revoke_cert", async () => {
        try { await api("DELETE", `/v1/merchants/${m.id}/certification`); } catch (e) { alert(e.text()); }
        showCerts(m);
      }) : null)],
    ], certs, (c) => c.certificate_no || String(c.applied_at)));
  } catch (e) {
    box.textContent = e.status === 404 ? "" : e.text();
  }
}

function openCert(m) {
  certFor = m;
  $("cert-box").hidden = false;
  $("cert-who").textContent = `${m.name} ${m.id}`;
  certForm.fill(null);
  showCerts(m);
  $("cert-box").scrollIntoView();
}

async function loadMerchants() {
  state.merchants = await all("/v1/merchants");
  const reload = () => loadMerchants();
  $("merchants-list").replaceChildren(table("merchants-table", [
    ["reg.id", (m) => m.id], ["reg.name", (m) => m.name], ["reg.credit_code", (m) => m.credit_code],
    ["reg.contact_name", (m) => `${m.contact.name} ${m.contact.phone}`], ["reg.status", activeCell],
    ["", (m) => el("span", { class: "row-actions" }, btn("reg.edit", () => { merchantForm.fill(m); $("merchant-form").scrollIntoView(); }),
      m.active ? btn("reg.deactivate", () => deactivate("/v1/merchants/" + m.id, m.name, reload))
        : btn("reg.reactivate", () => reactivate("/v1/merchants/" + m.id, reload)),
      btn("reg.certify", () => openCert(m)))],
  ], state.merchants, (m) => m.id));
}

// ---- fleet
const operatorForm = makeForm({
  id: "operator-form", submitKey: "reg.add_operator",
  fields: [{ name: "code", label: "reg.code" }, { name: "name", label: "reg.name" }, { name: "phone", label: "reg.phone", type: "phone" }],
  async onSubmit(body) { await api("POST", "/v1/fleet/operators", body); await loadFleet(); },
});
const typeForm = makeForm({
  id: "type-form", submitKey: "reg.add_type",
  fields: [
    { name: "code", label: "reg.code" }, { name: "name", label: "reg.name" },
    { name: "capacity_kg", label: "reg.capacity_kg", type: "int" }, { name: "capacity_l", label: "reg.capacity_l", type: "int" },
    { name: "capacity_parcels", label: "reg.capacity_parcels", type: "int" },
    { name: "fixed_cost_fen", label: "reg.fixed_cost", type: "int" }, { name: "cost_per_km_fen", label: "reg.per_km", type: "int" },
    { name: "cost_per_hour_fen", label: "reg.per_hour", type: "int" },
    { name: "shift.start", label: "reg.shift_start", initial: "07:00" }, { name: "shift.end", label: "reg.shift_end", initial: "19:00" },
    { name: "max_km", label: "reg.max_km", type: "int", initial: 0 }, { name: "refrigerated", label: "reg.refrigerated", type: "check" },
  ],
  async onSubmit(body) { await api("POST", "/v1/fleet/vehicle-types", body); await loadFleet(); },
});
const vehicleForm = makeForm({
  id: "vehicle-form", submitKey: "reg.add_vehicle",
  fields: [
    { name: "plate", label: "reg.plate" },
    { name: "type", label: "reg.type", type: "select", blank: "reg.none", options: () => state.types.map((x) => [x.code, `${x.name} ${x.code}`]) },
    { name: "operator", label: "reg.operator", type: "select", blank: "reg.none", options: () => state.operators.map((x) => [x.code, `${x.name} ${x.code}`]) },
  ],
  async onSubmit(body) { await api("POST", "/v1/fleet/vehicles", body); await loadFleet(); },
});

async function loadFleet() {
  [state.operators, state.types, state.vehicles] = await Promise.all(["operators", "vehicle-types", "vehicles"].map((p) => all("/v1/fleet/" + p)));
  vehicleForm.relabel();
  $("operators-list").replaceChildren(table("operators-table", [["reg.code", (o) => o.code], ["reg.name", (o) => o.name], ["reg.phone", (o) => o.phone]],
    state.operators, (o) => o.code));
  $("types-list").replaceChildren(table("types-table", [["reg.code", (x) => x.code], ["reg.name", (x) => x.name],
    ["reg.capacity_kg", (x) => x.capacity_kg], ["reg.capacity_l", (x) => x.capacity_l], ["reg.capacity_parcels", (x) => x.capacity_parcels],
    ["reg.per_km", (x) => x.cost_per_km_fen], ["reg.shift", (x) => `${x.shift.start}–${x.shift.end}`]], state.types, (x) => x.code));
  $("vehicles-list").replaceChildren(table("vehicles-table", [["reg.plate", (v) => v.plate], ["reg.type", (v) => v.type],
    ["reg.operator", (v) => v.operator], ["reg.status", activeCell],
    ["", (v) => (v.active ? btn("reg.retire", async () => { try { await api("DELETE", "/v1/fleet/vehicles/" + encodeURIComponent(v.plate)); } catch (e) { alert(e.text()); } loadFleet(); }) : null)]],
  state.vehicles, (v) => v.plate));
}

// ---- tokens and sign-in links
const roleOptions = () => ROLES.map((r) => [r, "reg.role." + r]);
const tokenForm = makeForm({
  id: "token-form", submitKey: "reg.add_token",
  fields: [{ name: "role", label: "reg.role", type: "select", options: roleOptions }, { name: "scope", label: "reg.scope" }, { name: "name", label: "reg.name" }],
  async onSubmit(body) {
    const r = await api("POST", "/v1/tokens", body);
    await loadTokens();
    return t("reg.token_made", { token: r.token });
  },
});
const linkForm = makeForm({
  id: "link-form", submitKey: "reg.add_link",
  fields: [{ name: "role", label: "reg.role", type: "select", options: roleOptions }, { name: "scope", label: "reg.scope" }, { name: "name", label: "reg.name" }],
  async onSubmit(body) {
    const r = await api("POST", "/v1/login-links", body);
    $("link-made").replaceChildren(el("p", {}, t("reg.link_made")), el("p", {}, el("a", { href: r.url, id: "link-url" }, r.url)),
      el("img", { src: r.qr_png, alt: "QR", class: "qr", width: 220, height: 220 }));
  },
});

async function loadTokens() {
  state.tokens = await all("/v1/tokens");
  $("tokens-list").replaceChildren(table("tokens-table", [["reg.id", (x) => x.id], ["reg.role", (x) => t("reg.role." + x.role)], ["reg.scope", (x) => x.scope],
    ["reg.name", (x) => x.name], ["reg.created_at", (x) => x.created_at.slice(0, 10)],
    ["reg.status", (x) => activeCell({ active: !x.revoked_at })],
    ["", (x) => (x.revoked_at ? null : btn("reg.revoke", async () => { try { await api("DELETE", "/v1/tokens/" + x.id); } catch (e) { alert(e.text()); } loadTokens(); }))]],
  state.tokens.map((x) => ({ ...x, active: !x.revoked_at })), (x) => String(x.id)));
}

// ---- road network
const roadForm = makeForm({
  id: "road-form", submitKey: "reg.import",
  fields: [{ name: "name", label: "reg.road_name" }, { name: "body", label: "reg.road_file", type: "file", accept: ".geojson,.json" }],
  async onSubmit(body, _editing, value) {
    const f = value("body");
    const resp = await fetch("/v1/road-network?name=" + encodeURIComponent(body.name || (f ? f.name : "")), {
      method: "POST", credentials: "same-origin", body: f || "",
      headers: { "Content-Type": "application/geo+json", "X-Tongpei-Csrf": "1", Accept: "application/json" },
    });
    const data = await resp.json().catch(() => ({}));
    if (!resp.ok) {
      const { ApiError } = await import("/console/shell/api.js");
      throw new ApiError(resp.status, data);
    }
    showRoads(data);
  },
});

function showRoads(info) {
  if (!info) { $("road-info").textContent = t("reg.road_none"); return; }
  $("road-info").replaceChildren(el("p", {}, t("reg.road_info", { name: info.name, nodes: info.nodes, edges: info.edges, at: info.created_at.slice(0, 16).replace("T", " ") })),
    ...(info.unreachable && info.unreachable.length ? [el("p", { class: "error" }, t("reg.unreachable", { list: info.unreachable.map((u) => u.station || u.code).join(", ") }))] : []));
}

async function loadRoads() {
  try { showRoads(await api("GET", "/v1/road-network")); } catch (e) { if (e.status === 404) showRoads(null); else $("road-info").textContent = e.text(); }
}

// ---- the page
const loaders = { stations: loadStations, carriers: loadCarriers, merchants: loadMerchants, fleet: loadFleet, access: loadTokens, roads: loadRoads };
const loaded = new Set();

function show(tab) {
  if (!TABS.includes(tab)) tab = "stations";
  for (const x of TABS) {
    $("tab-" + x).hidden = x !== tab;
    $("tabbtn-" + x).setAttribute("aria-selected", String(x === tab));
  }
  if (location.hash !== "#" + tab) history.replaceState(null, "", "#" + tab);
  if (!loaded.has(tab)) {
    loaded.add(tab);
    loaders[tab]().catch((e) => { $("page-error").textContent = e.text ? e.text() : String(e); });
  }
}

const me = await requireSignIn(["admin"]);
if (me) {
  mountHeader($("top"), "reg.heading", me);
  $("station-form-box").append(stationForm.form);
  $("carrier-form-box").append(carrierForm.form);
  $("merchant-form-box").append(merchantForm.form);
  $("cert-form-box").append(certForm.form);
  $("operator-form-box").append(operatorForm.form);
  $("type-form-box").append(typeForm.form);
  $("vehicle-form-box").append(vehicleForm.form);
  $("token-form-box").append(tokenForm.form);
  $("link-form-box").append(linkForm.form);
  $("road-form-box").append(roadForm.form);
  for (const x of TABS) $("tabbtn-" + x).addEventListener("click", () => show(x));
  $("stations-filter").addEventListener("input", filterStations);
  for (const n of ["location.lon", "location.lat"]) stationForm.input(n).addEventListener("change", placeMap);
  stationForm.form.addEventListener("reg:filled", () => { if (loaded.has("stations")) placeMap(); });
  window.addEventListener("tongpei:lang", () => { for (const x of loaded) loaders[x](); });
  apply();
  show(location.hash.slice(1));
}

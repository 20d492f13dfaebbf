// The plan on a map drawn from the stations' own coordinates: no tiles and
// no map server, so it works in a county office without internet. Lon/lat
// are projected equirectangularly around the county's middle latitude,
// which at a county's size (~50 km) distorts less than the pen width.
const NS = "http://www.w3.org/2000/svg";
export const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
  "#bcbd22", "#393b79", "#637939", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354"];
export const colour = (n) => COLOURS[(n - 1) % COLOURS.length];

function svg(tag, attrs = {}) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

// projector fits every [lon, lat] in a W-wide box with a margin.
function projector(points, W = 1000, margin = 30) {
  const lons = points.map((p) => p[0]), lats = points.map((p) => p[1]);
  const minLon = Math.min(...lons), maxLon = Math.max(...lons), minLat = Math.min(...lats), maxLat = Math.max(...lats);
  const k = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const spanX = Math.max((maxLon - minLon) * k, 1e-6), spanY = Math.max(maxLat - minLat, 1e-6);
  const scale = (W - 2 * margin) / Math.max(spanX, spanY * 0.8);
  const H = Math.round(spanY * scale + 2 * margin);
  return { W, H, at: ([lon, lat]) => [margin + (lon - minLon) * k * scale, margin + (maxLat - lat) * scale] };
}

/**
 * drawMap draws stations (all registered ones, grey), the hub, each route
 * as one path in its colour from the hub back to it, a marker per stop and
 * a ring per unassigned station. onStop(route, stop) hears hover and tap.
 * lines maps a route's number to its [lon, lat] line from the plan's
 * GeoJSON (routeLines), drawn instead of straight legs.
 */
export function drawMap(el, plan, stations, onStop, lines = {}) {
  const pts = [plan.hub.location, ...stations.map((s) => s.location)];
  // The roads widen the frame only as far as the stations and routes
  // reach: a network imported for a larger area must not shrink the county.
  for (const r of plan.routes) for (const s of r.stops) pts.push(s.station.location);
  for (const line of Object.values(lines)) pts.push(...line);
  const P = projector(pts.filter((p) => p && p.length === 2));
  el.setAttribute("viewBox", `0 0 ${P.W} ${P.H}`);
  el.replaceChildren();
  if (roads.length) {
    const g = svg("g", { class: "roads" });
    for (const line of roads) {
      const d = line.map(P.at).map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join("");
      g.append(svg("path", { d, class: "road" }));
    }
    el.append(g);
  }
  const base = svg("g", { class: "stations" });
  for (const s of stations) {
    if (s.tier === "county_hub") continue;
    const [x, y] = P.at(s.location);
    const town = s.tier === "township";
    const m = town ? svg("rect", { x: x - 6, y: y - 6, width: 12, height: 12, class: "township" }) : svg("circle", { cx: x, cy: y, r: 4, class: "station" });
    const title = svg("title"); title.textContent = `${s.name} ${s.code}`; m.append(title);
    base.append(m);
    if (town) { const tx = svg("text", { x: x + 6, y: y - 5 }); tx.textContent = s.name; base.append(tx); }
  }
  el.append(base);
  const hub = P.at(plan.hub.location);
  const paths = svg("g", { class: "routes" }), stops = svg("g", { class: "stops" });
  for (const r of plan.routes) {
    // The plan's GeoJSON line where it has one (it follows the roads when
    // the plan carries their geometry), else hub → stops → hub.
    const line = lines[r.number] && lines[r.number].length >= 2 ? lines[r.number].map(P.at)
      : [hub, ...r.stops.map((s) => P.at(s.station.location)), hub];
    const d = line.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join("");
    paths.append(svg("path", { d, class: "route", stroke: colour(r.number), "data-route": r.number }));
    for (const s of r.stops) {
      const [x, y] = P.at(s.station.location);
      const c = svg("circle", { cx: x, cy: y, r: 12, class: "stop", fill: colour(r.number), "data-route": r.number, "data-seq": s.seq, tabindex: 0 });
      const show = () => onStop(r, s);
      c.addEventListener("mouseenter", show);
      c.addEventListener("click", show);
      c.addEventListener("focus", show);
      stops.append(c);
    }
  }
  const un = svg("g", { class: "unassigned-g" });
  for (const u of plan.unassigned) {
    if (!u.location) continue;
    const [x, y] = P.at(u.location);
    const c = svg("circle", { cx: x, cy: y, r: 15, class: "unassigned", "data-station": u.station });
    const title = svg("title"); title.textContent = `${u.station}: ${u.reason}`; c.append(title);
    un.append(c);
  }
  el.append(paths, un, stops, svg("rect", { x: hub[0] - 13, y: hub[1] - 13, width: 26, height: 26, class: "hub" }));
}

let roads = [];

/**
 * setRoads keeps the imported road network's lines (GET
 * /v1/road-network/features) for every map drawn after: LineStrings and
 * MultiLineStrings, drawn faintly under the stations and routes.
 */
export function setRoads(fc) {
  roads = [];
  for (const f of (fc && fc.features) || []) {
    const g = f.geometry || {};
    if (g.type === "LineString") roads.push(g.coordinates);
    if (g.type === "MultiLineString") roads.push(...g.coordinates);
  }
  roads = roads.filter((l) => Array.isArray(l) && l.length >= 2);
}

/** highlight dims every route but n (none: all shown). */
export function highlight(el, n) {
  for (const e of el.querySelectorAll("[data-route]")) e.classList.toggle("dim", n != null && e.dataset.route !== String(n));
}

/**
 * routeLines reads the plan's GeoJSON (GET …/plans/{id}?format=geojson):
 * each route Feature's LineString by route number.
 */
export function routeLines(fc) {
  const out = {};
  for (const f of (fc && fc.features) || []) {
    const p = f.properties || {};
    if (p.kind === "route" && f.geometry && f.geometry.type === "LineString") out[p.route] = f.geometry.coordinates;
  }
  return out;
}

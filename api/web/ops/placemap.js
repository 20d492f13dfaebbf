// placemap: the county's stations as dots on an SVG, no tiles; a tap puts
// the new station's point there. The projection is map.js's (lon scaled by
// cos(latitude) around the county's middle), run backwards for the tap.
const NS = "http://www.w3.org/2000/svg";
const W = 600, M = 24;

function svg(tag, attrs = {}) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** drawPlaceMap draws stations and the chosen point; onPick([lon, lat]) hears a tap. */
export function drawPlaceMap(el, stations, chosen, onPick) {
  const pts = stations.map((s) => [s.location.lon, s.location.lat]);
  const ok = chosen.length === 2 && chosen.every(Number.isFinite) && chosen.some((x) => x !== 0);
  if (ok) pts.push(chosen);
  if (!pts.length) pts.push([101.99, 24.07]); // Xinping's hub, for an empty registry
  const lons = pts.map((p) => p[0]), lats = pts.map((p) => p[1]);
  // A margin of about 3 km around the stations leaves room to place a new one.
  const minLon = Math.min(...lons) - 0.03, maxLon = Math.max(...lons) + 0.03, minLat = Math.min(...lats) - 0.03, maxLat = Math.max(...lats) + 0.03;
  const k = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const scale = (W - 2 * M) / Math.max((maxLon - minLon) * k, (maxLat - minLat) * 0.8);
  const H = Math.round((maxLat - minLat) * scale + 2 * M);
  const at = ([lon, lat]) => [M + (lon - minLon) * k * scale, M + (maxLat - lat) * scale];
  const back = (x, y) => [minLon + (x - M) / (k * scale), maxLat - (y - M) / scale];
  el.setAttribute("viewBox", `0 0 ${W} ${H}`);
  el.replaceChildren(svg("rect", { x: 0, y: 0, width: W, height: H, class: "bg" }));
  for (const s of stations) {
    const [x, y] = at([s.location.lon, s.location.lat]);
    const m = s.tier === "village" ? svg("circle", { cx: x, cy: y, r: 3, class: "station" })
      : svg("rect", { x: x - 5, y: y - 5, width: 10, height: 10, class: s.tier === "county_hub" ? "hub" : "township" });
    const title = svg("title");
    title.textContent = `${s.name} ${s.code}`;
    m.append(title);
    el.append(m);
    if (s.tier !== "village") {
      // Townships and the hub carry their names, to find one's way.
      const label = svg("text", { x: x + 7, y: y - 6, class: "label" });
      label.textContent = s.name;
      el.append(label);
    }
  }
  if (ok) {
    const [x, y] = at(chosen);
    el.append(svg("circle", { cx: x, cy: y, r: 9, class: "picked", id: "picked" }));
  }
  el.onclick = (ev) => {
    const p = el.createSVGPoint();
    p.x = ev.clientX;
    p.y = ev.clientY;
    const q = p.matrixTransform(el.getScreenCTM().inverse());
    onPick(back(q.x, q.y));
  };
}

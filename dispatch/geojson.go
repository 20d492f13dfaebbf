package dispatch

import (
	"encoding/json"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// GeoJSON draws a plan for a map: the hub as a Point, each route as a
// LineString from the hub through its stops back to the hub, through the
// hub again between two runs (straight legs between stops; the plan keeps
// no road geometry), each run of a van again as a LineString of kind trip
// with its times and reload, and each stop as a Point with what happens
// there and on which run; stations left out are Points too, with the
// reason, so the map shows what is not served. The hub carries the plan's
// balance and its longest day; a route, its range (an electric van's) and
// whether it is the longest day.
func (p *Plan) GeoJSON() ([]byte, error) {
	fc := geojson.NewFeatureCollection()
	hub := pointOf(p.Hub.Location)
	h := geojson.NewFeature(hub)
	h.Properties = geojson.Properties{"kind": "hub", "station": p.Hub.Code, "name": p.Hub.Name,
		"balance": p.balanceMode(), "longest_distance_m": p.Longest.DistanceM, "longest_duration_s": p.Longest.DurationS}
	fc.Append(h)
	for _, r := range p.Routes {
		line := orb.LineString{hub}
		for k, st := range r.Stops {
			if k > 0 && st.Trip != r.Stops[k-1].Trip {
				line = append(line, hub) // back to reload
			}
			line = append(line, pointOf(st.Station.Location))
		}
		line = append(line, hub)
		f := geojson.NewFeature(line)
		f.Properties = geojson.Properties{"kind": "route", "route": r.Number, "vehicle": r.Vehicle,
			"vehicle_type": r.VehicleType, "operator": r.Operator, "depart": r.Depart, "return": r.Return,
			"distance_m": r.DistanceM, "duration_s": r.DurationS, "cost_fen": r.CostFen, "stops": len(r.Stops),
			"trips": len(r.Trips), "longest": r.DurationS == p.Longest.DurationS && p.Longest.DurationS > 0}
		if r.RangeM > 0 {
			f.Properties["range_m"] = r.RangeM
		}
		fc.Append(f)
		for _, t := range r.Trips {
			line := orb.LineString{hub}
			for _, st := range r.Stops[t.FirstSeq-1 : t.LastSeq] {
				line = append(line, pointOf(st.Station.Location))
			}
			f := geojson.NewFeature(append(line, hub))
			f.Properties = geojson.Properties{"kind": "trip", "route": r.Number, "trip": t.Number, "vehicle": r.Vehicle,
				"depart": t.Depart, "return": t.Return, "at_hub_s": t.AtHubS, "distance_m": t.DistanceM,
				"stops": t.Stops, "start_load_parcels": t.StartLoad.Parcels, "start_load_weight_g": t.StartLoad.WeightG}
			if t.GoodsAt != nil {
				f.Properties["goods_at"] = *t.GoodsAt
			}
			fc.Append(f)
		}
		for _, st := range r.Stops {
			f := geojson.NewFeature(pointOf(st.Station.Location))
			f.Properties = geojson.Properties{"kind": "stop", "route": r.Number, "trip": st.Trip, "seq": st.Seq,
				"station": st.Station.Code, "name": st.Station.Name, "keeper_phone": st.Station.KeeperPhone,
				"arrival": st.Arrival, "drop": len(st.Drop), "collect": len(st.Collect),
				"load_after_weight_g": st.LoadAfter.WeightG, "load_after_parcels": st.LoadAfter.Parcels}
			fc.Append(f)
		}
	}
	for _, u := range p.Unassigned {
		if len(u.Location) != 2 {
			continue
		}
		f := geojson.NewFeature(pointOf(u.Location))
		f.Properties = geojson.Properties{"kind": "unassigned", "station": u.Station, "code": u.Code,
			"reason": u.Reason, "drop": len(u.Drop), "collect": len(u.Collect)}
		fc.Append(f)
	}
	return json.Marshal(fc)
}

func pointOf(loc []float64) orb.Point {
	if len(loc) != 2 {
		return orb.Point{}
	}
	return orb.Point{loc[0], loc[1]}
}

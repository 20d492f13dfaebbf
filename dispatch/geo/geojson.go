package geo

import (
	"encoding/json"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/tongpei/tongpei/dispatch/vrp/vrpio"
)

// RouteLineString is the GeoJSON LineString of a route through points in
// visiting order (depot, stops, depot), point to point: the optimiser's
// answer to /v1/optimize has coordinates but no road network to follow.
func RouteLineString(points []orb.Point) ([]byte, error) {
	return json.Marshal(geojson.NewGeometry(orb.LineString(points)))
}

// AddGeometries sets each route's Geometry from its steps' locations when
// every step has coordinates; routes without them are left as they are.
func AddGeometries(out *vrpio.VROOMOutput) error {
	for i := range out.Routes {
		r := &out.Routes[i]
		points := make([]orb.Point, 0, len(r.Steps))
		for _, s := range r.Steps {
			if s.Location == nil {
				points = nil
				break
			}
			points = append(points, orb.Point(*s.Location))
		}
		if points == nil {
			continue
		}
		g, err := RouteLineString(points)
		if err != nil {
			return err
		}
		r.Geometry = g
	}
	return nil
}

package geo

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"
)

// Road network defaults: survey data of county roads rarely puts the end of
// one road exactly on another, so vertices closer than a few metres are one
// junction; a station more than a kilometre from any road is probably
// misplaced and is reported rather than guessed.
const (
	DefaultSnapToleranceM = 10.0
	DefaultMaxSnapM       = 1000.0
	// MaxRoadVertices bounds an import so a mistaken upload cannot exhaust
	// memory; a county's roads need far fewer.
	MaxRoadVertices = 500_000
)

// NetworkOptions steer how line strings become a graph.
type NetworkOptions struct {
	SnapToleranceM  float64 // vertices within this distance are one node; 0: default
	MaxSnapM        float64 // a station farther than this from every node is unreachable; 0: default
	DefaultSpeedKmh float64 // for roads without speed_kmh; 0: DefaultSpeedKmh
}

func (o NetworkOptions) withDefaults() NetworkOptions {
	if o.SnapToleranceM <= 0 {
		o.SnapToleranceM = DefaultSnapToleranceM
	}
	if o.MaxSnapM <= 0 {
		o.MaxSnapM = DefaultMaxSnapM
	}
	if o.DefaultSpeedKmh <= 0 {
		o.DefaultSpeedKmh = DefaultSpeedKmh
	}
	return o
}

// RoadNetwork is an undirected graph of road vertices. Every vertex of every
// line string is a node, so roads connect where they share a vertex (within
// the snap tolerance) and nowhere else: two roads that cross on a bridge
// without a shared vertex stay apart, as they should.
type RoadNetwork struct {
	opt   NetworkOptions
	nodes []orb.Point
	adj   [][]arc
	edges int
}

// arc is one direction of a road segment: its length and its driving time.
type arc struct {
	to      int32
	metres  float64
	seconds float64
}

// Nodes is the number of junctions and vertices after snapping.
func (n *RoadNetwork) Nodes() int { return len(n.nodes) }

// Edges is the number of road segments (each usable both ways).
func (n *RoadNetwork) Edges() int { return n.edges }

// Options are the options the network was built with, defaults filled in.
func (n *RoadNetwork) Options() NetworkOptions { return n.opt }

// ParseRoadNetwork reads a GeoJSON FeatureCollection of LineStrings (and
// MultiLineStrings) with an optional numeric speed_kmh property per feature.
// Errors name the feature at fault.
func ParseRoadNetwork(data []byte, opt NetworkOptions) (*RoadNetwork, error) {
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, fmt.Errorf("not a GeoJSON FeatureCollection: %w", err)
	}
	return BuildRoadNetwork(fc, opt)
}

// BuildRoadNetwork snaps the features' vertices into a graph.
func BuildRoadNetwork(fc *geojson.FeatureCollection, opt NetworkOptions) (*RoadNetwork, error) {
	opt = opt.withDefaults()
	if len(fc.Features) == 0 {
		return nil, errors.New("the FeatureCollection has no features; send the county's roads as LineStrings")
	}
	n := &RoadNetwork{opt: opt}
	sn := newSnapper(opt.SnapToleranceM)
	vertices := 0
	for i, f := range fc.Features {
		speed := opt.DefaultSpeedKmh
		if v, ok := f.Properties["speed_kmh"]; ok && v != nil {
			s, isNum := v.(float64)
			if !isNum || !(s > 0 && s <= 150) {
				return nil, fmt.Errorf("feature %d: speed_kmh must be a number in (0, 150], not %v", i, v)
			}
			speed = s
		}
		var lines []orb.LineString
		switch g := f.Geometry.(type) {
		case orb.LineString:
			lines = []orb.LineString{g}
		case orb.MultiLineString:
			lines = g
		default:
			return nil, fmt.Errorf("feature %d is a %T; only LineString and MultiLineString are roads", i, f.Geometry)
		}
		for _, ls := range lines {
			if len(ls) < 2 {
				return nil, fmt.Errorf("feature %d: a LineString needs at least two positions", i)
			}
			vertices += len(ls)
			if vertices > MaxRoadVertices {
				return nil, fmt.Errorf("the network has more than %d vertices; simplify it first", MaxRoadVertices)
			}
			prev := -1
			for _, p := range ls {
				if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90 {
					return nil, fmt.Errorf("feature %d: %v is not a valid [lon, lat]", i, p)
				}
				id := sn.node(n, p)
				if prev >= 0 && prev != id {
					n.connect(prev, id, speed)
				}
				prev = id
			}
		}
	}
	return n, nil
}

// connect adds a two-way segment between nodes a and b.
func (n *RoadNetwork) connect(a, b int, speedKmh float64) {
	m := geo.DistanceHaversine(n.nodes[a], n.nodes[b])
	s := m / (speedKmh / 3.6)
	n.adj[a] = append(n.adj[a], arc{to: int32(b), metres: m, seconds: s})
	n.adj[b] = append(n.adj[b], arc{to: int32(a), metres: m, seconds: s})
	n.edges++
}

// snapper finds an existing node within the tolerance through a grid of
// cells one tolerance wide, so snapping stays linear in the vertices.
type snapper struct {
	tol   float64
	cells map[[2]int64][]int
}

func newSnapper(tol float64) *snapper {
	return &snapper{tol: tol, cells: map[[2]int64][]int{}}
}

// metresPerDegree is the length of a degree of latitude; longitude degrees
// shrink with cos(latitude), which cell() accounts for.
const metresPerDegree = 111_320.0

func (s *snapper) cell(p orb.Point) [2]int64 {
	x := p[0] * metresPerDegree * math.Cos(p[1]*math.Pi/180)
	y := p[1] * metresPerDegree
	return [2]int64{int64(math.Floor(x / s.tol)), int64(math.Floor(y / s.tol))}
}

// node returns the node within the tolerance of p, creating one if none is.
func (s *snapper) node(n *RoadNetwork, p orb.Point) int {
	c := s.cell(p)
	best, bestD := -1, s.tol
	for dx := int64(-1); dx <= 1; dx++ {
		for dy := int64(-1); dy <= 1; dy++ {
			for _, id := range s.cells[[2]int64{c[0] + dx, c[1] + dy}] {
				if d := geo.DistanceHaversine(n.nodes[id], p); d <= bestD {
					best, bestD = id, d
				}
			}
		}
	}
	if best >= 0 {
		return best
	}
	id := len(n.nodes)
	n.nodes = append(n.nodes, p)
	n.adj = append(n.adj, nil)
	s.cells[c] = append(s.cells[c], id)
	return id
}

// nearest is the node closest to p and its distance in metres, or -1 when
// no node lies within the network's MaxSnapM.
func (n *RoadNetwork) nearest(p orb.Point) (int, float64) {
	best, bestD := -1, n.opt.MaxSnapM
	for id, q := range n.nodes {
		// A cheap latitude test skips most nodes before the haversine.
		if math.Abs(q[1]-p[1])*metresPerDegree > bestD {
			continue
		}
		if d := geo.DistanceHaversine(p, q); d <= bestD {
			best, bestD = id, d
		}
	}
	return best, bestD
}

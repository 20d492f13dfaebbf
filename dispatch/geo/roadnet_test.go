package geo

import (
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// A hand-made network: the slow road A–B–C, the fast detour A'–D–C whose
// start A' is 3 m from A (snapped to it), and an island E–F.
const testRoads = `{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"name":"slow"},"geometry":{"type":"LineString","coordinates":[[102.000,24.000],[102.010,24.000],[102.020,24.000]]}},
 {"type":"Feature","properties":{"speed_kmh":80},"geometry":{"type":"LineString","coordinates":[[102.00003,24.00001],[102.010,24.005],[102.020,24.000]]}},
 {"type":"Feature","properties":{"speed_kmh":30},"geometry":{"type":"LineString","coordinates":[[102.100,24.100],[102.110,24.100]]}}
]}`

var (
	ptA = orb.Point{102.000, 24.000}
	ptB = orb.Point{102.010, 24.000}
	ptC = orb.Point{102.020, 24.000}
	ptD = orb.Point{102.010, 24.005}
)

func TestRoadNetworkShortestPaths(t *testing.T) {
	t.Parallel()
	n, err := ParseRoadNetwork([]byte(testRoads), NetworkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n.Nodes() != 6 || n.Edges() != 5 {
		t.Fatalf("nodes %d edges %d, want 6 and 5 (A' snapped onto A, C shared)", n.Nodes(), n.Edges())
	}
	points := []orb.Point{ptA, ptC, ptB, {102.1, 24.1}, {103.0, 25.0}}
	codes := []string{"HUB", "C", "B", "ISLAND", "FAR"}
	m, err := n.Matrices(points, codes)
	if err != nil {
		t.Fatal(err)
	}
	np := len(points)
	hav := geo.DistanceHaversine
	// Shortest distance A→C is the straight slow road; fastest is the detour.
	wantM := hav(ptA, ptB) + hav(ptB, ptC)
	wantS := (hav(ptA, ptD) + hav(ptD, ptC)) / (80 / 3.6)
	if got := m.Distances[0*np+1]; math.Abs(float64(got)-wantM) > 1 {
		t.Errorf("distance hub→C = %d m, want %.0f", got, wantM)
	}
	if got := m.Durations[0*np+1]; math.Abs(float64(got)-wantS) > 1 {
		t.Errorf("time hub→C = %d s, want %.0f (the fast detour)", got, wantS)
	}
	if got, want := m.Distances[2*np+1], hav(ptB, ptC); math.Abs(float64(got)-want) > 1 {
		t.Errorf("distance B→C = %d, want %.0f", got, want)
	}
	if m.Distances[1*np+0] != m.Distances[0*np+1] {
		t.Errorf("roads are two-way: C→hub %d ≠ hub→C %d", m.Distances[np], m.Distances[1])
	}
	if len(m.Unreachable) != 2 {
		t.Fatalf("unreachable = %+v, want ISLAND and FAR", m.Unreachable)
	}
	for i, want := range []struct{ code, reason string }{{"ISLAND", "not connected"}, {"FAR", "no road"}} {
		u := m.Unreachable[i]
		if u.Code != want.code || !strings.Contains(u.Reason, want.reason) {
			t.Errorf("unreachable[%d] = %+v, want %s (%s)", i, u, want.code, want.reason)
		}
		if m.Distances[u.Index*np] != 0 || m.Distances[u.Index] != 0 {
			t.Errorf("%s has matrix entries; unreachable stations must be left out, not guessed", u.Code)
		}
	}
}

func TestRoadNetworkHubUnreachable(t *testing.T) {
	t.Parallel()
	n, err := ParseRoadNetwork([]byte(testRoads), NetworkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Matrices([]orb.Point{{103, 25}, ptA}, []string{"HUB", "A"}); err == nil || !strings.Contains(err.Error(), "HUB") {
		t.Fatalf("err = %v, want the hub reported", err)
	}
}

func TestParseRoadNetworkRejects(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"not json":    `{`,
		"empty":       `{"type":"FeatureCollection","features":[]}`,
		"point":       `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}]}`,
		"bad speed":   `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"speed_kmh":"fast"},"geometry":{"type":"LineString","coordinates":[[1,2],[1.1,2]]}}]}`,
		"one vertex":  `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[1,2]]}}]}`,
		"bad lon/lat": `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[1,2],[200,2]]}}]}`,
	} {
		if _, err := ParseRoadNetwork([]byte(body), NetworkOptions{}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzParseRoadNetwork(f *testing.F) {
	f.Add([]byte(testRoads))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseRoadNetwork(data, NetworkOptions{})
		if err != nil {
			return
		}
		if _, err := n.Matrices([]orb.Point{ptA, ptC}, []string{"H", "C"}); err != nil && !strings.Contains(err.Error(), "hub") {
			t.Fatal(err)
		}
	})
}

func TestMatrixCache(t *testing.T) {
	t.Parallel()
	c := NewMatrixCache(2)
	k1, k2, k3 := MatrixKey("a", []string{"x"}), MatrixKey("a", []string{"y"}), MatrixKey("b", []string{"x"})
	c.Put(k1, &CachedMatrix{Source: "1"})
	c.Put(k2, &CachedMatrix{Source: "2"})
	c.Put(k3, &CachedMatrix{Source: "3"})
	if _, ok := c.Get(k1); ok || c.Len() != 2 {
		t.Fatalf("the oldest entry should go when full (len %d)", c.Len())
	}
	c.Invalidate()
	if _, ok := c.Get(k3); ok {
		t.Fatal("Invalidate kept an entry")
	}
}

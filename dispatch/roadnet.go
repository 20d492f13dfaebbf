package dispatch

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"

	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/internal/errs"
)

// RoadNetworkInfo describes the imported network in use and which stations
// it cannot reach.
type RoadNetworkInfo struct {
	ID             int64             `json:"id"`
	Name           string            `json:"name"`
	Nodes          int               `json:"nodes"`
	Edges          int               `json:"edges"`
	SnapToleranceM float64           `json:"snap_tolerance_m"`
	MaxSnapM       float64           `json:"max_snap_m"`
	CreatedAt      time.Time         `json:"created_at"`
	Unreachable    []geo.Unreachable `json:"unreachable"`
}

// networkCache keeps the graph of the newest network so that plans do not
// rebuild it; it is keyed by the network's id.
type networkCache struct {
	mu sync.Mutex
	id int64
	n  *geo.RoadNetwork
}

// ImportRoadNetwork stores a GeoJSON FeatureCollection of roads as the
// network in use, drops every cached matrix, and reports the stations the
// network cannot reach.
func (s *Service) ImportRoadNetwork(ctx context.Context, name string, features []byte, opt geo.NetworkOptions) (RoadNetworkInfo, error) {
	n, err := geo.ParseRoadNetwork(features, opt)
	if err != nil {
		return RoadNetworkInfo{}, errs.Field("body", "%s", err)
	}
	o := n.Options()
	info := RoadNetworkInfo{Name: name, Nodes: n.Nodes(), Edges: n.Edges(), SnapToleranceM: o.SnapToleranceM, MaxSnapM: o.MaxSnapM}
	if err := s.roads.insertNetwork(ctx, features, &info); err != nil {
		return RoadNetworkInfo{}, err
	}
	s.net.mu.Lock()
	s.net.id, s.net.n = info.ID, n
	s.net.mu.Unlock()
	s.matrices.Invalidate()
	info.Unreachable, err = s.reach(ctx, n)
	return info, err
}

// RoadNetwork describes the network in use.
func (s *Service) RoadNetwork(ctx context.Context) (RoadNetworkInfo, error) {
	info, err := s.roads.newestInfo(ctx)
	if err != nil {
		return info, err
	}
	_, n, err := s.network(ctx)
	if err != nil {
		return info, err
	}
	info.Unreachable, err = s.reach(ctx, n)
	return info, err
}

// RoadNetworkFeatures is the network in use as it was imported (a GeoJSON
// FeatureCollection), for the operator's map to draw the roads under the
// routes; not_found when none was imported.
func (s *Service) RoadNetworkFeatures(ctx context.Context) ([]byte, error) {
	id, _, err := s.roads.newest(ctx)
	if err != nil {
		return nil, err
	}
	if id == 0 {
		return nil, errs.E(errs.NotFound, "no road network was imported; POST one to /v1/road-network")
	}
	return s.roads.features(ctx, id)
}

// reach lists the active stations n cannot serve.
func (s *Service) reach(ctx context.Context, n *geo.RoadNetwork) ([]geo.Unreachable, error) {
	set, err := s.loadStations(ctx)
	if errs.Is(err, errs.Conflict) {
		return []geo.Unreachable{}, nil // no hub yet: nothing to reach from
	}
	if err != nil {
		return nil, err
	}
	points, codes := []orb.Point{set.hub.Location}, []string{set.hub.Code}
	for _, st := range sortedStations(set) {
		points, codes = append(points, st.Location), append(codes, st.Code)
	}
	u, err := n.Reach(points, codes)
	if err != nil {
		return nil, caused(errs.E(errs.Invalid, "%s", err), err)
	}
	if u == nil {
		u = []geo.Unreachable{}
	}
	return u, nil
}

// network returns the newest imported network, building its graph once;
// (0, nil) when none was imported.
func (s *Service) network(ctx context.Context) (int64, *geo.RoadNetwork, error) {
	id, opt, err := s.roads.newest(ctx)
	if err != nil || id == 0 {
		return 0, nil, err
	}
	s.net.mu.Lock()
	defer s.net.mu.Unlock()
	if s.net.id == id {
		return id, s.net.n, nil
	}
	features, err := s.roads.features(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	n, err := geo.ParseRoadNetwork(features, opt)
	if err != nil {
		return 0, nil, errs.Wrap(err, "stored road network %d no longer builds", id)
	}
	s.net.id, s.net.n = id, n
	s.matrices.Invalidate() // another process imported it: older matrices are stale
	return id, n, nil
}

// sortedStations are the set's stations other than the hub, by code.
func sortedStations(set *stationSet) []Station {
	out := make([]Station, 0, len(set.byCode))
	for _, st := range set.byCode {
		if st.Code != set.hub.Code {
			out = append(out, st)
		}
	}
	slices.SortFunc(out, func(a, b Station) int { return strings.Compare(a.Code, b.Code) })
	return out
}

func describeSource(kind string, id int64) string {
	if id == 0 {
		return kind
	}
	return fmt.Sprintf("%s:%d", kind, id)
}

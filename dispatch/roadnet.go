package dispatch

import (
	"context"
	"encoding/json"
	"fmt"
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
func (s *Store) ImportRoadNetwork(ctx context.Context, name string, features []byte, opt geo.NetworkOptions) (RoadNetworkInfo, error) {
	n, err := geo.ParseRoadNetwork(features, opt)
	if err != nil {
		var f errs.Fields
		f.Add("body", "%v", err)
		return RoadNetworkInfo{}, f.Err()
	}
	o := n.Options()
	info := RoadNetworkInfo{Name: name, Nodes: n.Nodes(), Edges: n.Edges(), SnapToleranceM: o.SnapToleranceM, MaxSnapM: o.MaxSnapM}
	err = s.pool.QueryRow(ctx, `
		INSERT INTO road_networks (name, features, nodes, edges, snap_tolerance_m, max_snap_m)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`,
		name, json.RawMessage(features), info.Nodes, info.Edges, o.SnapToleranceM, o.MaxSnapM).Scan(&info.ID, &info.CreatedAt)
	if err != nil {
		return RoadNetworkInfo{}, dbErr(err, "road network")
	}
	s.net.mu.Lock()
	s.net.id, s.net.n = info.ID, n
	s.net.mu.Unlock()
	s.matrices.Invalidate()
	info.Unreachable, err = s.reach(ctx, n)
	return info, err
}

// RoadNetwork describes the network in use.
func (s *Store) RoadNetwork(ctx context.Context) (RoadNetworkInfo, error) {
	var info RoadNetworkInfo
	err := s.pool.QueryRow(ctx, `
		SELECT id, name, nodes, edges, snap_tolerance_m, max_snap_m, created_at
		FROM road_networks ORDER BY id DESC LIMIT 1`).Scan(&info.ID, &info.Name, &info.Nodes, &info.Edges,
		&info.SnapToleranceM, &info.MaxSnapM, &info.CreatedAt)
	if err != nil {
		return info, dbErr(err, "a road network (none was imported: POST /v1/road-network)")
	}
	_, n, err := s.network(ctx)
	if err != nil {
		return info, err
	}
	info.Unreachable, err = s.reach(ctx, n)
	return info, err
}

// reach lists the active stations n cannot serve.
func (s *Store) reach(ctx context.Context, n *geo.RoadNetwork) ([]geo.Unreachable, error) {
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
		return nil, errs.E(errs.Invalid, "%v", err)
	}
	if u == nil {
		u = []geo.Unreachable{}
	}
	return u, nil
}

// network returns the newest imported network, building its graph once;
// (0, nil) when none was imported.
func (s *Store) network(ctx context.Context) (int64, *geo.RoadNetwork, error) {
	var id int64
	var snap, maxSnap float64
	var features []byte
	err := s.pool.QueryRow(ctx, `SELECT id, snap_tolerance_m, max_snap_m FROM road_networks ORDER BY id DESC LIMIT 1`).Scan(&id, &snap, &maxSnap)
	if err != nil {
		if errs.Is(dbErr(err, ""), errs.NotFound) {
			return 0, nil, nil
		}
		return 0, nil, dbErr(err, "road network")
	}
	s.net.mu.Lock()
	defer s.net.mu.Unlock()
	if s.net.id == id {
		return id, s.net.n, nil
	}
	if err := s.pool.QueryRow(ctx, `SELECT features FROM road_networks WHERE id = $1`, id).Scan(&features); err != nil {
		return 0, nil, dbErr(err, "road network")
	}
	n, err := geo.ParseRoadNetwork(features, geo.NetworkOptions{SnapToleranceM: snap, MaxSnapM: maxSnap})
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
	sortByCode(out)
	return out
}

func describeSource(kind string, id int64) string {
	if id == 0 {
		return kind
	}
	return fmt.Sprintf("%s:%d", kind, id)
}

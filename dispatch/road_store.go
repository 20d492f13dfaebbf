package dispatch

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/internal/pg"
)

// roadStore keeps what travel is computed from: imported road networks
// (road_networks) and uploaded matrices (distance_matrices).
type roadStore struct{ pool *pgxpool.Pool }

// insertNetwork stores a network's features and fills info's id and time.
func (st roadStore) insertNetwork(ctx context.Context, features []byte, info *RoadNetworkInfo) error {
	err := st.pool.QueryRow(ctx, `
		INSERT INTO road_networks (name, features, nodes, edges, snap_tolerance_m, max_snap_m)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`,
		info.Name, json.RawMessage(features), info.Nodes, info.Edges, info.SnapToleranceM, info.MaxSnapM).Scan(&info.ID, &info.CreatedAt)
	return pg.Err(err, "road network")
}

// newestInfo describes the newest network; not_found when none was
// imported.
func (st roadStore) newestInfo(ctx context.Context) (RoadNetworkInfo, error) {
	var info RoadNetworkInfo
	err := st.pool.QueryRow(ctx, `
		SELECT id, name, nodes, edges, snap_tolerance_m, max_snap_m, created_at
		FROM road_networks ORDER BY id DESC LIMIT 1`).Scan(&info.ID, &info.Name, &info.Nodes, &info.Edges,
		&info.SnapToleranceM, &info.MaxSnapM, &info.CreatedAt)
	return info, pg.Err(err, "a road network (none was imported: POST /v1/road-network)")
}

// newest is the id and options of the newest network; id 0 when none was
// imported.
func (st roadStore) newest(ctx context.Context) (int64, geo.NetworkOptions, error) {
	var id int64
	var o geo.NetworkOptions
	err := st.pool.QueryRow(ctx, `SELECT id, snap_tolerance_m, max_snap_m FROM road_networks ORDER BY id DESC LIMIT 1`).
		Scan(&id, &o.SnapToleranceM, &o.MaxSnapM)
	if pg.NoRows(err) {
		return 0, o, nil
	}
	return id, o, pg.Err(err, "road network")
}

func (st roadStore) features(ctx context.Context, id int64) ([]byte, error) {
	var features []byte
	err := st.pool.QueryRow(ctx, `SELECT features FROM road_networks WHERE id = $1`, id).Scan(&features)
	return features, pg.Err(err, "road network")
}

// insertMatrix stores flattened (row-major) matrices over stations.
func (st roadStore) insertMatrix(ctx context.Context, stations []string, dist, dur []int64) (MatrixInfo, error) {
	info := MatrixInfo{Stations: len(stations)}
	err := st.pool.QueryRow(ctx, `INSERT INTO distance_matrices (stations, distances_m, durations_s) VALUES ($1, $2, $3) RETURNING id, created_at`,
		stations, dist, dur).Scan(&info.ID, &info.CreatedAt)
	return info, pg.Err(err, "matrix")
}

// uploadedMatrix is a stored matrix, flattened row-major over its stations.
type uploadedMatrix struct {
	ID             int64
	Stations       []string
	Dist, Duration []int64
}

// covering is the newest uploaded matrix over every one of codes; nil when
// there is none.
func (st roadStore) covering(ctx context.Context, codes []string) (*uploadedMatrix, error) {
	var m uploadedMatrix
	err := st.pool.QueryRow(ctx, `SELECT id, stations, distances_m, durations_s FROM distance_matrices
		WHERE stations @> $1 ORDER BY id DESC LIMIT 1`, codes).Scan(&m.ID, &m.Stations, &m.Dist, &m.Duration)
	if pg.NoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, pg.Err(err, "uploaded matrix")
	}
	return &m, nil
}

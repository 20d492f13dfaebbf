package dispatch

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/tenant"
)

// shareStore keeps each published plan's cost split (dispatch_cost_shares),
// once: the first stored is the one billed.
type shareStore struct{ pool *pgxpool.Pool }

// insert stores cs unless its plan has a split already.
func (st shareStore) insert(ctx context.Context, cs *CostShares) error {
	doc, err := json.Marshal(cs)
	if err != nil {
		return errs.Wrap(err, "cost shares of plan %d", cs.PlanID)
	}
	_, err = st.pool.Exec(ctx, `INSERT INTO dispatch_cost_shares (plan_id, method, total_fen, document, computed_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (plan_id) DO NOTHING`, cs.PlanID, cs.Method, cs.TotalFen, doc, cs.ComputedAt)
	return pg.Err(err, "cost shares")
}

// get reads a stored split; not_found when there is none.
func (st shareStore) get(ctx context.Context, planID int64) (*CostShares, error) {
	var doc []byte
	err := st.pool.QueryRow(ctx, `SELECT document FROM dispatch_cost_shares WHERE plan_id = $1`, planID).Scan(&doc)
	if err != nil {
		return nil, pg.Err(err, "cost shares of plan "+itoa(planID))
	}
	var cs CostShares
	if err := json.Unmarshal(doc, &cs); err != nil {
		return nil, errs.Wrap(err, "cost shares of plan %d are unreadable", planID)
	}
	return &cs, nil
}

// pending is the newest published plan of any county without a split,
// other than skip, and its county, for the split to be computed in (issue
// 18: the worker serves the province); 0 when there is none.
func (st shareStore) pending(ctx context.Context, skip []int64) (int64, string, error) {
	var id int64
	var county string
	err := st.pool.QueryRow(tenant.WithProvince(ctx), `SELECT p.id, p.county FROM dispatch_plans p
		WHERE p.status = 'published' AND p.id <> ALL($1)
		  AND NOT EXISTS (SELECT 1 FROM dispatch_cost_shares c WHERE c.plan_id = p.id AND c.county = p.county)
		ORDER BY p.id DESC LIMIT 1`, skip).Scan(&id, &county)
	if pg.NoRows(err) {
		return 0, "", nil
	}
	return id, county, pg.Err(err, "plans awaiting cost shares")
}

// claim takes plan planID's cost-share lock (a session advisory lock on a
// connection of its own), so that two servers do not both spend half a
// minute on one split; ok is false when another session holds it. release
// gives the lock and the connection back. The lock holds a connection for
// the whole computation, so only the background worker (one per process)
// takes it.
func (st shareStore) claim(ctx context.Context, planID int64) (release func(), ok bool, err error) {
	conn, err := st.pool.Acquire(ctx)
	if err != nil {
		return nil, false, pg.Err(err, "cost shares lock")
	}
	const key = `hashtextextended('tongpei.cost_shares.' || $1::bigint, 0)`
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(`+key+`)`, planID).Scan(&ok); err != nil || !ok {
		conn.Release()
		return nil, false, pg.Err(err, "cost shares lock")
	}
	return func() {
		// A fresh context: the worker's may be cancelled by now, and
		// the lock must not stay with the pooled connection.
		if _, err := conn.Exec(context.Background(), `SELECT pg_advisory_unlock(`+key+`)`, planID); err != nil {
			conn.Conn().Close(context.Background()) // closing the session drops its locks
		}
		conn.Release()
	}, true, nil
}

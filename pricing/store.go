package pricing

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/pg"
)

// store is the only code that speaks SQL; it translates database errors
// into errs codes at this edge.
type store struct{ pool *pgxpool.Pool }

// dbtx is what the pool and a transaction have in common.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// NewService is the pricing service over a pool; the snapshot is loaded on
// first use.
func NewService(pool *pgxpool.Pool) *Service {
	return &Service{st: &store{pool: pool}, Now: time.Now, MaxAge: 15 * time.Second}
}

// pricingLock serialises every change to a county's pricing tables across
// API nodes, so a change is validated against the state it is written
// over; counties do not wait for each other (the lock's second key is the
// county's).
const pricingLock = 72217030

// change runs fn in a transaction holding the pricing lock, with a snapshot
// read inside that transaction.
func (st *store) change(ctx context.Context, fn func(tx dbtx, snap *Snapshot) error) error {
	if _, err := snapshotCounty(ctx); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(current_setting('tongpei.county')))`, pricingLock); err != nil {
			return err
		}
		snap, err := load(ctx, tx)
		if err != nil {
			return err
		}
		return fn(tx, snap)
	})
	return pg.Err(err, "the pricing change")
}

// load reads every pricing table into a new snapshot.
func load(ctx context.Context, q dbtx) (*Snapshot, error) {
	s := &Snapshot{baselines: map[string][]*Baseline{}, cards: map[string][]*RateCard{},
		certs: map[string][]*Certificate{}, merchants: map[string]merchantInfo{}, LoadedAt: time.Now()}
	steps := []func(context.Context, dbtx, *Snapshot) error{
		loadZonings, loadBaselines, loadBands, loadCards, loadCarriers, loadMerchants, loadCertificates,
	}
	for _, step := range steps {
		if err := step(ctx, q, s); err != nil {
			return nil, err
		}
	}
	s.sortVersions()
	return s, nil
}

func loadZonings(ctx context.Context, q dbtx, s *Snapshot) error {
	rows, err := q.Query(ctx, `SELECT version, effective_from, origin, zones, created_by, created_at FROM pricing_zonings`)
	if err != nil {
		return err
	}
	s.zonings, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*Zoning, error) {
		z := &Zoning{}
		err := r.Scan(&z.Version, &z.EffectiveFrom, &z.Origin, &z.Zones, &z.CreatedBy, &z.CreatedAt)
		z.index()
		return z, err
	})
	return err
}

func loadBaselines(ctx context.Context, q dbtx, s *Snapshot) error {
	rows, err := q.Query(ctx, `
		SELECT version, carrier, effective_from, source, cells, created_by, created_at FROM pricing_baselines`)
	if err != nil {
		return err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*Baseline, error) {
		b := &Baseline{}
		err := r.Scan(&b.Version, &b.Carrier, &b.EffectiveFrom, &b.Source, &b.Cells, &b.CreatedBy, &b.CreatedAt)
		b.index()
		return b, err
	})
	for _, b := range list {
		s.baselines[b.Carrier] = append(s.baselines[b.Carrier], b)
	}
	return err
}

func loadBands(ctx context.Context, q dbtx, s *Snapshot) error {
	rows, err := q.Query(ctx, `
		SELECT version, effective_from, weight_rule, bound_g, cells, created_by, created_at FROM pricing_band_sets`)
	if err != nil {
		return err
	}
	s.bands, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (*BandSet, error) {
		b := &BandSet{}
		err := r.Scan(&b.Version, &b.EffectiveFrom, &b.WeightRule, &b.BoundG, &b.Cells, &b.CreatedBy, &b.CreatedAt)
		b.index()
		return b, err
	})
	return err
}

func loadCards(ctx context.Context, q dbtx, s *Snapshot) error {
	rows, err := q.Query(ctx, `
		SELECT carrier, version, effective_from, cells, created_by, created_at FROM pricing_rate_cards`)
	if err != nil {
		return err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*RateCard, error) {
		c := &RateCard{}
		err := r.Scan(&c.Carrier, &c.Version, &c.EffectiveFrom, &c.Cells, &c.CreatedBy, &c.CreatedAt)
		c.index()
		return c, err
	})
	for _, c := range list {
		s.cards[c.Carrier] = append(s.cards[c.Carrier], c)
	}
	return err
}

func loadCarriers(ctx context.Context, q dbtx, s *Snapshot) error {
	rows, err := q.Query(ctx, `SELECT code, name, kind, active FROM carriers`)
	if err != nil {
		return err
	}
	s.carriers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (CarrierInfo, error) {
		var c CarrierInfo
		return c, r.Scan(&c.Code, &c.Name, &c.Kind, &c.Active)
	})
	return err
}

func loadMerchants(ctx context.Context, q dbtx, s *Snapshot) error {
	rows, err := q.Query(ctx, `SELECT id, registered_in_county, active FROM merchants`)
	if err != nil {
		return err
	}
	var id string
	var m merchantInfo
	_, err = pgx.ForEachRow(rows, []any{&id, &m.registered, &m.active}, func() error {
		s.merchants[id] = m
		return nil
	})
	return err
}

// jsonb marshals a document for a jsonb column.
func jsonb(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // our own plain structs always marshal
	}
	return b
}

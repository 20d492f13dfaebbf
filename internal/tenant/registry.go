package tenant

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/errs"
)

// County is one county of the province's registry (table counties).
type County struct {
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Registry keeps the province's counties. Its rows are under row-level
// security like every table: a county sees its own row, the province all.
type Registry struct{ pool *pgxpool.Pool }

// NewRegistry wraps a pool.
func NewRegistry(pool *pgxpool.Pool) *Registry { return &Registry{pool: pool} }

// Add registers a county; a code registered already is a conflict.
func (r *Registry) Add(ctx context.Context, code, name string) (County, error) {
	if err := Check(code); err != nil {
		return County{}, err
	}
	c := County{Code: code, Name: name}
	err := r.pool.QueryRow(WithProvince(ctx), `INSERT INTO counties (county, name) VALUES ($1, $2) RETURNING created_at`,
		code, name).Scan(&c.CreatedAt)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return County{}, errs.E(errs.Conflict, "county %s is registered already", code)
	}
	if err != nil {
		return County{}, errs.Wrap(err, "cannot register county %s", code)
	}
	return c, nil
}

// Ensure registers the install's own county if it is missing (serve).
func (r *Registry) Ensure(ctx context.Context, code string) error {
	if err := Check(code); err != nil {
		return err
	}
	_, err := r.pool.Exec(WithProvince(ctx), `INSERT INTO counties (county) VALUES ($1) ON CONFLICT DO NOTHING`, code)
	if err != nil {
		return errs.Wrap(err, "cannot register county %s", code)
	}
	return nil
}

// List is every county ctx may see, by code.
func (r *Registry) List(ctx context.Context) ([]County, error) {
	rows, err := r.pool.Query(ctx, `SELECT county, name, created_at FROM counties ORDER BY county`)
	if err != nil {
		return nil, errs.Wrap(err, "cannot read the counties")
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[County])
	if err != nil {
		return nil, errs.Wrap(err, "cannot read the counties")
	}
	return list, nil
}

// Codes lists the code of every registered county, read province-wide
// whatever ctx works for: the background jobs that sweep every county
// start here.
func (r *Registry) Codes(ctx context.Context) ([]string, error) {
	rows, err := r.pool.Query(WithProvince(ctx), `SELECT county FROM counties ORDER BY county`)
	if err != nil {
		return nil, errs.Wrap(err, "cannot read the counties")
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, errs.Wrap(err, "cannot read the counties")
	}
	return codes, nil
}

// Known reports whether county code is registered, looked up province-wide
// whatever county ctx works for: the carrier-event consumer asks it before
// applying an event in the county its subject names.
func (r *Registry) Known(ctx context.Context, code string) (bool, error) {
	var ok bool
	err := r.pool.QueryRow(WithProvince(ctx), `SELECT EXISTS (SELECT 1 FROM counties WHERE county = $1)`, code).Scan(&ok)
	if err != nil {
		return false, errs.Wrap(err, "cannot read the counties")
	}
	return ok, nil
}

// Each runs fn once for every registered county, in code order, with a
// context working for that county (so the pool and row-level security
// show fn that county's rows alone). A county that fails does not stop
// the others: their errors come back joined, each naming its county.
// Each stops early only when ctx ends.
func (r *Registry) Each(ctx context.Context, fn func(ctx context.Context, county string) error) error {
	codes, err := r.Codes(ctx)
	if err != nil {
		return err
	}
	var failed []error
	for _, c := range codes {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(With(ctx, c), c); err != nil {
			failed = append(failed, fmt.Errorf("county %s: %w", c, err))
		}
	}
	return errors.Join(failed...)
}

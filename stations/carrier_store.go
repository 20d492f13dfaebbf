package stations

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/tenant"
)

const carrierColumns = `code, name, kind, coalesce(to_char(stationed_since, 'YYYY-MM-DD'), ''), active`

func scanCarrier(row pgx.Row) (Carrier, error) {
	var c Carrier
	err := row.Scan(&c.Code, &c.Name, &c.Kind, &c.StationedSince, &c.Active)
	return c, err
}

// CarrierFilter narrows a carrier list; zero fields do not filter.
type CarrierFilter struct {
	Kind   CarrierKind
	Active *bool
}

// CreateCarrier registers a company at the county centre. Every bad field
// is reported at once and nothing is written; a taken code is a conflict.
func (r *Registry) CreateCarrier(ctx context.Context, ch CarrierChange) (Carrier, error) {
	var bad errs.Fields
	c := ch.newCarrier(&bad)
	if err := bad.Err(); err != nil {
		return Carrier{}, err
	}
	_, err := r.pool.Exec(ctx, `
		INSERT INTO carriers (code, name, kind, stationed_since, active)
		VALUES ($1, $2, $3, nullif($4, '')::date, $5)`,
		c.Code, c.Name, c.Kind, c.StationedSince, c.Active)
	if err != nil {
		return Carrier{}, carrierWriteErr(err, c.Code)
	}
	return c, nil
}

// UpdateCarrier changes the fields ch holds and checks the merged carrier.
func (r *Registry) UpdateCarrier(ctx context.Context, code string, ch CarrierChange) (Carrier, error) {
	var c Carrier
	err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		var err error
		c, err = scanCarrier(tx.QueryRow(ctx, `SELECT `+carrierColumns+` FROM carriers WHERE code = $1 FOR UPDATE`, code))
		if err != nil {
			return pg.Err(err, fmt.Sprintf("carrier %q", code))
		}
		var bad errs.Fields
		ch.apply(&c, &bad)
		c.validate(&bad)
		if err := bad.Err(); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE carriers SET name = $2, kind = $3, stationed_since = nullif($4, '')::date, active = $5, updated_at = now()
			WHERE code = $1`, c.Code, c.Name, c.Kind, c.StationedSince, c.Active)
		return err
	})
	if err != nil {
		return Carrier{}, pg.Err(err, fmt.Sprintf("carrier %s", code))
	}
	return c, nil
}

func carrierWriteErr(err error, code string) error {
	if _, ok := pg.UniqueViolation(err); ok {
		return errs.E(errs.Conflict, "carrier %s already exists; choose another code or PATCH /v1/carriers/%s", code, code)
	}
	return pg.Err(err, fmt.Sprintf("carrier %s", code))
}

// Carrier returns one carrier. Every role may read carriers: which
// companies work from the county centre is public.
func (r *Registry) Carrier(ctx context.Context, code string) (Carrier, error) {
	c, err := scanCarrier(r.pool.QueryRow(ctx, `SELECT `+carrierColumns+` FROM carriers WHERE code = $1`, code))
	if err != nil {
		return Carrier{}, pg.Err(err, fmt.Sprintf("carrier %q", code))
	}
	return c, nil
}

// CarrierCounties are the counties where carrier code is registered and
// active, read province-wide whatever county ctx works for: a carrier's
// province-wide NATS login reaches its subjects in each of them (issue 18).
func (r *Registry) CarrierCounties(ctx context.Context, code string) ([]string, error) {
	rows, err := r.pool.Query(tenant.WithProvince(ctx), `SELECT county FROM carriers WHERE code = $1 AND active ORDER BY county`, code)
	if err != nil {
		return nil, pg.Err(err, "the counties of carrier "+code)
	}
	counties, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, pg.Err(err, "the counties of carrier "+code)
	}
	return counties, nil
}

// Carriers lists carriers by code.
func (r *Registry) Carriers(ctx context.Context, f CarrierFilter, p Page) ([]Carrier, string, error) {
	var bad errs.Fields
	switch f.Kind {
	case "", Express, Bulk, Trade:
	default:
		bad.Add("kind", "must be express, bulk or trade, not %q", f.Kind)
	}
	after, err := decodeCursor(carrierCursor, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	if err := bad.Err(); err != nil {
		return nil, "", err
	}
	rows, err := r.pool.Query(ctx, `
		SELECT `+carrierColumns+` FROM carriers
		WHERE ($1 = '' OR kind = $1) AND ($2::boolean IS NULL OR active = $2) AND code > $3
		ORDER BY code LIMIT $4`, string(f.Kind), f.Active, after, pageLimit(p))
	if err != nil {
		return nil, "", errs.Wrap(err, "cannot list carriers")
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Carrier, error) { return scanCarrier(row) })
	if err != nil {
		return nil, "", errs.Wrap(err, "cannot list carriers")
	}
	items, next := cutPage(items, p, carrierCursor, func(c Carrier) string { return c.Code })
	return items, next, nil
}

// DeactivateCarrier marks a carrier inactive and returns it; carriers are
// never deleted, because parcels refer to them.
func (r *Registry) DeactivateCarrier(ctx context.Context, code string) (Carrier, error) {
	c, err := scanCarrier(r.pool.QueryRow(ctx, `
		UPDATE carriers SET active = false, updated_at = CASE WHEN active THEN now() ELSE updated_at END
		WHERE code = $1 RETURNING `+carrierColumns, code))
	if err != nil {
		return Carrier{}, pg.Err(err, fmt.Sprintf("carrier %q", code))
	}
	return c, nil
}

package stations

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
)

const merchantColumns = `id, name, credit_code, registered_in_county, contact, categories, active`

func scanMerchant(row pgx.Row) (Merchant, error) {
	var m Merchant
	err := row.Scan(&m.ID, &m.Name, &m.CreditCode, &m.RegisteredInCounty, &m.Contact, &m.Categories, &m.Active)
	if m.Categories == nil {
		m.Categories = []string{}
	}
	return m, err
}

// MerchantFilter narrows a merchant list; zero fields do not filter.
type MerchantFilter struct {
	Active *bool
}

// CreateMerchant registers a firm and assigns its id. Every bad field is
// reported at once and nothing is written; a credit code already
// registered is a conflict that names the firm holding it.
func (r *Registry) CreateMerchant(ctx context.Context, ch MerchantChange) (Merchant, error) {
	var bad errs.Fields
	m := ch.newMerchant(&bad)
	if err := bad.Err(); err != nil {
		return Merchant{}, err
	}
	err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		if err := creditCodeFree(ctx, tx, m.CreditCode, ""); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO merchants (name, credit_code, registered_in_county, contact, categories, active)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			m.Name, m.CreditCode, m.RegisteredInCounty, m.Contact, m.Categories, m.Active).Scan(&m.ID)
		return merchantWriteErr(err, m.CreditCode)
	})
	if err != nil {
		return Merchant{}, pg.Err(err, fmt.Sprintf("merchant %s", m.Name))
	}
	return m, nil
}

// creditCodeFree says which firm already holds a credit code, so that the
// clerk can find it instead of registering the firm twice.
func creditCodeFree(ctx context.Context, tx pgx.Tx, code, self string) error {
	var id string
	err := tx.QueryRow(ctx, `SELECT id FROM merchants WHERE credit_code = $1 AND id <> $2`, code, self).Scan(&id)
	switch {
	case pg.NoRows(err):
		return nil
	case err != nil:
		return err
	}
	return errs.E(errs.Conflict, "credit code %s is already registered to merchant %s; PATCH /v1/merchants/%s instead", code, id, id)
}

func merchantWriteErr(err error, code string) error {
	if _, ok := pg.UniqueViolation(err); ok {
		return errs.E(errs.Conflict, "credit code %s is already registered", code)
	}
	return err
}

// UpdateMerchant changes the fields ch holds and checks the merged merchant.
func (r *Registry) UpdateMerchant(ctx context.Context, id string, ch MerchantChange) (Merchant, error) {
	var m Merchant
	err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		var err error
		m, err = scanMerchant(tx.QueryRow(ctx, `SELECT `+merchantColumns+` FROM merchants WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return pg.Err(err, fmt.Sprintf("merchant %q", id))
		}
		var bad errs.Fields
		ch.apply(&m)
		m.validate(&bad)
		if err := bad.Err(); err != nil {
			return err
		}
		if err := creditCodeFree(ctx, tx, m.CreditCode, id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			UPDATE merchants SET name = $2, credit_code = $3, registered_in_county = $4, contact = $5,
				categories = $6, active = $7, updated_at = now()
			WHERE id = $1`, id, m.Name, m.CreditCode, m.RegisteredInCounty, m.Contact, m.Categories, m.Active)
		return merchantWriteErr(err, m.CreditCode)
	})
	if err != nil {
		return Merchant{}, pg.Err(err, fmt.Sprintf("merchant %s", id))
	}
	return m, nil
}

// Merchant returns one merchant to the county centre or to the firm itself.
func (r *Registry) Merchant(ctx context.Context, viewer auth.Principal, id string) (Merchant, error) {
	if err := canReadMerchant(viewer, id); err != nil {
		return Merchant{}, err
	}
	m, err := scanMerchant(r.pool.QueryRow(ctx, `SELECT `+merchantColumns+` FROM merchants WHERE id = $1`, id))
	if err != nil {
		return Merchant{}, pg.Err(err, fmt.Sprintf("merchant %q", id))
	}
	return m, nil
}

// MerchantByCreditCode finds a firm by its legal identity.
func (r *Registry) MerchantByCreditCode(ctx context.Context, code string) (Merchant, error) {
	m, err := scanMerchant(r.pool.QueryRow(ctx, `SELECT `+merchantColumns+` FROM merchants WHERE credit_code = $1`, code))
	if err != nil {
		return Merchant{}, pg.Err(err, fmt.Sprintf("the merchant with credit code %q", code))
	}
	return m, nil
}

// Merchants lists merchants by id: all of them for the county centre, only
// itself for a merchant, and nothing (forbidden) for keepers and carriers.
func (r *Registry) Merchants(ctx context.Context, viewer auth.Principal, f MerchantFilter, p Page) ([]Merchant, string, error) {
	only := ""
	switch {
	case viewer.IsAdmin():
	case viewer.Role == auth.Merchant:
		only = viewer.Scope
	default:
		return nil, "", canReadMerchant(viewer, "")
	}
	after, err := decodeCursor(merchantCursor, p.Cursor)
	if err != nil {
		return nil, "", err
	}
	rows, err := r.pool.Query(ctx, `
		SELECT `+merchantColumns+` FROM merchants
		WHERE ($1 = '' OR id = $1) AND ($2::boolean IS NULL OR active = $2) AND id > $3
		ORDER BY id LIMIT $4`, only, f.Active, after, pageLimit(p))
	if err != nil {
		return nil, "", errs.Wrap(err, "cannot list merchants")
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Merchant, error) { return scanMerchant(row) })
	if err != nil {
		return nil, "", errs.Wrap(err, "cannot list merchants")
	}
	items, next := cutPage(items, p, merchantCursor, func(m Merchant) string { return m.ID })
	return items, next, nil
}

// DeactivateMerchant marks a merchant inactive and returns it; firms are
// never deleted, because parcels and certifications refer to them.
func (r *Registry) DeactivateMerchant(ctx context.Context, id string) (Merchant, error) {
	m, err := scanMerchant(r.pool.QueryRow(ctx, `
		UPDATE merchants SET active = false, updated_at = CASE WHEN active THEN now() ELSE updated_at END
		WHERE id = $1 RETURNING `+merchantColumns, id))
	if err != nil {
		return Merchant{}, pg.Err(err, fmt.Sprintf("merchant %q", id))
	}
	return m, nil
}

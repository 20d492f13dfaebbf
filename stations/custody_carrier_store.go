package stations

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/tenant"
)

// dbTx is the transaction a store hands to the rules it calls back (which
// pass it on to other store functions); an alias, so that rule files need
// not import the driver.
type dbTx = pgx.Tx

// onceForEvent runs apply in a transaction that first records the carrier
// event's id; an id recorded before means the event was applied, and then
// nothing runs.
func (c *Custody) onceForEvent(ctx context.Context, carrier string, eventID uuid.UUID, kind string, apply func(context.Context, dbTx) error) error {
	return c.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO carrier_events (id, carrier, kind) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO NOTHING`, eventID, carrier, kind)
		if err != nil || tag.RowsAffected() == 0 {
			return err // applied before: nothing to do
		}
		return apply(ctx, tx)
	})
}

// othersParcels are the tracking numbers among tns that only carriers
// other than carrier have registered.
func othersParcels(ctx context.Context, tx pgx.Tx, tns []string, carrier string) ([]string, error) {
	var others []string
	err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(DISTINCT tracking_no), '{}') FROM parcels
		WHERE tracking_no = ANY($1) AND carrier <> $2 AND NOT EXISTS (
		    SELECT 1 FROM parcels mine WHERE mine.tracking_no = parcels.tracking_no AND mine.carrier = $2)`,
		tns, carrier).Scan(&others)
	return others, err
}

// parcelCounties are the tracking numbers among tns that carrier has in a
// county other than ctx's, each with that county ("T123 (county 530428)"),
// read province-wide.
func parcelCounties(ctx context.Context, pool *pgxpool.Pool, carrier string, tns []string) ([]string, error) {
	own := tenant.From(ctx)
	if own == "" {
		own = tenant.Default()
	}
	var found []string
	err := pool.QueryRow(tenant.WithProvince(ctx), `SELECT coalesce(array_agg(DISTINCT tracking_no || ' (county ' || county || ')'), '{}')
		FROM parcels WHERE carrier = $1 AND tracking_no = ANY($2) AND county <> $3`, carrier, tns, own).Scan(&found)
	return found, err
}

// activeHub is the code of the active county hub named ("" for the first
// one); pgx.ErrNoRows when there is none.
func activeHub(ctx context.Context, tx pgx.Tx, named string) (string, error) {
	var code string
	err := tx.QueryRow(ctx, `SELECT code FROM stations WHERE tier = 'county_hub' AND active AND ($1 = '' OR code = $1)
		ORDER BY code LIMIT 1`, named).Scan(&code)
	return code, err
}

package pricing

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
)

// insertQuote stores a quote in one round trip without waiting for the WAL
// flush (synchronous_commit off for this transaction only). A commit that
// waits for fsync costs 10–20 ms on a county server's disk, over the quote
// latency budget; what the shortcut risks is losing the last fraction of a
// second of quotes if PostgreSQL itself crashes, never corruption, and such
// a quote is simply asked again. Charges, which are money, keep the full
// durable commit.
func (st *store) insertQuote(ctx context.Context, q *Quote) error {
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	b.Queue(`SET LOCAL synchronous_commit TO OFF`)
	b.Queue(`INSERT INTO pricing_quotes (id, quoted_at, merchant_id, body) VALUES ($1, $2, $3, $4)`,
		q.ID, q.QuotedAt, q.MerchantID, jsonb(q))
	b.Queue(`COMMIT`)
	err := st.pool.SendBatch(ctx, b).Close()
	return pg.Err(err, "the quote")
}

func (st *store) quote(ctx context.Context, id uuid.UUID) (Quote, error) {
	var body []byte
	err := st.pool.QueryRow(ctx, `SELECT body FROM pricing_quotes WHERE id = $1`, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return Quote{}, errs.E(errs.NotFound, "quote %s does not exist", id)
	}
	if err != nil {
		return Quote{}, pg.Err(err, "quote "+id.String())
	}
	var q Quote
	if err := json.Unmarshal(body, &q); err != nil {
		return Quote{}, errs.Wrap(err, "quote %s is damaged", id)
	}
	return q, nil
}

const chargeColumns = `id, quote_id, carrier, tracking_no, merchant_id, certified, category, zone, chargeable_g,
	price_fen, baseline_fen, band_min_fen, band_max_fen, charged_at, recorded_by`

func scanCharge(r pgx.CollectableRow) (Charge, error) {
	var c Charge
	err := r.Scan(&c.ID, &c.QuoteID, &c.Carrier, &c.TrackingNo, &c.MerchantID, &c.Certified, &c.Category, &c.Zone,
		&c.ChargeableG, &c.PriceFen, &c.BaselineFen, &c.Band.MinFen, &c.Band.MaxFen, &c.ChargedAt, &c.RecordedBy)
	c.WithinBand = c.Band.Contains(c.PriceFen)
	return c, err
}

// insertCharge records a charge once per (carrier, tracking_no); created is
// false when that parcel was already charged, and the stored row is answered.
func (st *store) insertCharge(ctx context.Context, c Charge) (Charge, bool, error) {
	rows, err := st.pool.Query(ctx, `
		INSERT INTO pricing_charges (quote_id, carrier, tracking_no, merchant_id, certified, category, zone,
		       chargeable_g, price_fen, baseline_fen, band_min_fen, band_max_fen, charged_at, recorded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (county, carrier, tracking_no) DO NOTHING
		RETURNING `+chargeColumns,
		c.QuoteID, c.Carrier, c.TrackingNo, c.MerchantID, c.Certified, string(c.Category), c.Zone,
		c.ChargeableG, c.PriceFen, c.BaselineFen, c.Band.MinFen, c.Band.MaxFen, c.ChargedAt, c.RecordedBy)
	if err != nil {
		return Charge{}, false, pg.Err(err, "the charge")
	}
	saved, err := pgx.CollectExactlyOneRow(rows, scanCharge)
	if err == nil {
		return saved, true, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return Charge{}, false, pg.Err(err, "the charge")
	}
	rows, err = st.pool.Query(ctx, `SELECT `+chargeColumns+` FROM pricing_charges WHERE carrier = $1 AND tracking_no = $2`,
		c.Carrier, c.TrackingNo)
	if err != nil {
		return Charge{}, false, pg.Err(err, "the charge")
	}
	saved, err = pgx.CollectExactlyOneRow(rows, scanCharge)
	return saved, false, pg.Err(err, "the charge")
}

// reductionSums adds up certified farm-produce charges in [from, to) per
// carrier, in SQL, so a month of parcels never crosses the wire row by row.
func (st *store) reductionSums(ctx context.Context, from, to time.Time) ([]ReductionLine, error) {
	rows, err := st.pool.Query(ctx, `
		SELECT carrier, count(*), sum(price_fen)::bigint, sum(baseline_fen)::bigint
		FROM pricing_charges
		WHERE charged_at >= $1 AND charged_at < $2 AND certified AND category = 'farm_produce'
		GROUP BY carrier ORDER BY carrier`, from, to)
	if err != nil {
		return nil, pg.Err(err, "the charges")
	}
	lines, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReductionLine, error) {
		var l ReductionLine
		return l, r.Scan(&l.Carrier, &l.Parcels, &l.ChargedFen, &l.BaselineFen)
	})
	return lines, pg.Err(err, "the charges")
}

// shipmentCount is every charge in [from, to), certified or not.
func (st *store) shipmentCount(ctx context.Context, from, to time.Time) (int64, error) {
	var n int64
	err := st.pool.QueryRow(ctx, `SELECT count(*) FROM pricing_charges WHERE charged_at >= $1 AND charged_at < $2`,
		from, to).Scan(&n)
	return n, pg.Err(err, "the charges")
}

// outsideBand lists certified charges in [from, to) whose price left the band.
func (st *store) outsideBand(ctx context.Context, from, to time.Time, limit int) ([]Charge, error) {
	rows, err := st.pool.Query(ctx, `SELECT `+chargeColumns+` FROM pricing_charges
		WHERE charged_at >= $1 AND charged_at < $2 AND certified
		  AND (price_fen < band_min_fen OR price_fen > band_max_fen)
		ORDER BY charged_at, id LIMIT $3`, from, to, limit)
	if err != nil {
		return nil, pg.Err(err, "the charges outside their band")
	}
	list, err := pgx.CollectRows(rows, scanCharge)
	return list, pg.Err(err, "the charges outside their band")
}

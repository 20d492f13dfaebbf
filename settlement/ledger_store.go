package settlement

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/stations"
)

// insert posts entries in one transaction, opening accounts as needed.
func (l *Ledger) insert(ctx context.Context, entries []Entry) ([]Entry, error) {
	err := pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
		for i := range entries {
			e := &entries[i]
			err := tx.QueryRow(ctx, `INSERT INTO settlement_entries (business_date, kind, source, memo, memo_en, reverses)
				VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, posted_at`, e.BusinessDate, e.Kind, e.Source, e.Memo, e.MemoEn, e.Reverses).
				Scan(&e.ID, &e.PostedAt)
			if err != nil {
				return err
			}
			for k, ln := range e.Lines {
				kind, party, _ := strings.Cut(ln.Account, ":")
				if _, err := tx.Exec(ctx, `INSERT INTO settlement_accounts (code, kind, party) VALUES ($1, $2, $3)
					ON CONFLICT (county, code) DO NOTHING`, ln.Account, kind, party); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO settlement_lines (entry_id, line, account, amount_fen, detail, detail_en)
					VALUES ($1, $2, $3, $4, $5, $6)`, e.ID, k+1, ln.Account, ln.AmountFen, ln.Detail, ln.DetailEn); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, pg.Err(err, "entry "+entries[0].Source)
	}
	return entries, nil
}

const entryCols = `e.id, e.business_date::text, e.kind, e.source, e.memo, coalesce(e.memo_en, e.memo), e.reverses, e.posted_at,
	(SELECT r.id FROM settlement_entries r WHERE r.reverses = e.id)`

// entries reads entries matching where (over alias e) with their lines.
func (l *Ledger) entries(ctx context.Context, where string, args ...any) ([]Entry, error) {
	rows, err := l.pool.Query(ctx, `SELECT `+entryCols+` FROM settlement_entries e WHERE `+where+` ORDER BY e.id`, args...)
	if err != nil {
		return nil, pg.Err(err, "entries")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Entry, error) {
		var e Entry
		err := r.Scan(&e.ID, &e.BusinessDate, &e.Kind, &e.Source, &e.Memo, &e.MemoEn, &e.Reverses, &e.PostedAt, &e.ReversedBy)
		return e, err
	})
	if err != nil {
		return nil, pg.Err(err, "entries")
	}
	for i := range out {
		rows, err := l.pool.Query(ctx, `SELECT account, amount_fen, detail, coalesce(detail_en, detail) FROM settlement_lines WHERE entry_id = $1 ORDER BY line`, out[i].ID)
		if err != nil {
			return nil, pg.Err(err, "lines")
		}
		out[i].Lines, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Line])
		if err != nil {
			return nil, pg.Err(err, "lines")
		}
	}
	return out, nil
}

// Entry reads one entry with its lines.
func (l *Ledger) Entry(ctx context.Context, id int64) (Entry, error) {
	es, err := l.entries(ctx, `e.id = $1`, id)
	if err != nil {
		return Entry{}, err
	}
	if len(es) == 0 {
		return Entry{}, errs.E(errs.NotFound, "entry %d does not exist", id)
	}
	return es[0], nil
}

const live = `NOT EXISTS (SELECT 1 FROM settlement_entries r WHERE r.reverses = e.id)`

// liveBySource is the unreversed entry posting source.
func (l *Ledger) liveBySource(ctx context.Context, source string) (Entry, error) {
	es, err := l.entries(ctx, `e.source = $1 AND `+live, source)
	if err != nil {
		return Entry{}, err
	}
	if len(es) == 0 {
		return Entry{}, errs.E(errs.NotFound, "no live entry posts %s", source)
	}
	return es[0], nil
}

// liveOfDay lists the unreversed entries of a kind for a business date.
func (l *Ledger) liveOfDay(ctx context.Context, kind, date string) ([]Entry, error) {
	return l.entries(ctx, `e.kind = $1 AND e.business_date = $2::date AND `+live, kind, date)
}

// revisions counts the entries whose source starts with prefix.
func (l *Ledger) revisions(ctx context.Context, prefix string) int {
	var n int
	_ = l.pool.QueryRow(ctx, `SELECT count(*) FROM settlement_entries WHERE starts_with(source, $1)`, prefix).Scan(&n)
	return n
}

// FeeRates are the handling fees per parcel by tier and event.
type FeeRates map[string]int64 // "tier/event" → fen

func (r FeeRates) fee(tier, event string) int64 { return r[tier+"/"+event] }

// FeeRate is one configured fee.
type FeeRate struct {
	Tier   string `json:"tier"`
	Event  string `json:"event"`
	FeeFen int64  `json:"fee_fen"`
}

// FeeRates reads the configured handling fees.
func (l *Ledger) FeeRates(ctx context.Context) (FeeRates, error) {
	list, err := l.FeeRateList(ctx)
	if err != nil {
		return nil, err
	}
	out := FeeRates{}
	for _, f := range list {
		out[f.Tier+"/"+f.Event] = f.FeeFen
	}
	return out, nil
}

// FeeRateList lists the handling fees.
func (l *Ledger) FeeRateList(ctx context.Context) ([]FeeRate, error) {
	rows, err := l.pool.Query(ctx, `SELECT tier, event, fee_fen FROM settlement_fee_rates ORDER BY tier, event`)
	if err != nil {
		return nil, pg.Err(err, "fee rates")
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[FeeRate])
	return out, pg.Err(err, "fee rates")
}

// SetFeeRate changes one handling fee; postings from then on use it.
func (l *Ledger) SetFeeRate(ctx context.Context, f FeeRate) (FeeRate, error) {
	var bad errs.Fields
	if f.Tier != "village" && f.Tier != "township" && f.Tier != "county_hub" {
		bad.Add("tier", "must be village, township or county_hub, not %q", f.Tier)
	}
	if f.Event != "picked_up" && f.Event != "accepted" {
		bad.Add("event", "must be picked_up or accepted, not %q", f.Event)
	}
	if f.FeeFen < 0 || f.FeeFen > 100_00 {
		bad.Add("fee_fen", "must be from 0 to 10000 fen, not %d", f.FeeFen)
	}
	if err := bad.Err(); err != nil {
		return FeeRate{}, err
	}
	_, err := l.pool.Exec(ctx, `INSERT INTO settlement_fee_rates (tier, event, fee_fen) VALUES ($1, $2, $3)
		ON CONFLICT (county, tier, event) DO UPDATE SET fee_fen = EXCLUDED.fee_fen, updated_at = now()`, f.Tier, f.Event, f.FeeFen)
	return f, pg.Err(err, "fee rate")
}

// Ledger posts to and reads the settlement ledger. It reads other domains
// through their Go APIs: dispatch for plans and their cost shares, custody
// for the parcels handled at stations.
type Ledger struct {
	pool     *pgxpool.Pool
	dispatch *dispatch.Service
	custody  *stations.Custody
	// Shares bound the cost-sharing computation a posting may start.
	Shares dispatch.ShareOptions
}

// NewLedger wires the ledger to its pool and the domains it reads.
func NewLedger(pool *pgxpool.Pool, d *dispatch.Service, c *stations.Custody) *Ledger {
	return &Ledger{pool: pool, dispatch: d, custody: c}
}

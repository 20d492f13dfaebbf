package settlement

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/pg"
)

type accountRow struct{ Code, Kind, Party string }

// accountsOf lists the accounts of kind (all when empty) and party (all when
// empty) with lines before the date to.
func (l *Ledger) accountsOf(ctx context.Context, kind, party, to string) ([]accountRow, error) {
	rows, err := l.pool.Query(ctx, `
		SELECT a.code, a.kind, a.party FROM settlement_accounts a
		WHERE ($1 = '' OR a.kind = $1) AND ($2 = '' OR a.party = $2)
		  AND EXISTS (SELECT 1 FROM settlement_lines ln JOIN settlement_entries e ON e.id = ln.entry_id
		              WHERE ln.account = a.code AND e.business_date < $3::date)
		ORDER BY a.kind, a.party`, kind, party, to)
	if err != nil {
		return nil, pg.Err(err, "accounts")
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[accountRow])
	return out, pg.Err(err, "accounts")
}

// balanceBefore sums an account's lines of business days before from.
func (l *Ledger) balanceBefore(ctx context.Context, account, from string) (int64, error) {
	var fen int64
	err := l.pool.QueryRow(ctx, `
		SELECT coalesce(sum(ln.amount_fen), 0)::bigint FROM settlement_lines ln JOIN settlement_entries e ON e.id = ln.entry_id
		WHERE ln.account = $1 AND e.business_date < $2::date`, account, from).Scan(&fen)
	return fen, pg.Err(err, "balance")
}

// linesBetween lists an account's lines of business days in [from, to).
func (l *Ledger) linesBetween(ctx context.Context, account, from, to string) ([]StatementLine, error) {
	rows, err := l.pool.Query(ctx, `
		SELECT e.business_date::text, e.id, e.kind, e.source, e.memo, ln.detail, ln.amount_fen, 0::bigint
		FROM settlement_lines ln JOIN settlement_entries e ON e.id = ln.entry_id
		WHERE ln.account = $1 AND e.business_date >= $2::date AND e.business_date < $3::date
		ORDER BY e.business_date, e.id, ln.line`, account, from, to)
	if err != nil {
		return nil, pg.Err(err, "statement")
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[StatementLine])
	return out, pg.Err(err, "statement")
}

// trialBalance sums every account's lines.
func (l *Ledger) trialBalance(ctx context.Context) (TrialBalance, error) {
	tb := TrialBalance{Accounts: []AccountBalance{}}
	rows, err := l.pool.Query(ctx, `
		SELECT account, sum(amount_fen)::bigint FROM settlement_lines GROUP BY account ORDER BY account`)
	if err != nil {
		return tb, pg.Err(err, "balances")
	}
	tb.Accounts, err = pgx.CollectRows(rows, pgx.RowToStructByPos[AccountBalance])
	if err != nil {
		return tb, pg.Err(err, "balances")
	}
	err = l.pool.QueryRow(ctx, `SELECT count(*) FROM settlement_entries`).Scan(&tb.Entries)
	return tb, pg.Err(err, "balances")
}

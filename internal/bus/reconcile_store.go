package bus

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Unsent counts the outbox rows not yet published.
func Unsent(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	var n int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`).Scan(&n)
	return n, err
}

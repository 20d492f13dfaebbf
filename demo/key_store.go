package demo

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/pg"
)

// Key reads the database's demonstration key (demo_secret, migration
// 00003), making a random one on first use; the demonstration tokens are
// derived from it.
func Key(ctx context.Context, pool *pgxpool.Pool) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("demonstration key: %w", err)
	}
	var key []byte
	err := pool.QueryRow(ctx, `
		WITH ins AS (INSERT INTO demo_secret (secret) VALUES ($1) ON CONFLICT (county, id) DO NOTHING RETURNING secret)
		SELECT secret FROM ins UNION ALL SELECT secret FROM demo_secret LIMIT 1`, fresh).Scan(&key)
	if err != nil {
		return nil, pg.Err(err, "the demonstration key")
	}
	return key, nil
}

package pg

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ConnectReplica opens the pool for reads that may lag the primary (lists
// and reports), to a streaming replica (TONGPEI_DATABASE_REPLICA_URL). It
// neither creates nor migrates the database, which a replica could not do:
// the primary's migrations reach it through replication. Its sessions are
// read-only, so a query sent there by mistake that writes fails at once,
// on a replica and on a second URL to the primary alike. An empty url
// gives the primary's pool back: with no replica every read is there.
func ConnectReplica(ctx context.Context, url string, primary *pgxpool.Pool) (*pgxpool.Pool, error) {
	if url == "" {
		return primary, nil
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("replica URL %q is not valid (%w); set TONGPEI_DATABASE_REPLICA_URL to postgres://user@host:port/db?sslmode=disable or leave it empty", redact(url), err)
	}
	cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	secure(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("cannot open the replica %s: %w", redact(url), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach the replica at %s: %v; start it or unset TONGPEI_DATABASE_REPLICA_URL", redact(url), shortErr(err))
	}
	return pool, nil
}

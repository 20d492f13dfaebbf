package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/tenant"
)

// CopyFrom bulk-loads rows for a test, as pool.CopyFrom did before the
// pool worked under row-level security, which refuses COPY FROM: it copies
// on a connection of the login user (a superuser in tests), for the
// county of ctx (the install's default when ctx names none).
func CopyFrom(t testing.TB, ctx context.Context, pool *pgxpool.Pool, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	t.Helper()
	conn, err := pgx.ConnectConfig(ctx, pool.Config().ConnConfig.Copy())
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.Background())
	county := tenant.From(ctx)
	if county == "" || county == tenant.Province {
		county = tenant.Default()
	}
	if _, err := conn.Exec(ctx, `SELECT set_config('tongpei.county', $1, false)`, county); err != nil {
		return 0, err
	}
	return conn.CopyFrom(ctx, table, columns, src)
}

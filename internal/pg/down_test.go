package pg_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// TestCountiesDownThenUp: on a scratch database with a row in a county
// table, goose takes migration 00170 (counties as tenants) down and up
// again; both directions run, and the row keeps its data.
func TestCountiesDownThenUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	if _, err := pool.Exec(ctx, `INSERT INTO carriers (code, name, kind) VALUES ('SF', '顺丰速运', 'express')`); err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*pool.Config().ConnConfig.Copy())
	defer db.Close()
	provider, err := goose.NewProvider(goose.DialectPostgres, db, pg.MigrationsFS(), goose.WithAllowOutofOrder(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.DownTo(ctx, 165); err != nil {
		t.Fatalf("goose down to 00165: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM information_schema.columns WHERE column_name = 'county' AND table_schema = 'public'`); n != 0 {
		t.Fatalf("%d county columns left after down", n)
	}
	if _, err := provider.Up(ctx); err != nil {
		t.Fatalf("goose up again: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM carriers WHERE code = 'SF' AND county = '530427'`); n != 1 {
		t.Fatalf("carrier SF after down and up: %d rows in the default county", n)
	}
}

func count(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

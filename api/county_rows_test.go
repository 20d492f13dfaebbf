package api_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/tenant"
)

// countyTables are the tables (not their month partitions) whose rows
// carry a county.
func countyTables(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(tenant.WithProvince(context.Background()), `SELECT c.relname FROM pg_class c
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'county' AND NOT a.attisdropped
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) < 40 {
		t.Fatalf("only %d tables carry a county", len(tables))
	}
	return tables
}

// countyRows is a digest of every row of county, table by table, read
// province-wide: equal digests before and after mean nothing of the
// county's was added, changed or removed.
func countyRows(t *testing.T, pool *pgxpool.Pool, county string) map[string]string {
	t.Helper()
	ctx := tenant.WithProvince(context.Background())
	digests := map[string]string{}
	for _, tb := range countyTables(t, pool) {
		var d string
		err := pool.QueryRow(ctx, `SELECT count(*) || ' ' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '')
			FROM `+pgx.Identifier{tb}.Sanitize()+` r WHERE county = $1`, county).Scan(&d)
		if err != nil {
			t.Fatalf("%s: %v", tb, err)
		}
		digests[tb] = d
	}
	return digests
}

// checkNoCountyNoRows is internal/pg's TestNoCountyNoRows on a database
// with data in it: a session of the app role that set no county sees no
// row of any table, and the same session working for the province sees
// rows in at least min of them (so the first check is not vacuous).
func checkNoCountyNoRows(t *testing.T, pool *pgxpool.Pool, min int) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pool.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SET ROLE `+pg.AppRole); err != nil {
		t.Fatal(err)
	}
	count := func(tb string) int {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{tb}.Sanitize()).Scan(&n); err != nil {
			t.Fatalf("%s: %v", tb, err)
		}
		return n
	}
	tables := countyTables(t, pool)
	for _, tb := range tables {
		if n := count(tb); n != 0 {
			t.Errorf("%s: %d rows seen without a county, want none", tb, n)
		}
	}
	if _, err := conn.Exec(ctx, `SELECT set_config('tongpei.county', '*', false)`); err != nil {
		t.Fatal(err)
	}
	filled := 0
	for _, tb := range tables {
		if count(tb) > 0 {
			filled++
		}
	}
	if filled < min {
		t.Errorf("only %d of %d tables hold rows; the check without a county needs data to mean something", filled, len(tables))
	}
}

package pg_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/internal/tenant"
)

// A session of the app role that set no county sees no row of any table:
// a query that missed the county fails closed (issue 18). Every table of
// the schema but goose's own is held by row-level security, so a table a
// later migration adds without a county fails here.
func TestNoCountyNoRows(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	ctx := context.Background()
	pool, err := pg.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	// a row of the default county and one of another, in the partitioned outbox
	for _, county := range []string{tenant.Default(), "530428"} {
		if _, err := pool.Exec(tenant.With(ctx, county), `INSERT INTO outbox (id, subject, payload) VALUES ($1, 't', '{}')`, uuid.New()); err != nil {
			t.Fatal(err)
		}
	}
	var other int
	if err := pool.QueryRow(tenant.With(ctx, "530428"), `SELECT count(*) FROM outbox`).Scan(&other); err != nil || other != 1 {
		t.Fatalf("county 530428 sees %d outbox rows (%v), want its 1", other, err)
	}
	if err := pool.QueryRow(tenant.WithProvince(ctx), `SELECT count(*) FROM outbox`).Scan(&other); err != nil || other != 2 {
		t.Fatalf("the province sees %d outbox rows (%v), want 2", other, err)
	}

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT c.relname, c.relrowsecurity FROM pg_class c
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> 'goose_db_version'`)
	if err != nil {
		t.Fatal(err)
	}
	type table struct {
		Name    string
		Secured bool
	}
	tables, err := pgx.CollectRows(rows, pgx.RowToStructByPos[table])
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) < 40 {
		t.Fatalf("only %d tables", len(tables))
	}
	if _, err := conn.Exec(ctx, `SET ROLE `+pg.AppRole); err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		if !tb.Secured {
			t.Errorf("%s: row-level security is off", tb.Name)
			continue
		}
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{tb.Name}.Sanitize()).Scan(&n); err != nil {
			t.Errorf("%s: %v", tb.Name, err)
		} else if n != 0 {
			t.Errorf("%s: %d rows seen without a county, want none", tb.Name, n)
		}
	}
}

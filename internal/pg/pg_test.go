package pg_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

func TestOpenCreatesAndMigrates(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	ctx := context.Background()
	// Opening twice is idempotent: the second start finds nothing to do.
	for i := 0; i < 2; i++ {
		pool, err := pg.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM api_tokens`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		pool.Close()
	}
}

func TestConnectUnreachableSaysWhatToDo(t *testing.T) {
	t.Parallel()
	_, err := pg.Connect(context.Background(), "postgres://postgres@127.0.0.1:1/x?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("want an error")
	}
	if got := err.Error(); !strings.Contains(got, "TONGPEI_DATABASE_URL") {
		t.Fatalf("error does not say how to fix it: %s", got)
	}
}

func TestOpenExistingNeverCreates(t *testing.T) {
	t.Parallel()
	url := pgtest.URL(t)
	missing := strings.Replace(url, "/"+dbName(t, url)+"?", "/"+dbName(t, url)+"_never_made?", 1)
	if _, err := pg.OpenExisting(context.Background(), missing); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing database: %v", err)
	}
	// The refusal made nothing: Open (which creates) is still the first to.
	pool, err := pg.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	pool.Close()
	pool, err = pg.OpenExisting(context.Background(), url)
	if err != nil {
		t.Fatalf("existing database: %v", err)
	}
	defer pool.Close()
	var exists bool
	if err := pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, dbName(t, url)+"_never_made").Scan(&exists); err != nil || exists {
		t.Fatalf("the refused database exists: %v %v", exists, err)
	}
}

func dbName(t *testing.T, url string) string {
	t.Helper()
	rest := url[strings.LastIndex(url, "/")+1:]
	name, _, _ := strings.Cut(rest, "?")
	return name
}

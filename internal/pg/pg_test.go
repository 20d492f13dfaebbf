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

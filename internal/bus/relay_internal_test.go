package bus

import (
	"context"
	"testing"
	"time"

	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

func TestPruneKeepsUnsentAndRecentRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	_, err := pool.Exec(ctx, `
		INSERT INTO outbox (id, subject, payload, created_at, sent_at) VALUES
		(gen_random_uuid(), 'tongpei.parcel.A.x', '{}', now() - interval '9 days', now() - interval '8 days'),
		(gen_random_uuid(), 'tongpei.parcel.A.x', '{}', now() - interval '9 days', NULL),
		(gen_random_uuid(), 'tongpei.parcel.A.x', '{}', now() - interval '2 days', now() - interval '1 day')`)
	if err != nil {
		t.Fatal(err)
	}
	r := &Relay{pool: pool, opts: RelayOptions{KeepSent: 7 * 24 * time.Hour}}
	if err := r.pruneOnce(ctx); err != nil {
		t.Fatal(err)
	}
	var left, unsent int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE sent_at IS NULL) FROM outbox`).Scan(&left, &unsent); err != nil {
		t.Fatal(err)
	}
	if left != 2 || unsent != 1 {
		t.Fatalf("%d rows left (%d unsent), want the unsent and the recent one", left, unsent)
	}
}

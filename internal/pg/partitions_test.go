package pg_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

var cst = time.FixedZone("CST", 8*3600)

// Rows land in the partition of their month (Beijing time), the coming
// months are made ahead, and asking again makes nothing new.
func TestPartitionsMadeAheadHoldTheirMonth(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	ctx := context.Background()
	now := time.Now()
	// A year ahead of the real clock: every month from there is missing.
	later := now.AddDate(1, 0, 0)
	made, err := pg.EnsurePartitions(ctx, pool, later)
	if err != nil {
		t.Fatal(err)
	}
	if len(made) != 2*(pg.PartitionsAhead+2) {
		t.Fatalf("made %v, want %d months of each table", made, pg.PartitionsAhead+2)
	}
	first := time.Date(later.In(cst).Year(), later.In(cst).Month(), 1, 0, 0, 0, 0, cst)
	for i := -1; i <= pg.PartitionsAhead; i++ {
		name := "parcel_events_" + first.AddDate(0, i, 0).Format("y2006m01")
		if !slices.Contains(made, name) {
			t.Errorf("%s not made: %v", name, made)
		}
	}
	if again, err := pg.EnsurePartitions(ctx, pool, later); err != nil || len(again) != 0 {
		t.Fatalf("second run made %v (%v), want nothing", again, err)
	}

	// The last instant of a month and the first of the next, in Beijing
	// time, go to two partitions.
	boundary := first.AddDate(0, 1, 0)
	for _, at := range []time.Time{boundary.Add(-time.Microsecond), boundary} {
		if _, err := pool.Exec(ctx, `INSERT INTO outbox (id, subject, payload, created_at) VALUES ($1, 't', '{}', $2)`, uuid.New(), at); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []time.Time{first, boundary} {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM outbox_`+m.Format("y2006m01")).Scan(&n); err != nil || n != 1 {
			t.Errorf("outbox_%s holds %d rows (%v), want 1", m.Format("y2006m01"), n, err)
		}
	}
	var where string
	if err := pool.QueryRow(ctx, `SELECT tableoid::regclass::text FROM outbox WHERE created_at = $1`, boundary).Scan(&where); err != nil ||
		where != "outbox_"+boundary.Format("y2006m01") {
		t.Errorf("the first instant of %s is in %s (%v)", boundary.Format("2006-01"), where, err)
	}
}

// An id is unique across months: the key tables refuse a second row with
// the same id in another month, for the timeline and the outbox.
func TestPartitionKeysUniqueAcrossMonths(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	ctx := context.Background()
	id := uuid.New()
	thisMonth, lastMonth := time.Now(), time.Now().AddDate(0, -1, 0)
	if _, err := pg.EnsurePartitions(ctx, pool, lastMonth); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO outbox (id, subject, payload, created_at) VALUES ($1, 't', '{}', $2)`, id, lastMonth); err != nil {
		t.Fatal(err)
	}
	_, err := pool.Exec(ctx, `INSERT INTO outbox (id, subject, payload, created_at) VALUES ($1, 't', '{}', $2)`, id, thisMonth)
	if name, ok := pg.UniqueViolation(err); !ok || name != "outbox_ids_pkey" {
		t.Fatalf("second outbox row with one id in another month: %v, want a violation of outbox_ids_pkey", err)
	}
	// Pruning a row frees its id, as the old UNIQUE (id) did.
	if _, err := pool.Exec(ctx, `DELETE FROM outbox WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	var keys int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM outbox_ids WHERE id = $1`, id).Scan(&keys); err != nil || keys != 0 {
		t.Fatalf("%d keys left after the delete (%v)", keys, err)
	}
}

// Detaching keeps every month younger than the limit and every outbox month
// with unsent rows; a detached month is listed as such and its keys are gone.
func TestDetachRefusesUnsentMonths(t *testing.T) {
	t.Parallel()
	pool := pgtest.Pool(t)
	ctx := context.Background()
	now := time.Now()
	old := now.AddDate(0, -14, 0)
	if _, err := pg.EnsurePartitions(ctx, pool, old); err != nil {
		t.Fatal(err)
	}
	sent, unsent := uuid.New(), uuid.New()
	if _, err := pool.Exec(ctx, `INSERT INTO outbox (id, subject, payload, created_at, sent_at) VALUES
		($1, 't', '{}', $3, $3), ($2, 't', '{}', $4, NULL)`, sent, unsent, old, old.AddDate(0, 1, 0)); err != nil {
		t.Fatal(err)
	}
	done, err := pg.DetachOlderThan(ctx, pool, now, 12)
	if err != nil {
		t.Fatal(err)
	}
	oldName, unsentName := "outbox_"+old.In(cst).Format("y2006m01"), "outbox_"+old.AddDate(0, 1, 0).In(cst).Format("y2006m01")
	got := map[string]error{}
	for _, d := range done {
		got[d.Name] = d.Err
	}
	if e, ok := got[oldName]; !ok || e != nil {
		t.Errorf("%s: detached %v, err %v; want detached", oldName, ok, e)
	}
	if e := got[unsentName]; !errors.Is(e, pg.ErrUnsent) {
		t.Errorf("%s: err %v, want ErrUnsent", unsentName, e)
	}
	for _, d := range done {
		if !d.Month.Before(time.Date(now.In(cst).Year(), now.In(cst).Month()-12, 1, 0, 0, 0, 0, cst)) {
			t.Errorf("%s is younger than 12 months and was touched", d.Name)
		}
	}
	parts, err := pg.ListPartitions(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		switch p.Name {
		case oldName:
			if !p.Detached || p.Rows != 1 {
				t.Errorf("%s: %+v, want detached with its row", p.Name, p)
			}
		case unsentName:
			if p.Detached || p.Unsent != 1 {
				t.Errorf("%s: %+v, want attached with 1 unsent", p.Name, p)
			}
		}
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM outbox_ids WHERE id = $1`, sent).Scan(&n); err != nil || n != 0 {
		t.Errorf("the detached row's key is still there (%d, %v)", n, err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the unsent row is no longer in the outbox (%d, %v)", n, err)
	}
	if _, err := pg.DetachOlderThan(ctx, pool, now, 0); err == nil {
		t.Error("detaching everything but nothing was refused")
	}
}

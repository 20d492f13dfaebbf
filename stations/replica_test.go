package stations_test

import (
	"strings"
	"testing"

	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// With a replica, the report reads go there and nothing else does. No real
// streaming replica can be set up here, so the "replica" is a second URL:
// first to another database, to see which pool a read used (it holds the
// county but no parcels), then to the primary's own database, as a
// replica in sync would be.
func TestReportReadsGoToTheReplica(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	other, err := pg.ConnectReplica(f.ctx, pgtest.URL(t), f.pool)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(other.Close)
	f.c.UseReplica(other)
	tn := f.downParcels("REP", 1)[0]
	f.toShelf(tn, "V1") // scans write to the primary
	if got, err := f.c.WaitingByStation(f.ctx, 0); err != nil || len(got) != 0 {
		t.Fatalf("waiting read from the other database: %+v (%v), want none", got, err)
	}
	if n := f.count(`SELECT count(*) FROM parcels WHERE state = 'station_arrival'`); n != 1 {
		t.Fatalf("the primary has %d parcels on a shelf, want 1", n)
	}

	same, err := pg.ConnectReplica(f.ctx, f.pool.Config().ConnString(), f.pool)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(same.Close)
	f.c.UseReplica(same)
	got, err := f.c.WaitingByStation(f.ctx, 0)
	if err != nil || len(got) != 1 || got[0].Waiting != 1 {
		t.Fatalf("waiting read from a second URL to the primary: %+v (%v), want V1 with 1", got, err)
	}
	if _, err := same.Exec(f.ctx, `UPDATE parcels SET state = state`); err == nil || !strings.Contains(err.Error(), "read-only transaction") {
		t.Fatalf("a write through the replica pool: %v; its sessions must be read-only", err)
	}
	if p, err := pg.ConnectReplica(f.ctx, "", f.pool); err != nil || p != f.pool {
		t.Fatalf("no replica URL: %v %v, want the primary's pool", p, err)
	}
}

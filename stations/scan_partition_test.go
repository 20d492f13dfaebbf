package stations_test

import (
	"testing"
	"time"

	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/stations"
)

// The timeline is partitioned by the month a scan was stored in (migration
// 00160). A scan stored in the last second of a month and resent in the
// first second of the next is found and stored once; the same id with
// other content in the new month is still told apart. Each row is in its
// own month's partition.
func TestScanExactlyOnceAcrossAMonthBoundary(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	cst := time.FixedZone("CST", 8*3600)
	n := time.Now().In(cst)
	boundary := time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, cst) // this month's first instant
	if _, err := pg.EnsurePartitions(f.ctx, f.pool, boundary.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	before, after := "parcel_events_"+boundary.AddDate(0, -1, 0).Format("y2006m01"), "parcel_events_"+boundary.Format("y2006m01")
	f.register(downParcel("SF", "SF-M1", "V1", "13812345678"))
	if _, err := f.pool.Exec(f.ctx, `UPDATE parcels SET created_at = $1`, boundary.Add(-time.Hour)); err != nil {
		t.Fatal(err) // registered before the month's last second, as the scans need
	}

	s := sc("SF-M1", stations.HubInbound, "HUB")
	s.At = boundary.Add(-2 * time.Second).UTC()
	f.c.SetClock(func() time.Time { return boundary.Add(-time.Second).UTC() })
	f.mustAccept(hubKeeper, s)

	f.c.SetClock(func() time.Time { return boundary.Add(time.Second).UTC() })
	if r := f.scan(hubKeeper, s)[0]; r.Status != stations.StatusDuplicate {
		t.Fatalf("resend in the next month: %+v, want duplicate", r)
	}
	other := s
	other.Kind = stations.Problem
	other.Note = "damaged"
	if r := f.scan(hubKeeper, other)[0]; r.Code != stations.CodeIDReused {
		t.Fatalf("the id with other content in the next month: %+v, want %s", r, stations.CodeIDReused)
	}
	if n := f.count(`SELECT count(*) FROM parcel_events WHERE id = $1`, s.ID); n != 1 {
		t.Fatalf("%d timeline rows for one scan id, want 1", n)
	}
	if n := f.count(`SELECT count(*) FROM outbox WHERE id = $1`, s.ID); n != 1 {
		t.Fatalf("%d outbox rows for one scan id, want 1", n)
	}
	if n := f.count(`SELECT count(*) FROM ` + before); n != 1 {
		t.Errorf("%s holds %d rows, want the scan", before, n)
	}
	// A scan stored after midnight is in the new month's partition.
	sorted := sc("SF-M1", stations.Sorted, "HUB")
	sorted.At = boundary.UTC()
	f.mustAccept(hubKeeper, sorted)
	if n := f.count(`SELECT count(*) FROM ` + after); n != 1 {
		t.Errorf("%s holds %d rows, want the second scan", after, n)
	}
}

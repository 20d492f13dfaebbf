package stations_test

import (
	"sync"
	"testing"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/stations"
)

// TestGroupCommit sends single scans at once from the keepers of V1 and V2,
// each arrival sent twice concurrently (a phone and its resend queue), and
// keepers scanning at each other's station. Each caller gets its own
// answer: every parcel arrives once with its own pickup code, the twin is
// a duplicate, the foreign scan is refused; and the scans shared
// transactions (fewer inserting transaction ids than scans).
func TestGroupCommit(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	tns := f.downParcels("GC", 120)
	var walk []stations.Scan
	for _, kind := range []string{stations.HubInbound, stations.Sorted, stations.Loaded} {
		for _, tn := range tns {
			walk = append(walk, sc(tn, kind, "HUB"))
		}
	}
	f.mustAccept(opsAdmin, walk...)
	keeperOf := []auth.Principal{keeperV1, keeperV2}
	stationOf := []string{"V1", "V2"}

	type answer struct {
		r   stations.Result
		err error
	}
	arrivals := make([]stations.Scan, len(tns))
	got := make([][2]answer, len(tns))
	foreign := make([]answer, len(tns))
	var wg sync.WaitGroup
	for i, tn := range tns {
		arrivals[i] = sc(tn, stations.StationArrival, stationOf[i%2])
		for twin := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := f.c.Scan(f.ctx, keeperOf[i%2], []stations.Scan{arrivals[i]})
				if err == nil {
					got[i][twin].r = res[0]
				}
				got[i][twin].err = err
			}()
		}
		wg.Add(1)
		go func() { // the other keeper, at its own station, for this parcel
			defer wg.Done()
			s := sc(tn, stations.StationArrival, stationOf[(i+1)%2])
			res, err := f.c.Scan(f.ctx, keeperOf[(i+1)%2], []stations.Scan{s})
			if err == nil {
				foreign[i].r = res[0]
			}
			foreign[i].err = err
		}()
	}
	wg.Wait()

	codes := map[string]bool{}
	for i, tn := range tns {
		a, b := got[i][0], got[i][1]
		if a.err != nil || b.err != nil {
			t.Fatalf("%s: errors %v, %v", tn, a.err, b.err)
		}
		if a.r.ID != arrivals[i].ID || b.r.ID != arrivals[i].ID {
			t.Fatalf("%s: results for %s and %s, want both for its own scan %s", tn, a.r.ID, b.r.ID, arrivals[i].ID)
		}
		statuses := map[string]int{a.r.Status: 1}
		statuses[b.r.Status]++
		if statuses[stations.StatusAccepted] != 1 || statuses[stations.StatusDuplicate] != 1 {
			t.Errorf("%s sent twice: %s and %s, want accepted once and duplicate once", tn, a.r.Status, b.r.Status)
		}
		code := a.r.PickupCode + b.r.PickupCode
		if codes[stationOf[i%2]+code] {
			t.Errorf("%s: pickup code %s given twice at %s", tn, code, stationOf[i%2])
		}
		codes[stationOf[i%2]+code] = true
		if foreign[i].err != nil || foreign[i].r.Status != stations.StatusRejected {
			t.Errorf("%s at the other station: %+v %v, want rejected", tn, foreign[i].r, foreign[i].err)
		}
	}
	if n := f.count(`SELECT count(*) FROM parcels WHERE state = 'station_arrival'`); n != len(tns) {
		t.Errorf("%d parcels on the shelves, want %d", n, len(tns))
	}
	if n := f.count(`SELECT count(*) FROM parcel_events WHERE kind = 'station_arrival'`); n != len(tns) {
		t.Errorf("%d arrival events, want %d", n, len(tns))
	}
	if n := f.count(`SELECT count(*) FROM outbox o JOIN parcel_events e USING (id) WHERE e.kind = 'station_arrival'`); n != len(tns) {
		t.Errorf("%d arrival events in the outbox, want %d", n, len(tns))
	}
	txs := f.count(`SELECT count(DISTINCT xmin::text) FROM parcel_events WHERE kind = 'station_arrival'`)
	t.Logf("%d arrivals in %d transactions", len(tns), txs)
	if txs >= len(tns) {
		t.Errorf("%d arrivals in %d transactions: the single scans were not grouped", len(tns), txs)
	}
}

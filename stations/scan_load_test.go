package stations_test

import (
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/stations"
)

// scanStream is a day of scans for parcels walking the down life from hub to
// shelf and back (returned, so no pickup code is needed), interleaved at
// random, with refusals and resends mixed in, and the outcome each must get.
type scanStream struct {
	scans    []stations.Scan
	want     []string               // status per scan
	accepted map[string][]uuid.UUID // per tracking number, in order
	parcels  []string
}

var downPath = []string{stations.HubInbound, stations.Sorted, stations.Loaded, stations.StationArrival, stations.Returned}

// makeStream builds a stream over parcels (registered for V1 and V2 in
// turn, as downParcels does): every parcel's whole path, invalid extra
// scans (a step repeated under a new id, never allowed) on as many parcels,
// and repeats resends of earlier accepted scans, each after its original.
func makeStream(parcels []string, invalid, repeats int, seed uint64) scanStream {
	rng := rand.New(rand.NewPCG(seed, 1))
	at := time.Now().UTC().Add(-time.Minute).Truncate(time.Microsecond)
	type entry struct {
		scan   stations.Scan
		status string
		key    float64
	}
	queues := make([][]entry, len(parcels))
	for i, tn := range parcels {
		station := []string{"V1", "V2"}[i%2]
		bad := -1
		if i < invalid {
			bad = rng.IntN(len(downPath))
		}
		for k, kind := range downPath {
			where := "HUB"
			if kind == stations.StationArrival || kind == stations.Returned {
				where = station
			}
			s := stations.Scan{ID: uuid.New(), Carrier: "SF", TrackingNo: tn, Kind: kind, Station: where, At: at}
			queues[i] = append(queues[i], entry{scan: s, status: stations.StatusAccepted})
			if k == bad {
				again := s
				again.ID = uuid.New()
				queues[i] = append(queues[i], entry{scan: again, status: stations.StatusRejected})
			}
		}
	}
	var order []int
	for i, q := range queues {
		for range q {
			order = append(order, i)
		}
	}
	rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
	base := make([]entry, 0, len(order))
	for _, i := range order {
		e := queues[i][0]
		queues[i] = queues[i][1:]
		e.key = float64(len(base))
		base = append(base, e)
	}
	all := slices.Clone(base)
	for _, j := range rng.Perm(len(base)) {
		if repeats == 0 {
			break
		}
		if base[j].status != stations.StatusAccepted {
			continue
		}
		repeats--
		all = append(all, entry{scan: base[j].scan, status: stations.StatusDuplicate,
			key: base[j].key + 0.5 + rng.Float64()*(float64(len(base))-base[j].key)})
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].key < all[b].key })
	st := scanStream{accepted: map[string][]uuid.UUID{}, parcels: parcels}
	for _, e := range all {
		st.scans, st.want = append(st.scans, e.scan), append(st.want, e.status)
		if e.status == stations.StatusAccepted {
			st.accepted[e.scan.TrackingNo] = append(st.accepted[e.scan.TrackingNo], e.scan.ID)
		}
	}
	return st
}

// send applies scans in batches of size and counts the outcomes, failing
// on an outcome other than want (when want is given).
func (f *custodyFixture) send(scans []stations.Scan, want []string, size int) map[string]int {
	f.t.Helper()
	counts := map[string]int{}
	for lo := 0; lo < len(scans); lo += size {
		hi := min(lo+size, len(scans))
		res := f.scan(opsAdmin, scans[lo:hi]...)
		for i, r := range res {
			counts[r.Status]++
			if want != nil && r.Status != want[lo+i] {
				f.t.Errorf("scan %d (%s %s): %s %s %s, want %s", lo+i, scans[lo+i].TrackingNo, scans[lo+i].Kind, r.Status, r.Code, r.Detail, want[lo+i])
			}
		}
	}
	return counts
}

// timelines reads each parcel's scans (timeline entries that were scans)
// in timeline order.
func (f *custodyFixture) timelines() map[string][]uuid.UUID {
	f.t.Helper()
	rows, err := f.pool.Query(f.ctx, `SELECT p.tracking_no, e.id FROM parcel_events e JOIN parcels p ON p.id = e.parcel_id
		WHERE e.digest IS NOT NULL ORDER BY e.seq`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	m := map[string][]uuid.UUID{}
	for rows.Next() {
		var tn string
		var id uuid.UUID
		if err := rows.Scan(&tn, &id); err != nil {
			f.t.Fatal(err)
		}
		m[tn] = append(m[tn], id)
	}
	return m
}

// checkOutcome checks the database after st was applied, however often.
func (f *custodyFixture) checkOutcome(st scanStream) {
	f.t.Helper()
	got := f.timelines()
	for _, tn := range st.parcels {
		if !slices.Equal(got[tn], st.accepted[tn]) {
			f.t.Fatalf("parcel %s: timeline %v, want its accepted scans %v", tn, got[tn], st.accepted[tn])
		}
	}
	accepted := 0
	for _, ids := range st.accepted {
		accepted += len(ids)
	}
	if n := f.count(`SELECT count(*) FROM outbox o JOIN parcel_events e USING (id) WHERE e.digest IS NOT NULL`); n != accepted {
		f.t.Errorf("outbox holds %d scan events, want one per accepted scan: %d", n, accepted)
	}
	if n := f.count(`SELECT count(*) FROM parcel_events e FULL JOIN outbox o USING (id)
		WHERE e.id IS NULL AND o.subject NOT LIKE '%.notified' OR o.id IS NULL`); n != 0 {
		f.t.Errorf("%d timeline entries or outbox rows have no partner (only notifications are outbox-only)", n)
	}
	if n := f.count(`SELECT count(*) FROM parcel_events e JOIN parcels p ON p.id = e.parcel_id WHERE e.digest IS NULL`); n != 0 {
		f.t.Errorf("%d timeline entries are not scans", n)
	}
	if n := f.count(`SELECT count(*) FROM parcels WHERE state <> 'returned'`); n != 0 {
		f.t.Errorf("%d parcels did not end returned", n)
	}
}

func TestTenThousandScans(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	st := makeStream(f.downParcels("LOAD", 1500), 500, 2000, 1)
	if len(st.scans) != 10_000 {
		t.Fatalf("stream of %d scans", len(st.scans))
	}
	start := time.Now()
	counts := f.send(st.scans, st.want, 500)
	t.Logf("10,000 scans in %v", time.Since(start))
	if counts[stations.StatusAccepted] != 7500 || counts[stations.StatusDuplicate] != 2000 || counts[stations.StatusRejected] != 500 {
		t.Fatalf("outcomes %v, want 7500 accepted, 2000 duplicate, 500 rejected", counts)
	}
	f.checkOutcome(st)
	// 5 scans and one notification per parcel
	if n := f.count(`SELECT count(*) FROM outbox`); n != 1500*6 {
		t.Errorf("outbox holds %d events, want %d", n, 1500*6)
	}
}

// TestResendAfterCrash applies the first half of a batch (as if the client
// lost the answer, or sent only part before a crash), then the whole batch:
// the database ends as after one clean sending.
func TestResendAfterCrash(t *testing.T) {
	t.Parallel()
	clean, crashed := newCustody(t), newCustody(t)
	tns := clean.downParcels("CR", 150)
	crashed.downParcels("CR", 150)
	st := makeStream(tns, 50, 200, 2)
	clean.send(st.scans, st.want, len(st.scans))
	crashed.send(st.scans[:len(st.scans)/2], st.want, len(st.scans))
	crashed.send(st.scans, nil, len(st.scans))
	crashed.checkOutcome(st)
	for _, q := range []string{
		// A pickup code's number starts from the arrival scan's hash and
		// moves past numbers in use; a number freed by a parcel leaving is
		// reused only by a later transaction (the partial unique index is
		// checked row by row), so where the sending was cut decides which of
		// two colliding parcels keeps the hashed number: compare that each
		// parcel has one, not which.
		`SELECT string_agg(tracking_no || state || (pickup_code IS NOT NULL)::text, ',' ORDER BY tracking_no) FROM parcels`,
		`SELECT string_agg(id::text || code, ',' ORDER BY id) FROM scan_rejections`,
		`SELECT count(*)::text FROM outbox`,
	} {
		var a, b string
		if err := clean.pool.QueryRow(clean.ctx, q).Scan(&a); err != nil {
			t.Fatal(err)
		}
		if err := crashed.pool.QueryRow(crashed.ctx, q).Scan(&b); err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Errorf("%s differs:\nclean   %.200s\ncrashed %.200s", q, a, b)
		}
	}
}

// TestConcurrentSenders has four senders send the same stream at once, as
// when a phone and its resend queue race: every scan applies once, in order.
func TestConcurrentSenders(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	st := makeStream(f.downParcels("CC", 200), 50, 0, 3)
	var mu sync.Mutex
	total := map[string]int{}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for lo := 0; lo < len(st.scans); lo += 100 {
				res, err := f.c.Scan(f.ctx, opsAdmin, st.scans[lo:min(lo+100, len(st.scans))])
				if err != nil {
					t.Errorf("sender %d: %v", g, err)
					return
				}
				mu.Lock()
				for _, r := range res {
					total[r.Status]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if total[stations.StatusAccepted] != 1000 || total[stations.StatusRejected] != 4*50 {
		t.Errorf("outcomes %v, want 1000 accepted once and 50 refused by each sender", total)
	}
	f.checkOutcome(st)
}

package stations_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/tongpei/tongpei/internal/tenant"
	"github.com/tongpei/tongpei/stations"
)

// TestGroupCommitKeepsCountiesApart sends single scans of two counties at
// once, each county with the same station codes and tracking numbers: a
// group's transaction works for one county (row-level security), so each
// county's scans must be gathered on their own. Every arrival is accepted
// in its own county, none refused as an unknown parcel (issue 18; found by
// tongpei simulate).
func TestGroupCommitKeepsCountiesApart(t *testing.T) {
	t.Parallel()
	f := newCustody(t)
	const other = "530428"
	if tenant.Default() == other {
		t.Skip("TONGPEI_COUNTY is the test's second county")
	}
	counties := []string{tenant.Default(), other}
	ctxs := []context.Context{tenant.With(f.ctx, counties[0]), tenant.With(f.ctx, counties[1])}
	// the same stations and carriers (merchants' ids are the province's)
	if _, err := f.pool.Exec(ctxs[1], countySQL[:strings.Index(countySQL, "INSERT INTO merchants")]); err != nil {
		t.Fatal(err)
	}
	const n = 60
	var tns []string
	for i := range n {
		tns = append(tns, fmt.Sprintf("GCC-%03d", i))
	}
	for _, ctx := range ctxs {
		var ps []stations.Parcel
		var walk []stations.Scan
		for i, tn := range tns {
			ps = append(ps, downParcel("SF", tn, "V1", fmt.Sprintf("138%08d", i)))
		}
		if _, err := f.c.Register(ctx, opsAdmin, ps); err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{stations.HubInbound, stations.Sorted, stations.Loaded} {
			for _, tn := range tns {
				walk = append(walk, sc(tn, kind, "HUB"))
			}
		}
		res, err := f.c.Scan(ctx, opsAdmin, walk)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Status != stations.StatusAccepted {
				t.Fatalf("walking to the village: %s %s", r.Code, r.Detail)
			}
		}
	}
	got := make([][]stations.Result, len(ctxs))
	var wg sync.WaitGroup
	for k, ctx := range ctxs {
		got[k] = make([]stations.Result, n)
		for i, tn := range tns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := f.c.Scan(ctx, keeperV1, []stations.Scan{sc(tn, stations.StationArrival, "V1")})
				if err != nil {
					t.Errorf("county %s, %s: %v", counties[k], tn, err)
					return
				}
				got[k][i] = res[0]
			}()
		}
	}
	wg.Wait()
	for k := range ctxs {
		for i, r := range got[k] {
			if r.Status != stations.StatusAccepted || r.PickupCode == "" {
				t.Errorf("county %s, %s: %s %s %s", counties[k], tns[i], r.Status, r.Code, r.Detail)
			}
		}
		var arrived int
		if err := f.pool.QueryRow(ctxs[k], `SELECT count(*) FROM parcels WHERE state = 'station_arrival'`).Scan(&arrived); err != nil || arrived != n {
			t.Errorf("county %s: %d parcels on the shelf (%v), want %d", counties[k], arrived, err, n)
		}
	}
}

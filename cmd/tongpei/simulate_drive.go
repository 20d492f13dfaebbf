package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/stations"
)

// simPhase is one phase's outcomes: batches from the hub's scanners and
// single scans from the keepers' phones are counted apart, since their
// latencies differ by the size of the request.
type simPhase struct {
	name          string
	start         time.Time
	elapsed       time.Duration
	batch, single *loadStats

	mu         sync.Mutex
	rejected   int
	duplicates int
	problems   []string // the first few refusals and failures, to print
	failures   int
}

func newSimPhase(name string) *simPhase {
	return &simPhase{name: name, start: time.Now(), batch: newLoadStats(), single: newLoadStats()}
}

func (ph *simPhase) problem(format string, args ...any) {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	ph.failures++
	if len(ph.problems) < 5 {
		ph.problems = append(ph.problems, fmt.Sprintf(format, args...))
	}
}

func (ph *simPhase) end() {
	ph.elapsed = time.Since(ph.start)
	ph.batch.end()
	ph.single.end()
}

// simJob is one sender's piece of work: a batch, or one parcel's scans at
// its village in their order.
type simJob func(context.Context, *simPhase)

// drive runs jobs on the senders, closed loop (each sender sends its next
// request when the last is answered), and records the phase.
func (sim *simulation) drive(ctx context.Context, name string, jobs []simJob, progress io.Writer) *simPhase {
	ph := newSimPhase(name)
	bar := newCountBar(progress, len(jobs), name)
	queue := make(chan simJob)
	var wg sync.WaitGroup
	for range sim.fl.senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				j(ctx, ph)
				bar.Add()
			}
		}()
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		queue <- j
	}
	close(queue)
	wg.Wait()
	bar.Stop()
	ph.end()
	sim.report.addPhase(ph)
	printPhase(sim.out, ph)
	return ph
}

// interleave takes one job of each county in turn, so that every county
// scans at once, as on a province's peak morning.
func interleave(perCounty [][]simJob) []simJob {
	var out []simJob
	for k := 0; ; k++ {
		added := false
		for _, jobs := range perCounty {
			if k < len(jobs) {
				out = append(out, jobs[k])
				added = true
			}
		}
		if !added {
			return out
		}
	}
}

// jobsOf builds each county's jobs and interleaves them.
func (sim *simulation) jobsOf(build func(c *simCounty) []simJob) []simJob {
	per := make([][]simJob, 0, len(sim.counties))
	for _, c := range sim.counties {
		per = append(per, build(c))
	}
	return interleave(per)
}

// phaseError stops the day after a phase whose requests failed: the next
// phase would only pile refusals on the missing state.
func phaseError(ph *simPhase) error {
	if ph.failures == 0 {
		return nil
	}
	return fmt.Errorf("%d requests or scans failed, e.g. %v", ph.failures, ph.problems)
}

// scanOf is the scan of p of kind at station; its id derives from the
// county, the parcel and the kind, so a resent request is the same scan.
func (c *simCounty) scanOf(p demo.Parcel, kind, station string) map[string]any {
	id := uuid.NewSHA1(uuid.NameSpaceURL, []byte("tongpei-simulate/"+c.code+"/"+p.Carrier+"/"+p.TrackingNo+"/"+kind))
	return map[string]any{"id": id, "carrier": p.Carrier, "tracking_no": p.TrackingNo, "kind": kind,
		"station": station, "at": time.Now().UTC()}
}

// post sends one request and counts it in st; it returns the results of
// the scans it carried (none when it failed).
func (sim *simulation) post(ctx context.Context, ph *simPhase, st *loadStats, c *simCounty, as *apiClient, path string, body any) []stations.Result {
	var out struct {
		Results []stations.Result `json:"results"`
	}
	t0 := time.Now()
	err := as.call(ctx, "POST", path, body, &out)
	lat := time.Since(t0)
	status := http.StatusOK
	if err != nil {
		status = 0
		if he, ok := err.(*httpError); ok {
			status = he.status
		} else {
			st.fail(err)
		}
		ph.problem("county %s: POST %s: %v", c.code, path, err)
		st.add(status, lat, 0)
		return nil
	}
	accepted := 0
	for _, r := range out.Results {
		switch r.Status {
		case stations.StatusAccepted, stations.StatusCreated:
			accepted++
		case stations.StatusDuplicate, stations.StatusExists:
			ph.mu.Lock()
			ph.duplicates++
			ph.mu.Unlock()
		default:
			ph.mu.Lock()
			ph.rejected++
			ph.mu.Unlock()
			ph.problem("county %s: %s %s", c.code, r.Code, r.Detail)
		}
	}
	st.add(status, lat, accepted)
	if path == "/v1/scans" {
		c.accepted.Add(int64(accepted))
	}
	return out.Results
}

// batchScans sends scans of kind at the hub for parcels, as the county
// admin (the hub's scanners and sorting line).
func (sim *simulation) batchScans(ctx context.Context, ph *simPhase, c *simCounty, parcels []demo.Parcel, kind string) {
	scans := make([]map[string]any, 0, len(parcels))
	for _, p := range parcels {
		scans = append(scans, c.scanOf(p, kind, c.hub))
	}
	sim.post(ctx, ph, ph.batch, c, c.admin, "/v1/scans", map[string]any{"scans": scans})
}

// singleScan sends one scan from the keeper of p's village.
func (sim *simulation) singleScan(ctx context.Context, ph *simPhase, c *simCounty, p demo.Parcel, kind, code string) *stations.Result {
	s := c.scanOf(p, kind, p.Station)
	if code != "" {
		s["pickup_code"] = code
	}
	res := sim.post(ctx, ph, ph.single, c, c.keepers[p.Station], "/v1/scans", s)
	if len(res) != 1 {
		return nil
	}
	return &res[0]
}

// chunks splits parcels into pieces of n.
func chunks(parcels []demo.Parcel, n int) [][]demo.Parcel {
	var out [][]demo.Parcel
	for lo := 0; lo < len(parcels); lo += n {
		out = append(out, parcels[lo:min(lo+n, len(parcels))])
	}
	return out
}

func (c *simCounty) byDirection(dir string) []demo.Parcel {
	var out []demo.Parcel
	for _, p := range c.parcels {
		if p.Direction == dir {
			out = append(out, p)
		}
	}
	return out
}

// register registers every county's parcels, as the carriers' systems do
// before the trunks arrive (POST /v1/parcels, at most 1,000 at once).
func (sim *simulation) register(ctx context.Context, progress io.Writer) error {
	jobs := sim.jobsOf(func(c *simCounty) []simJob {
		var out []simJob
		for _, part := range chunks(c.parcels, stations.MaxParcels) {
			out = append(out, func(ctx context.Context, ph *simPhase) {
				sim.post(ctx, ph, ph.batch, c, c.admin, "/v1/parcels", map[string]any{"parcels": part})
			})
		}
		return out
	})
	return phaseError(sim.drive(ctx, "register", jobs, progress))
}

// hubBatches are the jobs that scan a county's parcels of dir at the hub
// in batches, each batch with kinds one after the other.
func (sim *simulation) hubBatches(c *simCounty, dir string, kinds ...string) []simJob {
	var out []simJob
	for _, part := range chunks(c.byDirection(dir), sim.fl.batch) {
		out = append(out, func(ctx context.Context, ph *simPhase) {
			for _, kind := range kinds {
				sim.batchScans(ctx, ph, c, part, kind)
			}
		})
	}
	return out
}

// keeperScans are the jobs that scan each of a county's up parcels of
// kind at its village, one scan a request.
func (sim *simulation) keeperScans(c *simCounty, kind string) []simJob {
	var out []simJob
	for _, p := range c.byDirection("up") {
		out = append(out, func(ctx context.Context, ph *simPhase) { sim.singleScan(ctx, ph, c, p, kind, "") })
	}
	return out
}

// morning scans the trunks in at the hub and sorts them (a batch each,
// one after the other), while the keepers accept the farm produce.
func (sim *simulation) morning(ctx context.Context, progress io.Writer) error {
	jobs := sim.jobsOf(func(c *simCounty) []simJob {
		return append(sim.hubBatches(c, "down", stations.HubInbound, stations.Sorted), sim.keeperScans(c, stations.Accepted)...)
	})
	return phaseError(sim.drive(ctx, "morning", jobs, progress))
}

// delivery plays the planned day: the vans loaded at the hub; at each
// village the parcels' arrival, each recipient coming with the code the
// arrival gave, and the produce loaded; the produce scanned in at the hub.
func (sim *simulation) delivery(ctx context.Context, progress io.Writer) error {
	loaded := sim.jobsOf(func(c *simCounty) []simJob { return sim.hubBatches(c, "down", stations.Loaded) })
	if err := phaseError(sim.drive(ctx, "hub loaded", loaded, progress)); err != nil {
		return err
	}
	villages := sim.jobsOf(func(c *simCounty) []simJob {
		var out []simJob
		for _, p := range c.byDirection("down") {
			out = append(out, func(ctx context.Context, ph *simPhase) { sim.handOver(ctx, ph, c, p) })
		}
		return append(out, sim.keeperScans(c, stations.Loaded)...)
	})
	if err := phaseError(sim.drive(ctx, "villages", villages, progress)); err != nil {
		return err
	}
	inbound := sim.jobsOf(func(c *simCounty) []simJob { return sim.hubBatches(c, "up", stations.HubInbound) })
	return phaseError(sim.drive(ctx, "up at hub", inbound, progress))
}

// handOver is a down parcel at its village: its arrival, then its pickup
// with the code the arrival answered.
func (sim *simulation) handOver(ctx context.Context, ph *simPhase, c *simCounty, p demo.Parcel) {
	r := sim.singleScan(ctx, ph, c, p, stations.StationArrival, "")
	if r == nil || r.Status != stations.StatusAccepted {
		return
	}
	if r.PickupCode == "" {
		ph.problem("county %s: the arrival of %s answered no pickup code", c.code, p.TrackingNo)
		return
	}
	sim.singleScan(ctx, ph, c, p, stations.PickedUp, r.PickupCode)
}

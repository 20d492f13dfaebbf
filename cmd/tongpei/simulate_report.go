package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// simReport is what a run measured; --report writes it as JSON.
type simReport struct {
	Database         string     `json:"database"`
	Counties         int        `json:"counties"`
	ParcelsPerCounty int        `json:"parcels_per_county"`
	Workers          int        `json:"workers"`
	Senders          int        `json:"senders"`
	Batch            int        `json:"batch"`
	PlanTimeLimitMs  int64      `json:"plan_time_limit_ms"`
	LoadBefore       [3]float64 `json:"load_before"`
	LoadAfter        [3]float64 `json:"load_after"`

	Phases     []simPhaseResult `json:"phases"`
	Registered simRate          `json:"registered"`
	Scans      simScanTotals    `json:"scans"`
	Plans      simPlanTotals    `json:"plans"`
	DB         simDBTotals      `json:"database_size"`
	// CPU is the CPU seconds each kind of process used, per kind of work
	// (register, scanning, planning), with the work's wall time: serve,
	// postgres (the server's backends for this database), workers (all of
	// them), simulate (this driver and the NATS server in it).
	CPU       map[string]map[string]float64 `json:"cpu_seconds"`
	PerCounty []*simCountyResult            `json:"per_county"`
	Checks    []simCheck                    `json:"checks"`

	phases []*simPhase
}

type simPhaseResult struct {
	Name           string  `json:"name"`
	Seconds        float64 `json:"seconds"`
	Requests       int     `json:"requests"`
	Items          int     `json:"items"` // scans accepted, parcels created for "register"
	PerSecond      float64 `json:"per_second"`
	BatchRequests  int     `json:"batch_requests"`
	BatchP50Ms     float64 `json:"batch_p50_ms"`
	BatchP99Ms     float64 `json:"batch_p99_ms"`
	SingleRequests int     `json:"single_requests"`
	SingleP50Ms    float64 `json:"single_p50_ms"`
	SingleP99Ms    float64 `json:"single_p99_ms"`
	Rejected       int     `json:"rejected"`
	Duplicates     int     `json:"duplicates"`
	Failures       int     `json:"failures"`
}

type simRate struct {
	Parcels   int     `json:"parcels"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"per_second"`
}

// simScanTotals are every scan phase together: the day's scanning.
type simScanTotals struct {
	Accepted    int     `json:"accepted"`
	Seconds     float64 `json:"seconds"`
	PerSecond   float64 `json:"per_second"`
	SingleP50Ms float64 `json:"single_p50_ms"`
	SingleP99Ms float64 `json:"single_p99_ms"`
	BatchP50Ms  float64 `json:"batch_p50_ms"`
	BatchP99Ms  float64 `json:"batch_p99_ms"`
}

type simPlanTotals struct {
	Count            int     `json:"count"`
	Done             int     `json:"done"`
	Seconds          float64 `json:"seconds"`
	PerHour          float64 `json:"per_hour"`
	MeanRunSeconds   float64 `json:"mean_run_seconds"`
	WorkerSolves     float64 `json:"worker_solves"`
	LocalSolves      float64 `json:"local_solves"`
	LostAttempts     float64 `json:"lost_attempts"`
	BusyAttempts     float64 `json:"busy_attempts"`
	SolvedByEachStat []int64 `json:"solved_by_each_worker"`
}

type simDBTotals struct {
	BeforeBytes    int64            `json:"before_bytes"`
	AfterBytes     int64            `json:"after_bytes"`
	GrowthBytes    int64            `json:"growth_bytes"`
	PerCountyBytes int64            `json:"per_county_bytes"`
	PerParcelBytes int64            `json:"per_parcel_bytes"`
	TableGrowth    map[string]int64 `json:"table_growth_bytes"`
}

// simCountyResult is one county's day as the driver and the database saw it.
type simCountyResult struct {
	County            string         `json:"county"`
	Parcels           int            `json:"parcels"`
	Down              int            `json:"down"`
	Up                int            `json:"up"`
	ScansAccepted     int64          `json:"scans_accepted"`
	Events            int            `json:"events"`
	DistinctEvents    int            `json:"distinct_events"`
	States            map[string]int `json:"states"`
	PlanJob           int64          `json:"plan_job"`
	PlanState         string         `json:"plan_state"`
	PlanError         string         `json:"plan_error,omitempty"`
	PlanID            int64          `json:"plan_id"`
	PlanRunSeconds    float64        `json:"plan_run_seconds"`
	PlanQueueSeconds  float64        `json:"plan_queue_seconds"`
	Routes            int            `json:"routes"`
	PlannedParcels    int            `json:"planned_parcels"`
	UnassignedParcels int            `json:"unassigned_parcels"`
	SavingPct         float64        `json:"saving_pct"`
	RowBytes          int64          `json:"row_bytes"`
	GrowthBytes       int64          `json:"growth_bytes"`
}

type simCheck struct {
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func requests(s *loadStats) int {
	n := 0
	for _, v := range s.byStatus {
		n += v
	}
	return n
}

func (r *simReport) addPhase(ph *simPhase) {
	r.phases = append(r.phases, ph)
	items := ph.batch.scans + ph.single.scans
	r.Phases = append(r.Phases, simPhaseResult{Name: ph.name, Seconds: ph.elapsed.Seconds(),
		Requests: requests(ph.batch) + requests(ph.single), Items: items, PerSecond: float64(items) / ph.elapsed.Seconds(),
		BatchRequests: requests(ph.batch), BatchP50Ms: ms(ph.batch.quantile(.5)), BatchP99Ms: ms(ph.batch.quantile(.99)),
		SingleRequests: requests(ph.single), SingleP50Ms: ms(ph.single.quantile(.5)), SingleP99Ms: ms(ph.single.quantile(.99)),
		Rejected: ph.rejected, Duplicates: ph.duplicates, Failures: ph.failures})
}

// summarise adds the scan phases up: their scans over their time, and the
// percentiles over all their requests.
func (r *simReport) summarise() {
	var single, batch []time.Duration
	for _, ph := range r.phases {
		if ph.name == "register" {
			r.Registered = simRate{Parcels: ph.batch.scans, Seconds: ph.elapsed.Seconds(), PerSecond: float64(ph.batch.scans) / ph.elapsed.Seconds()}
			continue
		}
		r.Scans.Accepted += ph.batch.scans + ph.single.scans
		r.Scans.Seconds += ph.elapsed.Seconds()
		single = append(single, ph.single.lat...)
		batch = append(batch, ph.batch.lat...)
	}
	r.Scans.PerSecond = float64(r.Scans.Accepted) / r.Scans.Seconds
	r.Scans.SingleP50Ms, r.Scans.SingleP99Ms = ms(quantile(single, .5)), ms(quantile(single, .99))
	r.Scans.BatchP50Ms, r.Scans.BatchP99Ms = ms(quantile(batch, .5)), ms(quantile(batch, .99))
	p := &r.Plans
	p.Count = len(r.PerCounty)
	run := 0.0
	for _, c := range r.PerCounty {
		if c.PlanState == "done" {
			p.Done++
		}
		run += c.PlanRunSeconds
	}
	p.MeanRunSeconds = run / float64(max(p.Count, 1))
	p.PerHour = float64(p.Done) * 3600 / p.Seconds
}

func (r *simReport) print(w io.Writer) {
	mb := func(b int64) float64 { return float64(b) / (1 << 20) }
	fmt.Fprintf(w, "province day: %d counties × %d parcels; registered %d parcels at %.0f/s\n",
		r.Counties, r.ParcelsPerCounty, r.Registered.Parcels, r.Registered.PerSecond)
	fmt.Fprintf(w, "scans: %d accepted in %.1fs of scanning = %.0f scans/s; single scans p50 %.1fms p99 %.1fms; batches of %d p50 %.1fms p99 %.1fms\n",
		r.Scans.Accepted, r.Scans.Seconds, r.Scans.PerSecond, r.Scans.SingleP50Ms, r.Scans.SingleP99Ms, r.Batch, r.Scans.BatchP50Ms, r.Scans.BatchP99Ms)
	p := r.Plans
	fmt.Fprintf(w, "plans: %d of %d done in %.1fs = %.0f plans/hour (time limit %.1fs, a plan ran %.1fs on average); solves: %.0f on workers %v, %.0f local; attempts lost %.0f, busy %.0f\n",
		p.Done, p.Count, p.Seconds, p.PerHour, float64(r.PlanTimeLimitMs)/1000, p.MeanRunSeconds, p.WorkerSolves, p.SolvedByEachStat, p.LocalSolves, p.LostAttempts, p.BusyAttempts)
	d := r.DB
	fmt.Fprintf(w, "database: %.1f MB before, %.1f MB after: the day grew it %.1f MB, %.1f MB per county, %d bytes per parcel\n",
		mb(d.BeforeBytes), mb(d.AfterBytes), mb(d.GrowthBytes), mb(d.PerCountyBytes), d.PerParcelBytes)
	type tg struct {
		name string
		b    int64
	}
	var tables []tg
	for n, b := range d.TableGrowth {
		tables = append(tables, tg{n, b})
	}
	sort.Slice(tables, func(i, j int) bool { return tables[i].b > tables[j].b })
	var parts []string
	for _, t := range tables[:min(8, len(tables))] {
		parts = append(parts, fmt.Sprintf("%s %.1f", t.name, mb(t.b)))
	}
	fmt.Fprintf(w, "  growth by table (MB, with indexes): %s\n", strings.Join(parts, ", "))
	for _, c := range r.PerCounty {
		fmt.Fprintf(w, "  county %s: %d parcels (%d down, %d up), %d scans, plan %d %s in %.1fs (%d routes, %d parcels planned, %d left out), rows %.1f MB, growth %.1f MB\n",
			c.County, c.Parcels, c.Down, c.Up, c.ScansAccepted, c.PlanID, c.PlanState, c.PlanRunSeconds, c.Routes,
			c.PlannedParcels, c.UnassignedParcels, mb(c.RowBytes), mb(c.GrowthBytes))
	}
	for _, work := range []string{"register", "scanning", "planning"} {
		var cpu []string
		for _, k := range []string{"serve", "postgres", "workers", "simulate"} {
			cpu = append(cpu, fmt.Sprintf("%s %.1f", k, r.CPU[work][k]))
		}
		fmt.Fprintf(w, "cpu seconds, %s (%.1fs): %s\n", work, r.CPU[work]["wall"], strings.Join(cpu, ", "))
	}
	fmt.Fprintf(w, "load average before %.2f %.2f %.2f, after %.2f %.2f %.2f\n",
		r.LoadBefore[0], r.LoadBefore[1], r.LoadBefore[2], r.LoadAfter[0], r.LoadAfter[1], r.LoadAfter[2])
}

// printPhase prints a phase as it ends, as bench-load prints its phases.
func printPhase(w io.Writer, ph *simPhase) {
	if requests(ph.batch) > 0 {
		ph.batch.print(w, ph.name+": batches")
	}
	if requests(ph.single) > 0 {
		ph.single.print(w, ph.name+": single scans")
	}
	for _, p := range ph.problems {
		fmt.Fprintf(w, "  %s\n", p)
	}
}

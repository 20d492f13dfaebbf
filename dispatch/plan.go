package dispatch

import (
	"context"
	"time"

	"github.com/tongpei/tongpei/dispatch/vrp"
)

// Plan is one version of a day's joint-delivery plan: the routes of the
// joint fleet, the stations it could not serve and why, and the measured
// saving against every company running its own vans.
type Plan struct {
	ID           int64      `json:"id"`
	ServiceDate  string     `json:"service_date"`
	Version      int        `json:"version"`
	Status       string     `json:"status"`
	CreatedAt    time.Time  `json:"created_at"`
	PublishedAt  *time.Time `json:"published_at"`
	TimeLimitMs  int64      `json:"time_limit_ms"`
	SolveMs      int64      `json:"solve_ms"`
	MatrixSource string     `json:"matrix_source"`
	// MaxTrips and ReloadMinutes are the vans' day planned, for the joint
	// fleet and the counterfactual alike (absent on plans made before).
	MaxTrips      int `json:"max_trips,omitempty"`
	ReloadMinutes int `json:"reload_minutes,omitempty"`
	// ByWave: the overnight parcels all rode morning runs (PlanOptions).
	ByWave bool `json:"by_wave,omitempty"`
	// Balance and EVRangeKm are the plan's model of the vans (PlanModel),
	// for the joint fleet and the counterfactual alike; Longest is the
	// longest van's day that balance shortens.
	Balance   string    `json:"balance,omitempty"`
	EVRangeKm int       `json:"ev_range_km,omitempty"`
	Longest   Longest   `json:"longest"`
	Hub       PlanPlace `json:"hub"`
	Routes    []Route   `json:"routes"`
	// Unassigned lists every station (with its parcels) the plan leaves out.
	Unassigned []UnassignedStop `json:"unassigned"`
	Joint      Totals           `json:"joint"`
	Separate   Totals           `json:"separate"`
	// SeparateByCarrier is the counterfactual company by company.
	SeparateByCarrier []CarrierTotals `json:"separate_by_carrier"`
	SavingPct         float64         `json:"saving_pct"`
}

// PlanPlace is a station as plans show it.
type PlanPlace struct {
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	Location    []float64 `json:"location"` // [lon, lat]
	KeeperName  string    `json:"keeper_name,omitempty"`
	KeeperPhone string    `json:"keeper_phone,omitempty"`
}

// Totals are what a set of routes costs the county.
type Totals struct {
	DistanceM int64   `json:"distance_m"`
	Km        float64 `json:"km"`
	DurationS int64   `json:"duration_s"`
	Hours     float64 `json:"hours"`
	Vehicles  int     `json:"vehicles"`
	CostFen   int64   `json:"cost_fen"`
	Stops     int     `json:"stops"`
	Parcels   int     `json:"parcels"`
}

// CarrierTotals is one company's share of the counterfactual.
type CarrierTotals struct {
	Carrier string `json:"carrier"`
	Totals
	Unassigned int `json:"unassigned_stops"`
}

// Load is what a van carries on the three dimensions the plan checks.
type Load struct {
	WeightG   int64 `json:"weight_g"`
	VolumeCm3 int64 `json:"volume_cm3"`
	Parcels   int64 `json:"parcels"`
}

func loadOf(a vrp.Amount) Load {
	return Load{WeightG: a[dimWeight], VolumeCm3: a[dimVolume], Parcels: a[dimParcels]}
}

// Route is one van's day: one run from the hub and back, or several
// (the morning run with the overnight parcels, the afternoon run with the
// noon trunk's), reloading at the hub between them; Depart is the first
// departure and Return the last return.
type Route struct {
	Number      int       `json:"number"` // 1-based, the route sheet's number
	Vehicle     string    `json:"vehicle"`
	VehicleType string    `json:"vehicle_type"`
	Operator    string    `json:"operator"`
	Depart      time.Time `json:"depart"`
	Return      time.Time `json:"return"`
	DistanceM   int64     `json:"distance_m"`
	DurationS   int64     `json:"duration_s"`
	CostFen     int64     `json:"cost_fen"`
	// RangeM is the van's range for the day (an electric van's), which
	// DistanceM never exceeds; 0: no limit.
	RangeM int64 `json:"range_m,omitempty"`
	// StartLoad is on board leaving the hub: everything to drop.
	StartLoad Load   `json:"start_load"`
	Stops     []Stop `json:"stops"`
	// Trips are the van's runs in order (one for a one-run day).
	Trips []Trip `json:"trips"`
}

// Trip is one run of a van's day: it leaves the hub loaded at Depart,
// serves the stops Seq FirstSeq..LastSeq and is back at Return.
type Trip struct {
	Number    int       `json:"number"` // 1-based within the route
	Depart    time.Time `json:"depart"`
	Return    time.Time `json:"return"`
	FirstSeq  int       `json:"first_seq"`
	LastSeq   int       `json:"last_seq"`
	Stops     int       `json:"stops"`
	DistanceM int64     `json:"distance_m"`
	// StartLoad is loaded at the hub for this run: everything it drops.
	StartLoad Load `json:"start_load"`
	// GoodsAt is when the last parcel this run drops reached the hub (the
	// run cannot leave earlier); absent when all were there overnight.
	GoodsAt *time.Time `json:"goods_at,omitempty"`
	// AtHubS is the time at the hub before this run, since the previous
	// one came back: the reload, and any wait for the trunk (0 on run 1).
	AtHubS int64 `json:"at_hub_s"`
}

// Stop is one visit of a route.
type Stop struct {
	Seq       int         `json:"seq"`  // 1-based within the route
	Trip      int         `json:"trip"` // 1-based run of the route it is on
	Station   PlanPlace   `json:"station"`
	Arrival   time.Time   `json:"arrival"`
	Start     time.Time   `json:"start"`
	ServiceS  int64       `json:"service_s"`
	DistanceM int64       `json:"distance_m"` // driven since leaving the hub
	LoadAfter Load        `json:"load_after"` // on board after dropping and collecting
	Drop      []ParcelRef `json:"drop"`
	Collect   []ParcelRef `json:"collect"`
}

// ParcelRef names a parcel on a plan.
type ParcelRef struct {
	ID         int64  `json:"id"`
	Carrier    string `json:"carrier"`
	TrackingNo string `json:"tracking_no"`
	WeightG    int64  `json:"weight_g"`
	// VolumeCm3 lets the cost-sharing game rebuild loads from the plan.
	VolumeCm3 int64 `json:"volume_cm3,omitempty"`
}

// UnassignedStop is a station the plan does not serve, with the stable
// reason code (capacity, skills, time_window, distance, fleet from the
// optimiser; unreachable, station_inactive, at_hub from planning) and a
// reason a person can act on.
type UnassignedStop struct {
	Station string `json:"station"`
	// Location is the station's [lon, lat] when the registry knows it.
	Location []float64   `json:"location,omitempty"`
	Code     string      `json:"code"`
	Reason   string      `json:"reason"`
	Drop     []ParcelRef `json:"drop"`
	Collect  []ParcelRef `json:"collect"`
}

// savingPct is how much cheaper joint is than separate, in percent.
func savingPct(joint, separate int64) float64 {
	if separate <= 0 {
		return 0
	}
	return float64(int64(float64(separate-joint)/float64(separate)*10000)) / 100
}

// finish fills the derived fields of totals.
func (t *Totals) finish() {
	t.Km = float64(t.DistanceM/100) / 10
	t.Hours = float64(t.DurationS/36) / 100
}

// savePlan stores plan as a draft, the next version of its date.
func (s *Service) savePlan(ctx context.Context, plan *Plan) error {
	plan.Status = "draft"
	return s.plans.insert(ctx, plan)
}

// Plan reads one stored plan.
func (s *Service) Plan(ctx context.Context, id int64) (*Plan, error) { return s.plans.get(ctx, id) }

// PlanSummary is a plan in a list: no routes.
type PlanSummary struct {
	ID          int64     `json:"id"`
	ServiceDate string    `json:"service_date"`
	Version     int       `json:"version"`
	Status      string    `json:"status"`
	CreatedAt   time.Time `json:"created_at"`
	Joint       Totals    `json:"joint"`
	Separate    Totals    `json:"separate"`
	SavingPct   float64   `json:"saving_pct"`
}

// Plans lists the versions of a date's plans (every date when date is
// empty), newest first.
func (s *Service) Plans(ctx context.Context, date string) ([]PlanSummary, error) {
	out, err := s.plans.summaries(ctx, date)
	for i := range out {
		p := &out[i]
		p.Joint.finish()
		p.Separate.finish()
		p.SavingPct = savingPct(p.Joint.CostFen, p.Separate.CostFen)
	}
	return out, err
}

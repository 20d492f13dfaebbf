package dispatch

import (
	"context"
	"fmt"
	"time"

	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/internal/errs"
)

// The balance modes of a plan (issue 12 point 7).
const (
	BalanceOff = "off"
	// BalanceLongest makes the longest working day as short as the fleet
	// allows: work beyond the day's fair share costs far more than a van,
	// so the search would rather send one more van.
	BalanceLongest = "longest"
	// BalanceSpread penalises the spread: an hour beyond the fair share
	// costs a van's hour once more, so the days even out where that is
	// cheap.
	BalanceSpread = "spread"
)

// The balance cost per second beyond the fair share, as a multiple of the
// dearest van's cost of a second (dispatch/vrp/balance.go prices it).
const (
	longestWeight = 20
	spreadWeight  = 1
)

// balanceShare is the part of the time limit spent on the plain plan
// that measures the fair share before the balanced search.
const balanceShare = 0.3

// PlanModel is what a plan assumes about the vans beyond their day of runs:
// whether their work is balanced, and the electric vans' range. The
// joint plan and the counterfactual get the same.
type PlanModel struct {
	// Balance is BalanceOff (or empty), BalanceLongest or BalanceSpread.
	Balance string `json:"balance"`
	// EVRangeKm, when > 0, is the range every van with a range (an
	// electric van: its own range_km or its type's max_km) has on this
	// day, say a cold one; 0 keeps each van's own.
	EVRangeKm int `json:"ev_range_km"`
}

func (m *PlanModel) check(f *errs.Fields) {
	switch m.Balance {
	case "":
		m.Balance = BalanceOff
	case BalanceOff, BalanceLongest, BalanceSpread:
	default:
		f.Add("balance", "must be off, longest or spread, not %q", m.Balance)
	}
	if m.EVRangeKm < 0 || m.EVRangeKm > 2000 {
		f.Add("ev_range_km", "must be 0 (each van's own range) to 2000 km, not %d", m.EVRangeKm)
	}
}

// balanced reports whether the model asks for balanced work.
func (m PlanModel) balanced() bool { return m.Balance == BalanceLongest || m.Balance == BalanceSpread }

// rangeOf is a van's range in km on this day: the plan's EV range for a
// van that has one, else its own (0: no limit).
func (m PlanModel) rangeOf(own int) int {
	if own > 0 && m.EVRangeKm > 0 {
		return m.EVRangeKm
	}
	return own
}

// solveBalanced is solveDay under the model's balance: a plain plan in
// the first balanceShare of the time measures the fair share of the day
// (its total working time over its vans), then the balanced search, with
// work beyond that share priced by the mode, plans the day again in the
// rest (Matl, Hartl and Vidal 2018 compare such equity objectives; a
// penalty above the mean is the additive one the optimiser's segments
// price exactly). The balanced plan is kept unless it serves fewer stops.
// in is left with the balance it was planned under, so timelines read
// back from it price the same objective.
func solveBalanced(ctx context.Context, in *vrp.Instance, opt vrp.Options, byWave bool, mode string) (*vrp.Solution, error) {
	limit := opt.TimeLimit
	if limit <= 0 {
		limit = vrp.DefaultTimeLimit
	}
	first := opt
	first.TimeLimit = max(100*time.Millisecond, time.Duration(float64(limit)*balanceShare))
	plain, err := solveDay(ctx, in, first, byWave)
	if err != nil || ctx.Err() != nil {
		return plain, err
	}
	var total int64
	routes := 0
	for _, r := range plain.Routes {
		if len(r.Stops) == 0 {
			continue
		}
		tl, err := vrp.RouteTimeline(in, r)
		if err != nil {
			return nil, err
		}
		total += tl.Duration
		routes++
	}
	if routes < 2 {
		return plain, nil // one van: nothing to balance
	}
	var perSecond int64
	for _, vt := range in.VehicleTypes {
		perSecond = max(perSecond, vt.TimeCost)
	}
	weight := int64(spreadWeight)
	if mode == BalanceLongest {
		weight = longestWeight
	}
	in.BalanceTarget, in.BalanceCost = total/int64(routes), max(1, weight*perSecond)
	rest := opt
	rest.TimeLimit = max(100*time.Millisecond, limit-first.TimeLimit)
	if opt.Progress != nil {
		rest.Progress = func(p vrp.Progress) {
			p.Elapsed += first.TimeLimit
			opt.Progress(p)
		}
	}
	sol, err := solveDay(ctx, in, rest, byWave)
	if err != nil {
		return nil, err
	}
	if len(sol.Unassigned) > len(plain.Unassigned) {
		return plain, nil
	}
	return sol, nil
}

// balancePenalty is the part of a route's cost in the optimiser's units
// that is the balance objective, not money (dispatch/vrp/balance.go).
func balancePenalty(in *vrp.Instance, dur int64) int64 {
	if in.BalanceCost <= 0 || dur <= in.BalanceTarget {
		return 0
	}
	return in.BalanceCost * (dur - in.BalanceTarget)
}

// Longest is the longest van's day of a plan, by distance and by time,
// and the fair share the balance aimed at.
type Longest struct {
	DistanceM int64   `json:"distance_m"`
	Km        float64 `json:"km"`
	DurationS int64   `json:"duration_s"`
	Hours     float64 `json:"hours"`
	// SpreadS is the longest day's time less the shortest's.
	SpreadS int64 `json:"spread_s"`
	// TargetS is the fair share of the day (total working time over the
	// vans) that a balanced plan priced work beyond; absent when off.
	TargetS int64 `json:"target_s,omitempty"`
}

// longestOf measures the longest and shortest of routes.
func longestOf(routes []Route) Longest {
	var l Longest
	shortest := int64(-1)
	for _, r := range routes {
		l.DistanceM = max(l.DistanceM, r.DistanceM)
		l.DurationS = max(l.DurationS, r.DurationS)
		if shortest < 0 || r.DurationS < shortest {
			shortest = r.DurationS
		}
	}
	if shortest >= 0 {
		l.SpreadS = l.DurationS - shortest
	}
	l.Km = float64(l.DistanceM/100) / 10
	l.Hours = float64(l.DurationS/36) / 100
	return l
}

// balanceMode is the plan's balance, off for plans made before it.
func (p *Plan) balanceMode() string {
	if p.Balance == "" {
		return BalanceOff
	}
	return p.Balance
}

// rangeNote is what a route sheet says of an electric van's range: the
// day's km against it, so the driver knows how much charge is to spare.
func (r *Route) rangeNote() string {
	if r.RangeM <= 0 {
		return ""
	}
	return fmt.Sprintf(" of its %d km range (%.0f%%)", r.RangeM/1000, float64(r.DistanceM)*100/float64(r.RangeM))
}

package vrp

// Balanced work (issue 12 point 7). Minimising the longest route (the
// min-max VRP) is not additive over routes, so neither Split nor the O(1)
// move evaluation of segments could price it; a convex per-route penalty
// on work beyond a target is additive and prices the same spread: with
// BalanceTarget the fair share of the day (total work over the vans) and
// BalanceCost above the cost of a van's time, the search moves work off
// the longest routes before it saves distance. (Matl, Hartl and Vidal
// 2018, "Workload equity in vehicle routing problems: a survey and
// analysis", Transportation Science 52(2), compare equity objectives and
// what each costs in distance.)

// overWork is the model's balance cost of a route of duration dur.
func (in *Instance) overWork(dur int64) int64 {
	if in.BalanceCost <= 0 || dur <= in.BalanceTarget {
		return 0
	}
	return in.BalanceCost * (dur - in.BalanceTarget)
}

// balance is overWork for the search's segments.
func (p *params) balance(dur int64) float64 {
	return float64(p.in.overWork(dur))
}

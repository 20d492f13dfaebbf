package dispatch

// The properties of a split, checked on the numbers: efficiency (the shares
// add up to the plan's cost, to the fen), individual rationality (nobody pays
// more than it would alone) and the core (no coalition pays more than its
// own value). The Shapley value is efficient by construction and
// individually rational when the game is subadditive, but it may lie outside
// the core even then, so the check reports every coalition that would do
// better alone rather than assuming none does.

// checkShares checks shares against every coalition the game has valued.
func checkShares(g *shareGame, shares []CarrierShare) ShareChecks {
	c := ShareChecks{Efficient: true, IndividuallyRational: true, CoreViolations: []CoreViolation{}}
	for _, s := range shares {
		c.SumFen += s.ShareFen
		if s.ShareFen > s.StandaloneFen {
			c.IndividuallyRational = false
		}
	}
	c.Efficient = c.SumFen == g.grandFen
	for _, s := range bySize(len(g.players)) {
		v, ok := g.values[s]
		if !ok {
			continue
		}
		c.CoreCoalitions++
		paid := int64(0)
		for i := range g.players {
			if s.has(i) {
				paid += shares[i].ShareFen
			}
		}
		if paid > v.fen {
			c.CoreViolations = append(c.CoreViolations, CoreViolation{Carriers: g.names(s), ValueFen: v.fen, SharesFen: paid, ExcessFen: paid - v.fen})
		}
	}
	return c
}

// alternativeRules splits the same total by the simple rules a county might
// otherwise use, so carriers can compare.
func alternativeRules(shares []CarrierShare, total int64) []ShareRule {
	rules := []struct {
		name   string
		weight func(CarrierShare) int64
	}{
		{"per_parcel", func(s CarrierShare) int64 { return int64(s.Parcels) }},
		{"per_kg", func(s CarrierShare) int64 { return s.WeightG }},
		{"per_stop", func(s CarrierShare) int64 { return int64(s.Stops) }},
		{"standalone_proportional", func(s CarrierShare) int64 { return s.StandaloneFen }},
	}
	out := make([]ShareRule, 0, len(rules))
	for _, r := range rules {
		w := make([]int64, len(shares))
		for i, s := range shares {
			w[i] = r.weight(s)
		}
		fen := weighted(w, total)
		rule := ShareRule{Rule: r.name, Shares: make([]RuleShare, len(shares))}
		for i, s := range shares {
			rule.Shares[i] = RuleShare{Carrier: s.Carrier, ShareFen: fen[i]}
		}
		out = append(out, rule)
	}
	return out
}

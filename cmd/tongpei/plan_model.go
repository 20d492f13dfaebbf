package main

import (
	"fmt"
	"io"

	"github.com/tongpei/tongpei/dispatch"
)

// printModel is the plan's balance and range line: how the vans' work
// was balanced, the longest day and the electric vans' range.
func printModel(w io.Writer, p *dispatch.Plan) {
	l := p.Longest
	balance := p.Balance
	if balance == "" {
		balance = dispatch.BalanceOff
	}
	fmt.Fprintf(w, "Balance: %s; longest day %.1f km, %.1f h (%.1f h more than the shortest)", balance, l.Km, l.Hours, float64(l.SpreadS)/3600)
	if l.TargetS > 0 {
		fmt.Fprintf(w, ", fair share %.1f h", float64(l.TargetS)/3600)
	}
	fmt.Fprintln(w)
	if p.EVRangeKm > 0 {
		fmt.Fprintf(w, "Electric vans' range on this day: %d km (the counterfactual's too)\n", p.EVRangeKm)
	}
}

// rangeOf is the route row's range column: the van's km used of its
// range, or "-" for a van without one.
func rangeOf(r dispatch.Route) string {
	if r.RangeM <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%% of %d", float64(r.DistanceM)*100/float64(r.RangeM), r.RangeM/1000)
}

package settlement

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/internal/errs"
)

// DayPosting is what posting a business day did.
type DayPosting struct {
	Date   string   `json:"date"`
	Posted []Entry  `json:"posted"`
	Notes  []string `json:"notes"`
}

// PostDay posts a business day: the cost shares of the day's published plan
// and the day's station handling fees. Posting a day again posts only what
// changed (a newer plan, late scans), reversing what it replaces.
func (l *Ledger) PostDay(ctx context.Context, date string) (*DayPosting, error) {
	day, err := time.ParseInLocation(time.DateOnly, date, County)
	if err != nil {
		return nil, errs.E(errs.Invalid, "date must be YYYY-MM-DD, not %q", date)
	}
	out := &DayPosting{Date: date, Posted: []Entry{}, Notes: []string{}}
	plans, err := l.dispatch.Plans(ctx, date)
	if err != nil {
		return nil, err
	}
	var planID int64
	for _, p := range plans { // newest first
		if p.Status == "published" {
			planID = p.ID
			break
		}
	}
	if planID == 0 {
		out.Notes = append(out.Notes, "no published plan on "+date+": no fleet shares posted")
	} else {
		posted, err := l.PostPlan(ctx, planID)
		if err != nil {
			return nil, err
		}
		out.Posted = append(out.Posted, posted...)
	}
	fees, err := l.PostFees(ctx, day)
	if err != nil {
		return nil, err
	}
	out.Posted = append(out.Posted, fees...)
	return out, nil
}

// PostPlan posts a published plan's cost shares: each carrier is debited its
// share, the fleet operator credited the total (split between operators by
// their routes' cost when there are several). A plan already posted is left
// alone; a posting of another plan for the same day is reversed first.
func (l *Ledger) PostPlan(ctx context.Context, planID int64) ([]Entry, error) {
	plan, err := l.dispatch.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	source := fmt.Sprintf("plan:%d", planID)
	if _, err := l.liveBySource(ctx, source); err == nil {
		return []Entry{}, nil
	} else if !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	cs, err := l.dispatch.CostShares(ctx, planID, l.Shares)
	if err != nil {
		return nil, err
	}
	memo := planMemo(plan, cs)
	e := Entry{BusinessDate: plan.ServiceDate, Kind: FleetShare, Source: source, Memo: memo.zh, MemoEn: memo.en}
	for _, s := range cs.Shares {
		if s.ShareFen != 0 {
			d := carrierShareDetail(s)
			e.Lines = append(e.Lines, Line{Account: AccountCode(KindCarrier, s.Carrier), AmountFen: s.ShareFen, Detail: d.zh, DetailEn: d.en})
		}
	}
	for op, fen := range operatorShares(plan, cs.TotalFen) {
		if fen != 0 {
			d := operatorDetail(len(plan.Routes))
			e.Lines = append(e.Lines, Line{Account: AccountCode(KindOperator, op), AmountFen: -fen, Detail: d.zh, DetailEn: d.en})
		}
	}
	stale, err := l.liveOfDay(ctx, FleetShare, plan.ServiceDate)
	if err != nil {
		return nil, err
	}
	return l.replace(ctx, stale, &e, replacedByPlan(planID))
}

// operatorShares splits total between the plan's fleet operators by their
// routes' cost, largest remainder, operators in code order.
func operatorShares(plan *dispatch.Plan, total int64) map[string]int64 {
	cost := map[string]int64{}
	for _, r := range plan.Routes {
		cost[r.Operator] += r.CostFen
	}
	ops := make([]string, 0, len(cost))
	sum := int64(0)
	for op, c := range cost {
		ops = append(ops, op)
		sum += c
	}
	slices.Sort(ops)
	out := map[string]int64{}
	if sum == 0 {
		return out
	}
	given := int64(0)
	rem := make([]int64, len(ops))
	for i, op := range ops {
		out[op] = total * cost[op] / sum
		rem[i] = total * cost[op] % sum
		given += out[op]
	}
	idx := make([]int, len(ops))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return int(rem[b] - rem[a]) })
	for k := 0; given < total && k < len(idx); k++ {
		out[ops[idx[k]]]++
		given++
	}
	return out
}

// PostFees posts a day's station handling fees: for each station and
// carrier, the carrier is debited the fee per parcel of the station's tier
// for every parcel handed over or accepted, and the keeper credited. When
// the day is posted already and the counts changed since (late scans), the
// old posting is reversed and the new one posted.
func (l *Ledger) PostFees(ctx context.Context, day time.Time) ([]Entry, error) {
	from, to := dayBounds(day)
	date := from.Format(time.DateOnly)
	counts, err := l.custody.HandlingCounts(ctx, from, to)
	if err != nil {
		return nil, err
	}
	rates, err := l.FeeRates(ctx)
	if err != nil {
		return nil, err
	}
	memo := feesMemo(date)
	e := Entry{BusinessDate: date, Kind: StationFee, Memo: memo.zh, MemoEn: memo.en}
	for _, c := range counts {
		fee := rates.fee(c.Tier, c.Event) * c.Parcels
		if fee == 0 {
			continue
		}
		d := feeDetail(c.Station, c.Event, c.Parcels, rates.fee(c.Tier, c.Event))
		k := d.after(c.Carrier)
		e.Lines = append(e.Lines,
			Line{Account: AccountCode(KindCarrier, c.Carrier), AmountFen: fee, Detail: d.zh, DetailEn: d.en},
			Line{Account: AccountCode(KindKeeper, c.Station), AmountFen: -fee, Detail: k.zh, DetailEn: k.en})
	}
	stale, err := l.liveOfDay(ctx, StationFee, date)
	if err != nil {
		return nil, err
	}
	if len(stale) == 1 && sameLines(stale[0].Lines, e.Lines) {
		return []Entry{}, nil
	}
	e.Source = fmt.Sprintf("fees:%s#%d", date, l.revisions(ctx, "fees:"+date+"#")+1)
	if len(e.Lines) == 0 {
		e = Entry{} // nothing to post; only reverse what was
	}
	return l.replace(ctx, stale, &e, feesRecounted(date))
}

// sameLines compares postings by account, amount and the English detail
// (which holds the counts): lines posted before the texts were Chinese
// carry their English in both, so the Chinese cannot be compared.
func sameLines(a, b []Line) bool {
	return slices.EqualFunc(a, b, func(x, y Line) bool {
		return x.Account == y.Account && x.AmountFen == y.AmountFen && x.DetailEn == y.DetailEn
	})
}

// replace reverses stale and posts e (when it has lines) in one transaction.
func (l *Ledger) replace(ctx context.Context, stale []Entry, e *Entry, why text) ([]Entry, error) {
	var reversals []Entry
	for _, s := range stale {
		memo := reversalMemo(s.ID, why)
		r := Entry{BusinessDate: s.BusinessDate, Kind: Reversal, Source: fmt.Sprintf("reversal:%d", s.ID), Memo: memo.zh, MemoEn: memo.en}
		id := s.ID
		r.Reverses = &id
		for _, ln := range s.Lines {
			r.Lines = append(r.Lines, Line{Account: ln.Account, AmountFen: -ln.AmountFen, Detail: ln.Detail, DetailEn: ln.DetailEn})
		}
		reversals = append(reversals, r)
	}
	if len(e.Lines) > 0 {
		reversals = append(reversals, *e)
	}
	if len(reversals) == 0 {
		return []Entry{}, nil
	}
	return l.insert(ctx, reversals)
}

// Reverse posts the reversal of one entry; why says what was wrong.
func (l *Ledger) Reverse(ctx context.Context, id int64, why string) (Entry, error) {
	if why == "" {
		return Entry{}, errs.E(errs.Invalid, "say why the entry is reversed (memo)")
	}
	e, err := l.Entry(ctx, id)
	if err != nil {
		return Entry{}, err
	}
	switch {
	case e.Kind == Reversal:
		return Entry{}, errs.E(errs.Conflict, "entry %d is itself a reversal; post the original again instead", id)
	case e.ReversedBy != nil:
		return Entry{}, errs.E(errs.Conflict, "entry %d is already reversed by entry %d", id, *e.ReversedBy)
	}
	out, err := l.replace(ctx, []Entry{e}, &Entry{}, same(why))
	if err != nil {
		return Entry{}, err
	}
	return out[0], nil
}

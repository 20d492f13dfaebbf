package dispatch

import (
	"context"
	"slices"
	"strings"
)

// DayBoard is the county centre's morning view of a day: what waits at the
// hub to go down and at the stations to come up, station by station and
// township by township, what each company handed over, which parcels an
// earlier day's plan already had (yesterday's leftovers), and the day's
// plans and plan jobs so far.
type DayBoard struct {
	ServiceDate string           `json:"service_date"`
	Hub         PlanPlace        `json:"hub"`
	Totals      WaitingPair      `json:"totals"`
	Stations    []StationWaiting `json:"stations"` // every active station, waiting or not, by code
	Townships   []TownWaiting    `json:"townships"`
	Carriers    []CarrierWaiting `json:"carriers"`
	// Leftovers are waiting parcels that an earlier day's published plan
	// carried or could not serve.
	Leftovers int           `json:"leftovers"`
	Plans     []PlanSummary `json:"plans"`
	Jobs      []*PlanJob    `json:"jobs"`
}

// Waiting is an amount of parcels.
type Waiting struct {
	Parcels   int   `json:"parcels"`
	WeightG   int64 `json:"weight_g"`
	VolumeCm3 int64 `json:"volume_cm3"`
}

func (w *Waiting) add(p parcelRow) {
	w.Parcels++
	w.WeightG += p.WeightG
	w.VolumeCm3 += p.VolumeCm3
}

// WaitingPair is what goes down to a place and what comes up from it.
type WaitingPair struct {
	Down Waiting `json:"down"`
	Up   Waiting `json:"up"`
}

func (w *WaitingPair) add(p parcelRow) {
	if p.Direction == "up" {
		w.Up.add(p)
	} else {
		w.Down.add(p)
	}
}

// StationWaiting is one station's line of the board.
type StationWaiting struct {
	PlanPlace
	Tier     string `json:"tier"`
	Township string `json:"township"`
	WaitingPair
	Leftovers int `json:"leftovers"`
}

// TownWaiting sums a township's stations.
type TownWaiting struct {
	Township string `json:"township"`
	Stations int    `json:"stations"`
	WaitingPair
}

// CarrierWaiting is what one company handed over (down) or has waiting to
// be collected (up).
type CarrierWaiting struct {
	Carrier string `json:"carrier"`
	WaitingPair
}

// DayBoard builds the board of date from the parcels waiting now.
func (s *Service) DayBoard(ctx context.Context, q *PlanQueue, date string) (*DayBoard, error) {
	o := PlanOptions{ServiceDate: date, TimeLimit: DefaultTimeLimit}
	if _, err := o.check(); err != nil {
		return nil, err
	}
	set, err := s.loadStations(ctx)
	if err != nil {
		return nil, err
	}
	parcels, err := s.county.waitingParcels(ctx)
	if err != nil {
		return nil, err
	}
	earlier, err := s.plans.plannedBefore(ctx, date)
	if err != nil {
		return nil, err
	}
	b := &DayBoard{ServiceDate: date, Hub: place(set.hub), Stations: []StationWaiting{}, Townships: []TownWaiting{}, Carriers: []CarrierWaiting{}}
	byStation := map[string]*StationWaiting{}
	codes := make([]string, 0, len(set.byCode))
	for c := range set.byCode {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		st := set.byCode[c]
		b.Stations = append(b.Stations, StationWaiting{PlanPlace: place(st), Tier: st.Tier, Township: st.Township})
	}
	for i := range b.Stations {
		byStation[b.Stations[i].Code] = &b.Stations[i]
	}
	byCarrier := map[string]*WaitingPair{}
	for _, p := range parcels {
		b.Totals.add(p)
		if st, ok := byStation[p.Station]; ok {
			st.add(p)
			if earlier[p.ID] {
				st.Leftovers++
			}
		}
		if earlier[p.ID] {
			b.Leftovers++
		}
		if byCarrier[p.Carrier] == nil {
			byCarrier[p.Carrier] = &WaitingPair{}
		}
		byCarrier[p.Carrier].add(p)
	}
	towns := map[string]*TownWaiting{}
	for _, st := range b.Stations {
		if st.Township == "" || st.Tier == "county_hub" {
			continue
		}
		tw := towns[st.Township]
		if tw == nil {
			tw = &TownWaiting{Township: st.Township}
			towns[st.Township] = tw
		}
		tw.Stations++
		tw.Down.Parcels += st.Down.Parcels
		tw.Down.WeightG += st.Down.WeightG
		tw.Down.VolumeCm3 += st.Down.VolumeCm3
		tw.Up.Parcels += st.Up.Parcels
		tw.Up.WeightG += st.Up.WeightG
		tw.Up.VolumeCm3 += st.Up.VolumeCm3
	}
	for _, tw := range towns {
		b.Townships = append(b.Townships, *tw)
	}
	slices.SortFunc(b.Townships, func(x, y TownWaiting) int { return strings.Compare(x.Township, y.Township) })
	for c, w := range byCarrier {
		b.Carriers = append(b.Carriers, CarrierWaiting{Carrier: c, WaitingPair: *w})
	}
	slices.SortFunc(b.Carriers, func(x, y CarrierWaiting) int { return strings.Compare(x.Carrier, y.Carrier) })
	if b.Plans, err = s.Plans(ctx, date); err != nil {
		return nil, err
	}
	if q != nil {
		if b.Jobs, err = q.Jobs(ctx, date); err != nil {
			return nil, err
		}
	}
	if b.Jobs == nil {
		b.Jobs = []*PlanJob{}
	}
	return b, nil
}

package dispatch

import (
	"context"
	"time"
)

// lateAfter is how long past its planned arrival a stop may go without its
// parcels arriving before its route shows late.
const lateAfter = 30 * time.Minute

// DayProgress is a published plan filling in as the scans arrive: per route
// and stop, how many of its parcels are loaded, arrived and picked up (down)
// and collected (up), and whether the route runs late.
type DayProgress struct {
	PlanID int64           `json:"plan_id"`
	At     time.Time       `json:"at"`
	Routes []RouteProgress `json:"routes"`
	Totals StopProgress    `json:"totals"`
}

// RouteProgress is one van's route.
type RouteProgress struct {
	Number int            `json:"number"`
	Late   bool           `json:"late"`
	Stops  []StopProgress `json:"stops"`
	Totals StopProgress   `json:"totals"`
}

// StopProgress counts one stop's parcels by how far they have got.
type StopProgress struct {
	Station string `json:"station,omitempty"`
	Seq     int    `json:"seq,omitempty"`
	Late    bool   `json:"late,omitempty"`
	Drop    int    `json:"drop"`
	Loaded  int    `json:"loaded"`  // down parcels on the van or further
	Arrived int    `json:"arrived"` // down parcels at the station or picked up
	Picked  int    `json:"picked"`  // down parcels handed to the recipient
	Collect int    `json:"collect"`
	Taken   int    `json:"taken"` // up parcels on the van or further
}

func (a *StopProgress) add(b StopProgress) {
	a.Drop += b.Drop
	a.Loaded += b.Loaded
	a.Arrived += b.Arrived
	a.Picked += b.Picked
	a.Collect += b.Collect
	a.Taken += b.Taken
}

// DayProgress reads where the plan's parcels are now.
func (s *Service) DayProgress(ctx context.Context, planID int64, now time.Time) (*DayProgress, error) {
	plan, err := s.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	states, err := s.county.planParcelStates(ctx, planID)
	if err != nil {
		return nil, err
	}
	out := &DayProgress{PlanID: planID, At: now.UTC(), Routes: []RouteProgress{}}
	for _, r := range plan.Routes {
		rp := RouteProgress{Number: r.Number, Stops: []StopProgress{}}
		for _, st := range r.Stops {
			sp := StopProgress{Station: st.Station.Code, Seq: st.Seq, Drop: len(st.Drop), Collect: len(st.Collect)}
			for _, p := range st.Drop {
				switch states[p.ID] {
				case "loaded":
					sp.Loaded++
				case "station_arrival", "returned":
					sp.Loaded++
					sp.Arrived++
				case "picked_up":
					sp.Loaded++
					sp.Arrived++
					sp.Picked++
				}
			}
			for _, p := range st.Collect {
				if s := states[p.ID]; s != "accepted" && s != "" {
					sp.Taken++
				}
			}
			sp.Late = sp.Arrived < sp.Drop && now.After(st.Arrival.Add(lateAfter))
			rp.Late = rp.Late || sp.Late
			rp.Totals.add(sp)
			rp.Stops = append(rp.Stops, sp)
		}
		out.Totals.add(rp.Totals)
		out.Routes = append(out.Routes, rp)
	}
	return out, nil
}

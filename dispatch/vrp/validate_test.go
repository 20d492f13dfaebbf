package vrp

import (
	"strings"
	"testing"
)

// lineInstance has the depot at 0 and stops at 10, 20, 30 on a line; travel
// time equals distance.
func lineInstance() *Instance {
	pos := []int64{0, 10, 20, 30}
	n := len(pos)
	in := &Instance{
		Name: "line", Dims: 2, DepotWindow: TimeWindow{0, 1000},
		Stops: []Stop{
			{ID: "a", Delivery: Amount{3, 1}, Pickup: Amount{1, 0}, Service: 5},
			{ID: "b", Delivery: Amount{2, 0}, Pickup: Amount{4, 0}, Service: 5, TimeWindows: []TimeWindow{{50, 60}}},
			{ID: "c", Delivery: Amount{1, 0}, Service: 5, Skills: 2},
		},
		VehicleTypes: []VehicleType{
			{Name: "van", Count: 1, Capacity: Amount{6, 1}, FixedCost: 100, DistanceCost: 2, TimeCost: 1, ShiftEnd: Horizon, Skills: 3},
			{Name: "bike", Count: Unlimited, Capacity: Amount{5, 5}, DistanceCost: 1, ShiftStart: 0, ShiftEnd: 200},
		},
	}
	in.Distance = make([]int64, n*n)
	for i := range n {
		for j := range n {
			in.Distance[i*n+j] = max(pos[i]-pos[j], pos[j]-pos[i])
		}
	}
	return in
}

func TestRouteTimelineLatestDeparture(t *testing.T) {
	t.Parallel()
	in := lineInstance()
	// a then b: earliest departure 0 reaches a at 10, leaves 15, reaches b at
	// 25 and waits until 50; leaving at 25 instead avoids all waiting.
	tl, err := RouteTimeline(in, Route{VehicleType: 0, Stops: []int{0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if tl.Departure != 25 || tl.Return != 75 || tl.Duration != 50 || tl.Waiting != 0 || tl.Distance != 40 {
		t.Fatalf("timeline %+v", tl)
	}
	if tl.Cost != 100+2*40+1*50 {
		t.Errorf("cost %d", tl.Cost)
	}
	// Loads: leaves with 5 (3+2) on dim 0 and 1 on dim 1; after a: 5−3+1 = 3,
	// after b: 3−2+4 = 5.
	if tl.StartLoad != (Amount{5, 1}) || tl.Steps[0].Load != (Amount{3, 0}) || tl.Steps[1].Load != (Amount{5, 0}) {
		t.Errorf("loads %v %v %v", tl.StartLoad, tl.Steps[0].Load, tl.Steps[1].Load)
	}
	if tl.Steps[1].Arrival != 50 || tl.Steps[1].Start != 50 || tl.Steps[0].Arrival != 35 {
		t.Errorf("steps %+v", tl.Steps)
	}
}

func TestRouteTimelineMultipleWindows(t *testing.T) {
	t.Parallel()
	in := lineInstance()
	in.Stops[1].TimeWindows = []TimeWindow{{0, 5}, {40, 45}, {100, 110}}
	// b alone: reaches at 20, waits for 40. The latest departure that still
	// returns at 65 (40+5+20) is 20.
	tl, err := RouteTimeline(in, Route{Stops: []int{1}})
	if err != nil {
		t.Fatal(err)
	}
	if tl.Departure != 20 || tl.Return != 65 || tl.Duration != 45 {
		t.Fatalf("timeline %+v", tl)
	}
	in.DepotWindow.Start = 30 // reaches b at 50: too late for 40–45, serves at 100
	if tl, err = RouteTimeline(in, Route{Stops: []int{1}}); err != nil || tl.Steps[0].Start != 100 || tl.Departure != 80 {
		t.Fatalf("timeline %+v, %v", tl, err)
	}
}

func TestValidateRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		edit func(*Instance)
		sol  Solution
		want string
	}{
		{"missing stop", nil, Solution{Routes: []Route{{Stops: []int{0, 1}}}}, "neither routed nor unassigned"},
		{"twice", nil, Solution{Routes: []Route{{Stops: []int{0, 1, 2}}, {VehicleType: 1, Stops: []int{0}}}}, "visited twice"},
		{"routed and unassigned", nil, Solution{Routes: []Route{{Stops: []int{0, 1, 2}}}, Unassigned: []Unassigned{{Stop: 2}}}, "also routed"},
		{"fleet", nil, Solution{Routes: []Route{{Stops: []int{0, 1}}, {Stops: []int{2}}}}, "only 1 vehicles"},
		{"skills", nil, Solution{Routes: []Route{{Stops: []int{0, 1}}, {VehicleType: 1, Stops: []int{2}}}}, "needs skills"},
		{"capacity dim 1", func(in *Instance) { in.VehicleTypes[0].Capacity[1] = 0 }, Solution{Routes: []Route{{Stops: []int{0, 1, 2}}}}, "dimension 1"},
		{"pickup overload", func(in *Instance) { in.Stops[1].Pickup[0] = 9 }, Solution{Routes: []Route{{Stops: []int{0, 1, 2}}}}, "after stop 1"},
		{"window", func(in *Instance) { in.Stops[1].TimeWindows = []TimeWindow{{0, 5}} }, Solution{Routes: []Route{{Stops: []int{0, 1, 2}}}}, "after its last time window"},
		{"shift", func(in *Instance) { in.VehicleTypes[0].ShiftEnd = 70 }, Solution{Routes: []Route{{Stops: []int{0, 1, 2}}}}, "after the shift"},
		{"depot", func(in *Instance) { in.DepotWindow.End = 70 }, Solution{Routes: []Route{{Stops: []int{0, 1, 2}}}}, "depot closing"},
		{"duration", func(in *Instance) { in.VehicleTypes[0].MaxDuration = 30 }, Solution{Routes: []Route{{Stops: []int{0, 1, 2}}}}, "longer than"},
		{"distance", func(in *Instance) { in.VehicleTypes[0].MaxDistance = 30 }, Solution{Routes: []Route{{Stops: []int{0, 1, 2}}}}, "farther than"},
		{"bad type", nil, Solution{Routes: []Route{{VehicleType: 7, Stops: []int{0}}}}, "does not exist"},
		{"bad stop", nil, Solution{Routes: []Route{{Stops: []int{9}}}}, "does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in := lineInstance()
			if c.edit != nil {
				c.edit(in)
			}
			err := Validate(in, &c.sol)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestEvaluateFeasible(t *testing.T) {
	t.Parallel()
	in := lineInstance()
	s := &Solution{
		Routes:     []Route{{Stops: []int{0, 1, 2}}, {VehicleType: 1}},
		Unassigned: nil,
	}
	cost, err := Evaluate(in, s)
	if err != nil {
		t.Fatal(err)
	}
	// Leaves at 25: a 35–40, b 50–55, c 65–70, back at 100; 60 km.
	if want := int64(100 + 2*60 + 75); cost != want {
		t.Errorf("cost %d, want %d", cost, want)
	}
	s = &Solution{Routes: []Route{{Stops: []int{0, 1}}}, Unassigned: []Unassigned{{Stop: 2, Code: "skills"}}}
	if _, err := Evaluate(in, s); err != nil {
		t.Errorf("unassigned stop rejected: %v", err)
	}
}

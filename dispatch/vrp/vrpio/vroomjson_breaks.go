package vrpio

// VROOMBreak is a vehicle's break (docs/API.md of VROOM-Project/vroom,
// "Breaks"): it happens once in the route, starting within one of its time
// windows, lasting service, with at most max_load on board.
type VROOMBreak struct {
	ID          uint64     `json:"id"`
	TimeWindows [][2]int64 `json:"time_windows,omitempty"`
	Service     int64      `json:"service,omitempty"`
	Description string     `json:"description,omitempty"`
	MaxLoad     []int64    `json:"max_load,omitempty"`
}

package dispatch

import "time"

// parcelRow is what planning needs of one parcel.
type parcelRow struct {
	ID         int64
	Carrier    string
	TrackingNo string
	Direction  string
	Station    string
	Category   string
	WeightG    int64
	VolumeCm3  int64
	// HubAt is when a down parcel reached the hub: its first hub_inbound
	// scan in custody's timeline (nil when it has none, e.g. loaded in
	// bulk, or for an up parcel).
	HubAt *time.Time
	// Release is the second after the service day's midnight from which
	// the parcel is at the hub (see releaseOn); 0 for up parcels.
	Release int64
}

// defaultVolumeCm3 is used for a parcel registered without its size: a
// shoebox, the commonest rural parcel.
const defaultVolumeCm3 = 33 * 23 * 12

// releaseOn sets each down parcel's Release for the service day starting
// at midnight day: the seconds from midnight to its hub arrival scan when
// that scan falls on the day itself (the overnight trunk's parcels early,
// the noon trunk's at noon), and 0 otherwise — a parcel that reached the
// hub on an earlier day waits there from the start, and one scanned after
// the day (a past date planned again) carries no time that day can use.
func releaseOn(ps []parcelRow, day time.Time) {
	end := day.AddDate(0, 0, 1)
	for i := range ps {
		p := &ps[i]
		p.Release = 0
		if p.Direction == "down" && p.HubAt != nil && !p.HubAt.Before(day) && p.HubAt.Before(end) {
			p.Release = int64(p.HubAt.Sub(day) / time.Second)
		}
	}
}

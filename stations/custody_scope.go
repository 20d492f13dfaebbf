package stations

import "github.com/tongpei/tongpei/internal/auth"

// Which parcels a keeper may scan. A keeper works at one station, and the
// parcels that pass through it are those on their way between the county
// hub and a station: the keeper of a station scans the parcels bound for it
// (down) or sent from it (up); the keeper of a township also the parcels of
// the villages under it, since their routes load there; the keeper of the
// county hub every parcel, since every parcel passes the hub. Any other
// parcel, in whatever state and for whatever kind of scan (problem and
// returned included), is none of the keeper's business: it is refused
// exactly as a parcel that does not exist, so that a keeper cannot learn
// another station's parcels by probing tracking numbers.

// keeperMayScan reports whether the keeper of station (whose tier is tier)
// may scan p.
func keeperMayScan(station, tier string, p *parcelRow) bool {
	return p.station == station || tier == string(CountyHub) ||
		tier == string(Township) && p.stationParent == station
}

// visibleTo keeps the parcels of a tracking number that who may scan:
// every one for the county centre and carriers (whose own rule comes
// later, with its own refusal), only those on the keeper's path for a
// keeper.
func (b *batch) visibleTo(who auth.Principal, station string, ps []*parcelRow) []*parcelRow {
	if who.Role != auth.Keeper {
		return ps
	}
	var out []*parcelRow
	for _, p := range ps {
		if keeperMayScan(station, b.tiers[station], p) {
			out = append(out, p)
		}
	}
	return out
}

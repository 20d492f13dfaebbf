package stations

import (
	"bytes"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/auth"
)

// parcelRow is a parcel as the state machine sees it, locked for the batch.
type parcelRow struct {
	id             int64
	carrier        string
	trackingNo     string
	direction      string
	station        string
	stationParent  string // the township above a village station, for keepers' scope
	state          string
	pickupCode     string
	arrivedAt      *time.Time
	createdAt      time.Time
	recipientName  string
	recipientPhone string
	dirty          bool
}

// knownScan is a scan id seen before: accepted (an event with a digest), an
// event that was no scan (digest nil), or a remembered rejection.
type knownScan struct {
	digest []byte
	code   string // "" when it was accepted
	detail string
}

// eventRow is one new timeline entry.
type eventRow struct {
	id         uuid.UUID
	parcel     *parcelRow
	kind       string
	station    string
	at         time.Time
	recordedAt time.Time
	by         string
	digest     []byte
	pickupCode string
	note       string
	loc        *Location
	state      string // the parcel's state after it
}

type rejectionRow struct {
	id     uuid.UUID
	digest []byte
	code   string
	detail string
}

// batch is one batch of scans being applied in memory, after every row it
// touches was loaded (and locked) in one round trip, and before every change
// is written in another. Scans apply in order, so a later scan of a parcel
// sees the state an earlier one left.
type batch struct {
	now        time.Time
	who        auth.Principal
	parcels    map[string][]*parcelRow // by tracking number
	known      map[uuid.UUID]knownScan
	tiers      map[string]string       // station code → tier
	used       map[string]map[int]bool // station → pickup numbers taken
	events     []eventRow              // accepted scans, for the timeline and the outbox
	notices    []eventRow              // notifications, for the outbox only
	rejections []rejectionRow
}

// remembered are the refusals that depend on the parcel's state at the time;
// they are stored so a resend gets the same answer. Refusals about the
// caller or the input are not: someone else, or a fixed input, may succeed.
var remembered = map[string]bool{
	CodeTransition: true, CodeWrongStation: true, CodeWrongPickupCode: true, CodeImplausibleTime: true,
}

// apply decides one scan and records its effects in b.
func (b *batch) apply(s *Scan) Result {
	d := digest(s)
	if k, seen := b.known[s.ID]; seen {
		switch {
		case !bytes.Equal(k.digest, d):
			return rejected(s.ID, CodeIDReused, "scan id %s was used before for a different scan; give every scan a new id", s.ID)
		case k.code == "":
			return Result{ID: s.ID, Status: StatusDuplicate, Detail: "this scan was applied before"}
		default:
			return rejected(s.ID, k.code, "%s (refused when first sent)", k.detail)
		}
	}
	r := b.decide(s, d)
	if r.Status == StatusRejected && remembered[r.Code] {
		b.rejections = append(b.rejections, rejectionRow{id: s.ID, digest: d, code: r.Code, detail: r.Detail})
		b.known[s.ID] = knownScan{digest: d, code: r.Code, detail: r.Detail}
	}
	return r
}

// decide runs the checks of the state machine in the order a keeper would
// want to hear about them, and applies an acceptable scan.
func (b *batch) decide(s *Scan, d []byte) Result {
	p, res, ok := b.find(s)
	if !ok {
		return res
	}
	if b.who.Role == auth.Carrier && p.carrier != b.who.Scope {
		return rejected(s.ID, CodeForbiddenCarrier, "parcel %s belongs to carrier %s; a carrier scans only its own parcels", s.TrackingNo, p.carrier)
	}
	tier, ok := b.tiers[s.Station]
	if !ok {
		return rejected(s.ID, CodeUnknownStation, "station %q is not registered; check the station code", s.Station)
	}
	if s.At.After(b.now.Add(maxClockAhead)) {
		return rejected(s.ID, CodeImplausibleTime, "device time %s is %s ahead of the server; set the device clock", s.At.UTC().Format(time.RFC3339), s.At.Sub(b.now).Round(time.Second))
	}
	if s.At.Before(p.createdAt.Add(-maxBeforeBirth)) {
		return rejected(s.ID, CodeImplausibleTime, "device time %s is long before parcel %s was registered; set the device clock", s.At.UTC().Format(time.RFC3339), s.TrackingNo)
	}
	if !Allowed(p.direction, p.state, s.Kind) {
		r := rejected(s.ID, CodeTransition, "parcel %s is %s; %s cannot follow, only %s", s.TrackingNo, p.state, s.Kind, nextKinds(p.direction, p.state))
		r.State = p.state
		return r
	}
	if !stationFits(p.direction, s.Kind, s.Station, tier, p.station) {
		return rejected(s.ID, CodeWrongStation, "%s of parcel %s belongs %s, not at %s", s.Kind, s.TrackingNo, placeOf(p, s.Kind), s.Station)
	}
	ev := eventRow{id: s.ID, parcel: p, kind: s.Kind, station: s.Station, at: s.At, recordedAt: b.now,
		by: byOf(b.who), digest: d, note: s.Note, loc: s.Location}
	switch s.Kind {
	case PickedUp:
		override, res, ok := b.checkPickup(s, p)
		if !ok {
			return res
		}
		ev.pickupCode = p.pickupCode
		if override {
			ev.note = "pickup code overridden: " + s.Note
		}
	case StationArrival:
		code, ok := issueCode(s.ID, s.PickupCode, b.usedAt(p.station))
		if !ok {
			return rejected(s.ID, CodeShelfFull, "station %s has no free pickup code; hand out waiting parcels first", p.station)
		}
		p.pickupCode, ev.pickupCode = code, code
		at := s.At
		p.arrivedAt = &at
	}
	p.state, p.dirty = s.Kind, true
	ev.state = p.state
	b.events = append(b.events, ev)
	if s.Kind == StationArrival {
		b.notices = append(b.notices, eventRow{id: notificationID(s.ID), parcel: p, kind: KindNotified,
			station: p.station, at: b.now, recordedAt: b.now, by: "system", pickupCode: p.pickupCode, state: p.state})
	}
	b.known[s.ID] = knownScan{digest: d}
	return Result{ID: s.ID, Status: StatusAccepted, State: p.state, PickupCode: ev.pickupCode}
}

// find is the parcel a scan names: by tracking number, and by carrier when
// the scan (or the carrier's token) says which.
func (b *batch) find(s *Scan) (*parcelRow, Result, bool) {
	var found []*parcelRow
	for _, p := range b.visibleTo(b.who, s.Station, b.parcels[s.TrackingNo]) {
		if s.Carrier == "" || p.carrier == s.Carrier {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		if others := b.parcels[s.TrackingNo]; b.who.Role == auth.Carrier && len(others) > 0 {
			return nil, rejected(s.ID, CodeForbiddenCarrier, "parcel %s belongs to carrier %s; a carrier scans only its own parcels", s.TrackingNo, others[0].carrier), false
		}
		if s.Carrier != "" {
			return nil, rejected(s.ID, CodeUnknownParcel, "carrier %s has no parcel %s; check the number or register the parcel first", s.Carrier, s.TrackingNo), false
		}
		return nil, rejected(s.ID, CodeUnknownParcel, "no parcel %s is registered; check the number or register the parcel first", s.TrackingNo), false
	case 1:
		return found[0], Result{}, true
	}
	carriers := make([]string, len(found))
	for i, p := range found {
		carriers[i] = p.carrier
	}
	return nil, rejected(s.ID, CodeAmbiguousParcel, "tracking number %s is used by carriers %s; say which in carrier", s.TrackingNo, strings.Join(carriers, ", ")), false
}

// checkPickup compares the code the recipient gives with the parcel's. The
// recipient may say the whole code (3-2-4817) or its number (4817). An admin
// may hand over without the code when the note gives the reason.
func (b *batch) checkPickup(s *Scan, p *parcelRow) (override bool, _ Result, ok bool) {
	if s.PickupCode != "" && (s.PickupCode == p.pickupCode || s.PickupCode == codeNumber(p.pickupCode)) {
		return false, Result{}, true
	}
	if b.who.IsAdmin() && strings.TrimSpace(s.Note) != "" {
		return true, Result{}, true
	}
	if s.PickupCode == "" {
		return false, rejected(s.ID, CodeWrongPickupCode, "picked_up needs the recipient's pickup code in pickup_code (an admin may override with a reason in note)"), false
	}
	return false, rejected(s.ID, CodeWrongPickupCode, "pickup code %q does not match parcel %s; ask the recipient again", s.PickupCode, s.TrackingNo), false
}

func (b *batch) usedAt(station string) map[int]bool {
	u := b.used[station]
	if u == nil {
		u = map[int]bool{}
		b.used[station] = u
	}
	return u
}

// placeOf says where a scan of kind belongs, for a refusal's reason.
func placeOf(p *parcelRow, kind string) string {
	switch where[p.direction][kind] {
	case atHub:
		return "at the county hub"
	case atOwn:
		return "at station " + p.station
	case atOwnHub:
		return "at station " + p.station + " or the county hub"
	case atRoute:
		return "at the county hub or a township station"
	}
	return "elsewhere"
}

// notificationID is the id of the notification an arrival scan causes,
// derived from the scan's id so that a resend cannot notify twice.
func notificationID(scan uuid.UUID) uuid.UUID {
	return uuid.NewSHA1(scan, []byte(KindNotified))
}

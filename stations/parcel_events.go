package stations

import (
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/bus"
)

// EventMessage is what a carrier receives on tongpei.parcel.<carrier>.<kind>
// for every accepted scan of its parcels (ID is the scan's id) and for every
// notification of a recipient (kind notified, its ID derived from the
// arrival scan's). ID is the message's Nats-Msg-Id.
type EventMessage struct {
	ID         uuid.UUID `json:"id"`
	Carrier    string    `json:"carrier"`
	TrackingNo string    `json:"tracking_no"`
	Direction  string    `json:"direction"`
	Kind       string    `json:"kind"`
	State      string    `json:"state"`
	Station    string    `json:"station"`
	At         time.Time `json:"at"`
	RecordedAt time.Time `json:"recorded_at"`
	By         string    `json:"by"`
	PickupCode string    `json:"pickup_code,omitempty"`
	Note       string    `json:"note,omitempty"`
	Location   *Location `json:"location,omitempty"`
	// Recipient is set on notified events only: it is whom the SMS
	// gateway texts the pickup code to. The carrier registered these
	// details itself, so it sees nothing new.
	Recipient *Person `json:"recipient,omitempty"`
}

// Subject is the NATS subject of a parcel event (DESIGN.md).
func Subject(carrier, kind string) string { return "tongpei.parcel." + carrier + "." + kind }

// outboxEvents turns new timeline entries into outbox rows, one each.
func outboxEvents(events []eventRow) []bus.Event {
	out := make([]bus.Event, len(events))
	for i, e := range events {
		p := e.parcel
		m := EventMessage{ID: e.id, Carrier: p.carrier, TrackingNo: p.trackingNo, Direction: p.direction,
			Kind: e.kind, State: e.state, Station: e.station, At: e.at, RecordedAt: e.recordedAt, By: e.by,
			PickupCode: e.pickupCode, Note: e.note, Location: e.loc}
		if e.kind == KindNotified {
			m.Recipient = &Person{Name: p.recipientName, Phone: p.recipientPhone}
		}
		out[i] = bus.Event{ID: e.id, Subject: Subject(p.carrier, e.kind), Payload: m}
	}
	return out
}

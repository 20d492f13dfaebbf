package stations

import (
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/bus"
)

// EventMessage is what a carrier receives on tongpei.parcel.<carrier>.<kind>
// for every accepted scan of its parcels (ID is the scan's id), and what the
// SMS gateway receives on tongpei.notify.<station>.notified for every
// notification of a recipient (its ID derived from the arrival scan's). ID is
// the message's Nats-Msg-Id.
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
func Subject(carrier, kind string) string { return bus.FamilyParcel.Subject(carrier, kind) }

// NotifySubject is where a recipient's pickup-code notification goes: out
// of the carriers' parcel stream, which holds one message per accepted scan.
func NotifySubject(station string) string { return bus.FamilyNotify.Subject(station, KindNotified) }

// outboxEvents turns new timeline entries into outbox rows, one each.
func outboxEvents(events []eventRow) []bus.Event {
	out := make([]bus.Event, len(events))
	for i, e := range events {
		p := e.parcel
		m := EventMessage{ID: e.id, Carrier: p.carrier, TrackingNo: p.trackingNo, Direction: p.direction,
			Kind: e.kind, State: e.state, Station: e.station, At: e.at, RecordedAt: e.recordedAt, By: e.by,
			PickupCode: e.pickupCode, Note: e.note, Location: e.loc}
		subject := Subject(p.carrier, e.kind)
		if e.kind == KindNotified {
			m.Recipient = &Person{Name: p.recipientName, Phone: p.recipientPhone}
			subject = NotifySubject(e.station)
		}
		out[i] = bus.Event{ID: e.id, Subject: subject, Payload: m}
	}
	return out
}

package stations

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/text"
)

// Kinds of event a carrier reports on tongpei.carrier.<carrier>.<kind>.
const (
	// CarrierManifest hands a batch of down parcels over at the hub: they
	// are registered (if new) and scanned hub_inbound.
	CarrierManifest = "manifest"
	// CarrierCollected reports up parcels the carrier took at the hub:
	// they are scanned handed_to_carrier.
	CarrierCollected = "collected"
)

// Manifest is the payload of a manifest event.
type Manifest struct {
	// Station is the hub where the parcels were handed over; the county
	// hub when left out.
	Station string    `json:"station,omitempty"`
	At      time.Time `json:"at"`
	Parcels []Parcel  `json:"parcels"`
}

// Collection is the payload of a collected event.
type Collection struct {
	Station     string    `json:"station,omitempty"`
	At          time.Time `json:"at"`
	TrackingNos []string  `json:"tracking_nos"`
}

// ApplyCarrierEvent applies what carrier reports over NATS, once per event
// id: a repeat of an applied event does nothing and succeeds. Everything an
// event says is applied in one transaction, or nothing is. It returns an
// errs.Invalid or errs.Forbidden error for content that will never apply
// (the consumer sends those to the dead-letter subject), and any other
// error for a failure worth retrying.
func (c *Custody) ApplyCarrierEvent(ctx context.Context, carrier string, eventID uuid.UUID, kind string, payload json.RawMessage) error {
	if eventID == uuid.Nil {
		return errs.E(errs.Invalid, "the event has no id; send a UUID as Nats-Msg-Id")
	}
	who := auth.Principal{Role: auth.Carrier, Scope: carrier, Name: "nats"}
	var apply func(context.Context, dbTx) error
	switch kind {
	case CarrierManifest:
		var m Manifest
		if err := strictJSON(payload, &m); err != nil {
			return err
		}
		apply = func(ctx context.Context, tx dbTx) error { return c.applyManifest(ctx, tx, who, eventID, m) }
	case CarrierCollected:
		var col Collection
		if err := strictJSON(payload, &col); err != nil {
			return err
		}
		apply = func(ctx context.Context, tx dbTx) error { return c.applyCollection(ctx, tx, who, eventID, col) }
	default:
		return errs.E(errs.Invalid, "event kind %q is unknown; send %s or %s", kind, CarrierManifest, CarrierCollected)
	}
	err := c.onceForEvent(ctx, carrier, eventID, kind, apply)
	if other := c.ofOtherCounties(ctx, carrier, err); other != nil {
		return other
	}
	return custodyErr(err, "apply the carrier's "+kind+" event")
}

// unknownParcels is a refusal of a carrier event that names parcels the
// county does not have: perhaps another county's.
type unknownParcels struct {
	error
	what        string // "manifest", "collection"
	trackingNos []string
}

func (u unknownParcels) Unwrap() error { return u.error }

// ofOtherCounties turns a refusal for unknown parcels into one that says
// which other county has them (a carrier reports each county's parcels on
// that county's subjects); nil when err is no such refusal or no other
// county has them. Row-level security kept the event from touching them;
// this province-wide read only names their county, for the dead letter.
func (c *Custody) ofOtherCounties(ctx context.Context, carrier string, err error) error {
	var u unknownParcels
	if !errors.As(err, &u) {
		return nil
	}
	elsewhere, lookErr := parcelCounties(ctx, c.pool, carrier, u.trackingNos)
	if lookErr != nil || len(elsewhere) == 0 {
		return nil
	}
	return refuseEvent(errs.Forbidden, u.what, []string{"parcels of another county: " + strings.Join(elsewhere, ", ") +
		"; report each county's parcels on that county's subjects"})
}

func (c *Custody) applyManifest(ctx context.Context, tx dbTx, who auth.Principal, eventID uuid.UUID, m Manifest) error {
	if len(m.Parcels) == 0 || len(m.Parcels) > MaxParcels || m.At.IsZero() {
		return errs.E(errs.Invalid, "a manifest needs \"at\" and 1 to %d parcels", MaxParcels)
	}
	hub, err := hubStation(ctx, tx, m.Station)
	if err != nil {
		return err
	}
	for i := range m.Parcels {
		if m.Parcels[i].Direction == "" {
			m.Parcels[i].Direction = Down
		}
	}
	regs, err := c.registerTx(ctx, tx, who, m.Parcels)
	if err != nil {
		return err
	}
	scans := make([]Scan, 0, len(regs))
	var bad []string
	code := errs.Invalid
	for _, r := range regs {
		if r.Status == StatusRejected {
			bad = append(bad, fmt.Sprintf("%s: %s", r.TrackingNo, r.Detail))
			if r.Code == CodeForbidden {
				code = errs.Forbidden // e.g. a parcel of another carrier
			}
			continue
		}
		scans = append(scans, Scan{ID: uuid.NewSHA1(eventID, []byte("hub_inbound:"+r.TrackingNo)), Carrier: who.Scope,
			TrackingNo: r.TrackingNo, Kind: HubInbound, Station: hub, At: m.At})
	}
	if len(bad) > 0 {
		return refuseEvent(code, "manifest", bad)
	}
	return c.scanAll(ctx, tx, who, scans, "manifest")
}

func (c *Custody) applyCollection(ctx context.Context, tx dbTx, who auth.Principal, eventID uuid.UUID, col Collection) error {
	if len(col.TrackingNos) == 0 || len(col.TrackingNos) > MaxScans || col.At.IsZero() {
		return errs.E(errs.Invalid, "a collection needs \"at\" and 1 to %d tracking_nos", MaxScans)
	}
	hub, err := hubStation(ctx, tx, col.Station)
	if err != nil {
		return err
	}
	others, err := othersParcels(ctx, tx, col.TrackingNos, who.Scope)
	if err != nil {
		return err
	}
	if len(others) > 0 {
		return refuseEvent(errs.Forbidden, "collection", []string{"parcels of other carriers: " + strings.Join(others, ", ")})
	}
	scans := make([]Scan, len(col.TrackingNos))
	for i, tn := range col.TrackingNos {
		scans[i] = Scan{ID: uuid.NewSHA1(eventID, []byte("handed_to_carrier:"+tn)), Carrier: who.Scope,
			TrackingNo: tn, Kind: HandedToCarrier, Station: hub, At: col.At}
	}
	return c.scanAll(ctx, tx, who, scans, "collection")
}

// scanAll applies a carrier event's scans; a scan refused because its
// parcel is already past that step is fine (the carrier reports what it
// saw, perhaps late), any other refusal refuses the event.
func (c *Custody) scanAll(ctx context.Context, tx dbTx, who auth.Principal, scans []Scan, what string) error {
	results, err := c.applyScans(ctx, tx, who, scans)
	if err != nil {
		return err
	}
	var bad, unknown []string
	for i, r := range results {
		if r.Status == StatusRejected && !(r.Code == CodeTransition && alreadyPast(scans[i].Kind, r.State)) {
			bad = append(bad, fmt.Sprintf("%s: %s", scans[i].TrackingNo, r.Detail))
			if r.Code == CodeUnknownParcel {
				unknown = append(unknown, scans[i].TrackingNo)
			}
		}
	}
	switch {
	case len(unknown) > 0:
		return unknownParcels{refuseEvent(errs.Invalid, what, bad), what, unknown}
	case len(bad) > 0:
		return refuseEvent(errs.Invalid, what, bad)
	}
	return nil
}

// alreadyPast says whether a parcel in state is already at kind's step or
// beyond it; then a late report of that step is harmless.
func alreadyPast(kind, state string) bool {
	beyond := map[string][]string{
		HubInbound:      {HubInbound, Sorted, Loaded, StationArrival, PickedUp, Returned},
		HandedToCarrier: {HandedToCarrier},
	}
	return slices.Contains(beyond[kind], state)
}

func refuseEvent(code errs.Code, what string, reasons []string) error {
	if len(reasons) > 5 {
		reasons = append(reasons[:5], fmt.Sprintf("and %d more", len(reasons)-5))
	}
	return errs.E(code, "the %s was not applied: %s", what, strings.Join(reasons, "; "))
}

// hubStation is the named hub, or the county hub when none is named.
func hubStation(ctx context.Context, tx dbTx, named string) (string, error) {
	if why := text.Problem(named); why != "" {
		return "", errs.E(errs.Invalid, "station %s", why)
	}
	code, err := activeHub(ctx, tx, named)
	if pg.NoRows(err) {
		if named == "" {
			return "", errs.E(errs.Invalid, "no county hub station is registered; register it first")
		}
		return "", errs.E(errs.Invalid, "station %q is not an active county hub", named)
	}
	return code, err
}

// strictJSON decodes a carrier's payload, refusing unknown fields, so that
// a typo is caught instead of silently ignored.
func strictJSON(payload json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errs.E(errs.Invalid, "the payload is not valid JSON for this kind: %v", err)
	}
	return nil
}

package stations

import (
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/text"
)

// Directions of DESIGN.md's "Parcel life".
const (
	Down = "down" // 工业品下行: from a carrier through the hub to a village station
	Up   = "up"   // 农产品上行: from a station through the hub to a carrier
)

// Categories of an up parcel; farm produce gets the certified cheaper price.
const (
	FarmProduce = "farm_produce"
	General     = "general"
)

// Packagings an up parcel may record; BrandedBox is the county's 新平礼好
// box, which earns its sender a subsidy per box.
const (
	PlainBox   = "plain"
	BrandedBox = "xinping_lihao"
)

// MaxDeclaredValueFen bounds a declared goods value (CNY 1,000,000).
const MaxDeclaredValueFen = 100_000_000

// Person is a recipient or a sender. A sender is either a registered merchant
// (MerchantID) or a person (Name, Phone).
type Person struct {
	MerchantID string `json:"merchant_id,omitempty"`
	Name       string `json:"name,omitempty"`
	Phone      string `json:"phone,omitempty"`
}

// Size is a parcel's outer size in whole centimetres.
type Size struct {
	L int `json:"l"`
	W int `json:"w"`
	H int `json:"h"`
}

// Destination is where an up parcel goes, outside the county.
type Destination struct {
	Province string `json:"province"`
	City     string `json:"city,omitempty"`
}

// Parcel is one parcel in the custody of the county network, in the wire
// shape of DESIGN.md.
type Parcel struct {
	Carrier     string       `json:"carrier"`
	TrackingNo  string       `json:"tracking_no"`
	Direction   string       `json:"direction"`
	Station     string       `json:"station"`
	Recipient   *Person      `json:"recipient,omitempty"`
	Sender      *Person      `json:"sender,omitempty"`
	WeightG     int          `json:"weight_g"`
	SizeCM      *Size        `json:"size_cm,omitempty"`
	Category    string       `json:"category,omitempty"`
	Destination *Destination `json:"destination,omitempty"`
	QuoteID     string       `json:"quote_id,omitempty"`
	// DeclaredValueFen is the goods value the sender declares for an up
	// parcel; it counts towards the station's transaction volume (issue 11).
	DeclaredValueFen int64 `json:"declared_value_fen,omitempty"`
	// Packaging says what an up parcel is packed in, so that branded boxes
	// (新平礼好) can be counted for their subsidy: "", plain or xinping_lihao.
	Packaging string `json:"packaging,omitempty"`

	// Read back only.
	State      string     `json:"state,omitempty"`
	PickupCode string     `json:"pickup_code,omitempty"`
	ArrivedAt  *time.Time `json:"arrived_at,omitempty"`
	CreatedAt  time.Time  `json:"created_at,omitzero"`
	Events     []Event    `json:"events,omitzero"`

	id int64
}

// Event is one entry of a parcel's timeline, which holds exactly its
// accepted scans in the order they were applied; the id is the scan's id.
type Event struct {
	ID         uuid.UUID `json:"id"`
	Kind       string    `json:"kind"`
	Station    string    `json:"station"`
	At         time.Time `json:"at"`
	RecordedAt time.Time `json:"recorded_at"`
	By         string    `json:"by"`
	PickupCode string    `json:"pickup_code,omitempty"`
	Note       string    `json:"note,omitempty"`
	Location   *Location `json:"location,omitempty"`
}

// KindNotified is the event that tells the recipient the pickup code, sent
// on tongpei.notify.<station>.notified with each accepted station_arrival
// (for the SMS gateway). It is not a scan, so it is not in the timeline.
const KindNotified = "notified"

var (
	phonePattern    = regexp.MustCompile(`^\+?[0-9]{6,16}$`)
	trackingPattern = regexp.MustCompile(`^[A-Za-z0-9-]{4,40}$`)
)

// clone copies p with its own recipient, sender, size and destination.
func (p Parcel) clone() Parcel {
	p.Recipient, p.Sender = clonePtr(p.Recipient), clonePtr(p.Sender)
	p.SizeCM, p.Destination = clonePtr(p.SizeCM), clonePtr(p.Destination)
	return p
}

func clonePtr[T any](v *T) *T {
	if v == nil {
		return nil
	}
	c := *v
	return &c
}

// validateParcel checks a registration before it reaches the database; the
// database still guards uniqueness and the references.
func validateParcel(p *Parcel, at string) error {
	var f errs.Fields
	p.TrackingNo = strings.TrimSpace(p.TrackingNo)
	for _, person := range []*Person{p.Recipient, p.Sender} {
		if person != nil {
			person.Phone = normalisePhone(person.Phone)
		}
	}
	if p.Category == "" {
		p.Category = General
	}
	if p.Carrier == "" {
		f.Add(at+"carrier", "name the carrier (its code)")
	}
	if p.Station == "" {
		f.Add(at+"station", "name the station (its code)")
	}
	if p.WeightG <= 0 || p.WeightG > 1_000_000 {
		f.Add(at+"weight_g", "must be whole grams from 1 to 1000000, not %d", p.WeightG)
	}
	if p.Category != FarmProduce && p.Category != General {
		f.Add(at+"category", "must be farm_produce or general, not %q", p.Category)
	}
	if p.DeclaredValueFen < 0 || p.DeclaredValueFen > MaxDeclaredValueFen {
		f.Add(at+"declared_value_fen", "must be fen from 0 to %d, not %d", MaxDeclaredValueFen, p.DeclaredValueFen)
	}
	if p.Packaging != "" && p.Packaging != PlainBox && p.Packaging != BrandedBox {
		f.Add(at+"packaging", "must be plain or xinping_lihao (the 新平礼好 box), not %q", p.Packaging)
	}
	if s := p.SizeCM; s != nil && (s.L < 0 || s.W < 0 || s.H < 0 || s.L > 500 || s.W > 500 || s.H > 500) {
		f.Add(at+"size_cm", "each side must be 0 to 500 cm")
	}
	switch p.Direction {
	case Down:
		if !trackingPattern.MatchString(p.TrackingNo) {
			f.Add(at+"tracking_no", "must be 4 to 40 letters, digits or dashes, not %q", p.TrackingNo)
		}
		if p.Recipient == nil || strings.TrimSpace(p.Recipient.Name) == "" {
			f.Add(at+"recipient.name", "a down parcel needs its recipient's name")
		}
		if p.Recipient == nil || !phonePattern.MatchString(p.Recipient.Phone) {
			f.Add(at+"recipient.phone", "a down parcel needs its recipient's phone, digits only, e.g. 13812345678")
		}
	case Up:
		if p.TrackingNo != "" && !trackingPattern.MatchString(p.TrackingNo) {
			f.Add(at+"tracking_no", "must be 4 to 40 letters, digits or dashes, or left out to get an order number")
		}
		switch s := p.Sender; {
		case s == nil:
			f.Add(at+"sender", "an up parcel needs a sender: a merchant_id, or a name and phone")
		case s.MerchantID == "" && (strings.TrimSpace(s.Name) == "" || !phonePattern.MatchString(s.Phone)):
			f.Add(at+"sender", "give a merchant_id, or a name and a phone of digits")
		case s.Phone != "" && !phonePattern.MatchString(s.Phone):
			f.Add(at+"sender.phone", "must be digits, e.g. 13812345678")
		}
		if p.Destination == nil || strings.TrimSpace(p.Destination.Province) == "" {
			f.Add(at+"destination.province", "an up parcel needs the destination province")
		}
		if p.Recipient != nil && p.Recipient.Phone != "" && !phonePattern.MatchString(p.Recipient.Phone) {
			f.Add(at+"recipient.phone", "must be digits, e.g. 13812345678")
		}
	default:
		f.Add(at+"direction", "must be down or up, not %q", p.Direction)
	}
	checkParcelText(&f, p, at)
	return f.Err()
}

// checkParcelText refuses text that cannot be stored in any of a parcel's
// fields: a manifest from a carrier's NATS event reaches here without the
// API's edge check.
func checkParcelText(f *errs.Fields, p *Parcel, at string) {
	fields := []struct{ name, value string }{
		{"carrier", p.Carrier}, {"tracking_no", p.TrackingNo}, {"station", p.Station}, {"quote_id", p.QuoteID},
	}
	for name, person := range map[string]*Person{"recipient": p.Recipient, "sender": p.Sender} {
		if person != nil {
			fields = append(fields, struct{ name, value string }{name + ".name", person.Name},
				struct{ name, value string }{name + ".merchant_id", person.MerchantID})
		}
	}
	if d := p.Destination; d != nil {
		fields = append(fields, struct{ name, value string }{"destination.province", d.Province},
			struct{ name, value string }{"destination.city", d.City})
	}
	for _, fl := range fields {
		if why := text.Problem(fl.value); why != "" {
			f.Add(at+fl.name, "%s", why)
		}
	}
}

// authorizeRegistration decides who may register which parcel: down parcels
// come from their carrier or the county centre, up orders from the origin
// station's keeper, the sending merchant or the county centre. Missing
// scope fields are filled from the token.
func authorizeRegistration(who auth.Principal, p *Parcel) error {
	switch who.Role {
	case auth.Admin:
		return nil
	case auth.Carrier:
		if p.Direction != Down {
			return errs.E(errs.Forbidden, "a carrier registers down parcels only; up orders are made at a station")
		}
		if p.Carrier == "" {
			p.Carrier = who.Scope
		}
		if p.Carrier != who.Scope {
			return errs.E(errs.Forbidden, "carrier %s may not register parcels of carrier %s", who.Scope, p.Carrier)
		}
		return nil
	case auth.Keeper:
		if p.Direction != Up {
			return errs.E(errs.Forbidden, "a keeper makes up orders only; down parcels come from their carrier")
		}
		if p.Station == "" {
			p.Station = who.Scope
		}
		if p.Station != who.Scope {
			return errs.E(errs.Forbidden, "the keeper of %s may not make orders at station %s", who.Scope, p.Station)
		}
		return nil
	case auth.Merchant:
		if p.Direction != Up {
			return errs.E(errs.Forbidden, "a merchant makes up orders only")
		}
		if p.Sender == nil {
			p.Sender = &Person{}
		}
		if p.Sender.MerchantID == "" {
			p.Sender.MerchantID = who.Scope
		}
		if p.Sender.MerchantID != who.Scope {
			return errs.E(errs.Forbidden, "merchant %s may not ship as merchant %s", who.Scope, p.Sender.MerchantID)
		}
		return nil
	}
	return errs.E(errs.Forbidden, "a %s token may not register parcels", who.Role)
}

// seesPhones reports whether who may read a parcel's phone numbers in full:
// the county centre and the keeper of the parcel's own station, who hands it
// over at the counter. Everyone else sees them masked.
func seesPhones(who auth.Principal, p *Parcel) bool {
	return who.IsAdmin() || who.Is(auth.Keeper, p.Station)
}

// maskFor masks p's phones unless who may see them.
func maskFor(who auth.Principal, p *Parcel) {
	if seesPhones(who, p) {
		return
	}
	for _, person := range []*Person{p.Recipient, p.Sender} {
		if person != nil && person.Phone != "" {
			person.Phone = maskParcelPhone(person.Phone)
		}
	}
}

// normalisePhone drops the spaces and dashes people type, so that phones
// compare, mask and match their last four digits alike.
func normalisePhone(phone string) string {
	return strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(phone))
}

// maskParcelPhone masks a mobile number as 138****5678 (the registry's
// MaskPhone) and any other number down to its last four digits, which is
// what a keeper matches at the counter.
func maskParcelPhone(phone string) string {
	if len(phone) == 11 || len(phone) < 4 {
		return MaskPhone(phone)
	}
	return "****" + phone[len(phone)-4:]
}

// byOf names who made an event, as the timeline shows it. A person signed
// in by a link is named after the role and scope, so the timeline says which
// keeper of a station made the scan.
func byOf(who auth.Principal) string {
	if who.Person != "" {
		if who.Scope == "" {
			return string(who.Role) + ":" + who.Person
		}
		return string(who.Role) + ":" + who.Scope + ":" + who.Person
	}
	if who.Scope == "" {
		if who.Name != "" {
			return string(who.Role) + ":" + who.Name
		}
		return string(who.Role)
	}
	return string(who.Role) + ":" + who.Scope
}

package pricing

import (
	"fmt"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// CertState is where a firm's certification stands.
type CertState string

// applied → certified → suspended | revoked | expired. Expired is never
// stored: a certified record lapses by itself the day after valid_until.
const (
	Applied   CertState = "applied"
	Certified CertState = "certified"
	Suspended CertState = "suspended"
	Revoked   CertState = "revoked"
	Expired   CertState = "expired"
)

// China keeps one offset all year, so business days need no tz database.
var shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

// Certificate is a firm's certification record as anyone may read it.
type Certificate struct {
	CertificateNo string     `json:"certificate_no"`
	MerchantID    string     `json:"merchant_id"`
	MerchantName  string     `json:"merchant_name"`
	State         CertState  `json:"state"`
	ValidFrom     string     `json:"valid_from,omitempty"`
	ValidUntil    string     `json:"valid_until,omitempty"`
	AppliedAt     time.Time  `json:"applied_at"`
	CertifiedAt   *time.Time `json:"certified_at,omitempty"`
	CertifiedBy   string     `json:"certified_by,omitempty"`
	EndedAt       *time.Time `json:"ended_at,omitempty"`
	EndedBy       string     `json:"ended_by,omitempty"`
	Note          string     `json:"note,omitempty"`

	id     int64
	stored CertState
	reason string    // the quote line's reason while it is valid
	from   time.Time // start of valid_from in Shanghai
	until  time.Time // end of valid_until in Shanghai (exclusive)
}

// ParseDay reads a business day, "2026-03-01", or an RFC 3339 time whose
// Shanghai date is taken.
func ParseDay(s string) (time.Time, error) {
	if d, err := time.ParseInLocation(time.DateOnly, s, shanghai); err == nil {
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	y, m, d := t.In(shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, shanghai), nil
}

// Day formats a business day.
func Day(t time.Time) string { return t.In(shanghai).Format(time.DateOnly) }

// CertifyRequest is what an admin grants.
type CertifyRequest struct {
	ValidFrom  string `json:"valid_from"`
	ValidUntil string `json:"valid_until"`
	Note       string `json:"note"`
}

// check reads and checks the validity period.
func (r CertifyRequest) check() (from, until time.Time, err error) {
	var f errs.Fields
	from, e1 := ParseDay(r.ValidFrom)
	if e1 != nil {
		f.Add("valid_from", "%v", e1)
	}
	until, e2 := ParseDay(r.ValidUntil)
	if e2 != nil {
		f.Add("valid_until", "%v", e2)
	}
	if e1 == nil && e2 == nil {
		switch {
		case until.Before(from):
			f.Add("valid_until", "%s is before valid_from %s", r.ValidUntil, r.ValidFrom)
		case until.After(from.AddDate(5, 0, 0)):
			f.Add("valid_until", "a certificate is valid for at most 5 years; renew it instead")
		}
	}
	return from, until, f.Err()
}

// setDays fills the unexported validity instants from the wire dates.
func (c *Certificate) setDays() {
	if c.ValidFrom != "" {
		c.from, _ = ParseDay(c.ValidFrom)
	}
	if c.ValidUntil != "" {
		u, _ := ParseDay(c.ValidUntil)
		c.until = u.AddDate(0, 0, 1)
	}
	c.reason = "certified: certificate " + c.CertificateNo + " valid until " + c.ValidUntil
}

// StateAt is the record's state at t: a certified record whose last day has
// passed is expired.
func (c *Certificate) StateAt(t time.Time) CertState {
	if c.stored == Certified && !c.until.IsZero() && !t.Before(c.until) {
		return Expired
	}
	return c.stored
}

// ValidAt reports a certificate that gives certified prices at t.
func (c *Certificate) ValidAt(t time.Time) bool {
	return c.StateAt(t) == Certified && !t.Before(c.from)
}

// standing is a firm's pricing position at an instant: its valid
// certificate, or why it pays the standard price.
type standing struct {
	cert   *Certificate
	reason string
}

// standingOf reads the firm's records (newest first) at t.
func standingOf(id string, known, active bool, certs []*Certificate, t time.Time) standing {
	switch {
	case id == "":
		return standing{reason: "no merchant given: standard price; certified firms quote with their merchant_id"}
	case !known:
		return standing{reason: fmt.Sprintf("unknown merchant %s: standard price; register the firm with the county centre", id)}
	case !active:
		return standing{reason: fmt.Sprintf("merchant %s is deactivated in the registry: standard price", id)}
	}
	for _, c := range certs {
		if c.ValidAt(t) {
			return standing{cert: c, reason: c.reason}
		}
	}
	if len(certs) == 0 {
		return standing{reason: fmt.Sprintf("merchant %s is not certified: standard price; apply for certification at the county centre", id)}
	}
	c := certs[0]
	switch c.StateAt(t) {
	case Expired:
		return standing{reason: fmt.Sprintf("certificate %s lapsed after %s: standard price; renew the certification", c.CertificateNo, c.ValidUntil)}
	case Certified:
		return standing{reason: fmt.Sprintf("certificate %s is valid from %s: standard price until then", c.CertificateNo, c.ValidFrom)}
	case Suspended:
		return standing{reason: fmt.Sprintf("certificate %s is suspended: standard price until the county centre reinstates it", c.CertificateNo)}
	case Revoked:
		return standing{reason: fmt.Sprintf("certificate %s was revoked: standard price; apply again at the county centre", c.CertificateNo)}
	default:
		return standing{reason: fmt.Sprintf("merchant %s has applied and is not certified yet: standard price", id)}
	}
}

// certificateNo is the county's certificate number for sequence n in year y:
// TP-530427-2026-0007 (programme, county code, year, serial).
func certificateNo(county string, y int, n int64) string {
	return fmt.Sprintf("TP-%s-%d-%04d", county, y, n)
}

// CountyCode is the county whose centre issues certificates (新平县).
const CountyCode = "530427"

package stations

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/text"
)

// Scan is one scan from a keeper's phone, a handheld or a carrier, in the
// wire shape of DESIGN.md. ID is made by the client, so that the same scan
// sent again (after a timeout, or when a phone comes back online) is
// recognised and applied once.
type Scan struct {
	ID         uuid.UUID `json:"id"`
	Carrier    string    `json:"carrier,omitempty"`
	TrackingNo string    `json:"tracking_no"`
	Kind       string    `json:"kind"`
	Station    string    `json:"station,omitempty"`
	At         time.Time `json:"at"`
	PickupCode string    `json:"pickup_code,omitempty"`
	Note       string    `json:"note,omitempty"`
	Location   *Location `json:"location,omitempty"`
}

// MaxScans bounds one batch: a day's work of a busy station, small enough
// for one transaction.
const MaxScans = 1000

// Statuses of a scan's result.
const (
	StatusAccepted  = "accepted"
	StatusDuplicate = "duplicate"
	StatusRejected  = "rejected"
)

// Stable codes of a rejected scan; clients branch on them.
const (
	CodeInvalid          = "invalid"                // the scan itself is malformed
	CodeUnknownParcel    = "unknown_parcel"         // no such tracking number (for that carrier)
	CodeAmbiguousParcel  = "ambiguous_parcel"       // the tracking number is used by two carriers
	CodeUnknownStation   = "unknown_station"        // no such station
	CodeTransition       = "transition_not_allowed" // the parcel's state does not allow it
	CodeWrongStation     = "wrong_station"          // the scan is made at the wrong place
	CodeWrongPickupCode  = "wrong_pickup_code"      // picked_up with a code that does not match
	CodeIDReused         = "id_reused"              // the id was used before for another scan
	CodeImplausibleTime  = "implausible_time"       // the device clock is far off
	CodeForbiddenStation = "forbidden_station"      // a keeper scanning at another station
	CodeForbiddenCarrier = "forbidden_carrier"      // a carrier scanning another carrier's parcel
	CodeShelfFull        = "shelf_full"             // no free pickup code at the station
)

// Result is what became of one scan.
type Result struct {
	ID     uuid.UUID `json:"id"`
	Status string    `json:"status"`
	Code   string    `json:"code,omitempty"`
	Detail string    `json:"detail,omitempty"`
	// State is the parcel's state after an accepted scan, or the state
	// that refused a scan (transition_not_allowed); PickupCode is the code
	// issued at station_arrival or checked at picked_up.
	State      string `json:"state,omitempty"`
	PickupCode string `json:"pickup_code,omitempty"`
}

func rejected(id uuid.UUID, code, format string, args ...any) Result {
	return Result{ID: id, Status: StatusRejected, Code: code, Detail: fmt.Sprintf(format, args...)}
}

// Plausible device times: at most this far ahead of the server's clock, and
// not long before the parcel was registered.
const (
	maxClockAhead  = 10 * time.Minute
	maxBeforeBirth = 24 * time.Hour
)

// checkShape refuses a scan that no parcel state could make acceptable.
func checkShape(s *Scan) (code, detail string) {
	s.TrackingNo = strings.TrimSpace(s.TrackingNo)
	if field, why := badScanText(s); why != "" {
		return CodeInvalid, field + ": " + why
	}
	switch {
	case s.ID == uuid.Nil:
		return CodeInvalid, "id: give each scan a client-generated UUID, e.g. from crypto.randomUUID()"
	case s.TrackingNo == "":
		return CodeInvalid, "tracking_no: scan the waybill's tracking number"
	case !slices.Contains(ScanKinds, s.Kind):
		return CodeInvalid, fmt.Sprintf("kind: %q is not one of %s", s.Kind, strings.Join(ScanKinds, ", "))
	case s.At.IsZero():
		return CodeInvalid, "at: give the device time of the scan, RFC 3339"
	case s.Station == "":
		return CodeInvalid, "station: name the station where the scan was made"
	case len(s.Note) > 500:
		return CodeInvalid, "note: at most 500 characters"
	case s.Location != nil && (math.Abs(s.Location.Lon) > 180 || math.Abs(s.Location.Lat) > 90):
		return CodeInvalid, "location: lon must be -180..180 and lat -90..90"
	}
	return "", ""
}

// maxScanText bounds a scan's codes: tracking numbers run to about 20
// characters, and a longer string only fills the index.
const maxScanText = 64

// badScanText finds a text field of a scan that cannot be stored. Scans
// come from HTTP and from carriers' NATS events alike, so the domain checks
// again what the API's edge checked.
func badScanText(s *Scan) (field, why string) {
	for _, f := range []struct{ name, value string }{
		{"carrier", s.Carrier}, {"tracking_no", s.TrackingNo}, {"kind", s.Kind}, {"station", s.Station},
		{"pickup_code", s.PickupCode}, {"note", s.Note},
	} {
		if why := text.Problem(f.value); why != "" {
			return f.name, why
		}
		if f.name != "note" && len(f.value) > maxScanText {
			return f.name, fmt.Sprintf("is over %d bytes; scan the code itself", maxScanText)
		}
	}
	return "", ""
}

// digest fingerprints a scan's content, so that a resend (same id, same
// content) is told from a different scan under a reused id. The device time
// is taken at microsecond precision, which is what PostgreSQL keeps.
func digest(s *Scan) []byte {
	h := sha256.New()
	for _, f := range []string{s.Carrier, s.TrackingNo, s.Kind, s.Station, s.PickupCode, s.Note} {
		binary.Write(h, binary.LittleEndian, uint32(len(f)))
		h.Write([]byte(f))
	}
	binary.Write(h, binary.LittleEndian, s.At.UTC().UnixMicro())
	if s.Location != nil {
		binary.Write(h, binary.LittleEndian, s.Location.Lon)
		binary.Write(h, binary.LittleEndian, s.Location.Lat)
	}
	return h.Sum(nil)
}

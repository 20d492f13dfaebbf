package stations

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/text"
)

// Tier is a station's place in the three-tier network of the county plan:
// one county hub, township stations under it, village stations under those.
type Tier string

// The three tiers.
const (
	CountyHub Tier = "county_hub"
	Township  Tier = "township"
	Village   Tier = "village"
)

// parentTier is the tier a station's parent must have ("" for none).
func (t Tier) parentTier() (Tier, bool) {
	switch t {
	case CountyHub:
		return "", true
	case Township:
		return CountyHub, true
	case Village:
		return Township, true
	}
	return "", false
}

// Services a station may offer. The set is closed so that a map or a report
// can count stations by service without guessing at spellings.
var Services = []string{
	"parcel_pickup",  // recipients collect parcels
	"parcel_send",    // people hand in parcels to send
	"farm_produce",   // accepts farm-produce shipments (农产品上行)
	"e_commerce",     // e-commerce service point
	"live_streaming", // live-stream selling
	"warehousing",    // storage
	"sales",          // product sales
}

// Location is a WGS84 point.
type Location struct {
	Lon float64 `json:"lon"`
	Lat float64 `json:"lat"`
}

// Keeper is the person accountable for the parcels at a station.
type Keeper struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// Station is a point of the county's logistics network.
type Station struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Tier     Tier     `json:"tier"`
	Parent   string   `json:"parent,omitempty"` // empty only for the hub
	Township string   `json:"township"`
	Location Location `json:"location"`
	Services []string `json:"services"`
	Keeper   Keeper   `json:"keeper"`
	Active   bool     `json:"active"`
}

// LocationInput is a location as a client sends it; both coordinates are
// required, so that a forgotten one is an error rather than 0.
type LocationInput struct {
	Lon *float64 `json:"lon"`
	Lat *float64 `json:"lat"`
}

// StationChange holds the fields a client sends to create or change a
// station; a nil field is one it did not send. Keeper and services are
// replaced whole. To create, code, name, tier and location are required,
// and parent for township and village stations; a change may repeat the
// code but not alter it. (One flat type for both, because embedding would
// leak Go names into the field paths of JSON errors.)
type StationChange struct {
	Code     *string        `json:"code"`
	Name     *string        `json:"name"`
	Tier     *Tier          `json:"tier"`
	Parent   *string        `json:"parent"`
	Township *string        `json:"township"`
	Location *LocationInput `json:"location"`
	Services *[]string      `json:"services"`
	Keeper   *Keeper        `json:"keeper"`
	Active   *bool          `json:"active"`
}

// newStation is the new station ch describes, checked on its own.
func (ch StationChange) newStation(bad *errs.Fields) Station {
	s := Station{Services: []string{}, Active: true}
	if ch.Code != nil {
		s.Code = strings.TrimSpace(*ch.Code)
	}
	if ch.Location == nil {
		bad.Add("location", "is required: {\"lon\": …, \"lat\": …} in WGS84 degrees")
	}
	ch.apply(&s, bad)
	s.validate(bad)
	return s
}

// apply copies the sent fields onto s, noting fields that were sent in a
// shape apply cannot use.
func (ch StationChange) apply(s *Station, bad *errs.Fields) {
	checkSameCode(bad, ch.Code, s.Code)
	if ch.Name != nil {
		s.Name = strings.TrimSpace(*ch.Name)
	}
	if ch.Tier != nil {
		s.Tier = *ch.Tier
	}
	if ch.Parent != nil {
		s.Parent = strings.TrimSpace(*ch.Parent)
	}
	if ch.Township != nil {
		s.Township = strings.TrimSpace(*ch.Township)
	}
	if l := ch.Location; l != nil {
		if l.Lon == nil {
			bad.Add("location.lon", "is required: the longitude in degrees east, e.g. 101.989")
		} else {
			s.Location.Lon = *l.Lon
		}
		if l.Lat == nil {
			bad.Add("location.lat", "is required: the latitude in degrees north, e.g. 24.069")
		} else {
			s.Location.Lat = *l.Lat
		}
	}
	if ch.Services != nil {
		s.Services = slices.Clone(*ch.Services)
	}
	if ch.Keeper != nil {
		s.Keeper = Keeper{Name: strings.TrimSpace(ch.Keeper.Name), Phone: strings.TrimSpace(ch.Keeper.Phone)}
	}
	if ch.Active != nil {
		s.Active = *ch.Active
	}
}

var codePattern = regexp.MustCompile(`^[A-Z0-9]+(-[A-Z0-9]+)*$`)

// validate checks a station on its own; the parent's existence and tier
// are the store's to check, since only it sees the other rows.
func (s *Station) validate(bad *errs.Fields) {
	checkCode(bad, "code", s.Code, "XP-V-0421")
	checkName(bad, "name", s.Name)
	if s.Tier == "" {
		bad.Add("tier", "is required: county_hub, township or village")
	} else if _, ok := s.Tier.parentTier(); !ok {
		bad.Add("tier", "must be county_hub, township or village, not %q", s.Tier)
	}
	switch {
	case s.Tier == CountyHub && s.Parent != "":
		bad.Add("parent", "must be empty: the county hub has no parent")
	case s.Tier != CountyHub && s.Parent == "" && s.Tier != "":
		bad.Add("parent", "is required: a %s station hangs under a %s station", s.Tier, mustParent(s.Tier))
	case s.Parent != "" && s.Parent == s.Code:
		bad.Add("parent", "cannot be the station itself")
	}
	if s.Tier == Township && s.Township == "" {
		bad.Add("township", "is required for a township station: the township it serves, e.g. 漠沙镇")
	}
	if utf8.RuneCountInString(s.Township) > 64 {
		bad.Add("township", "is over 64 characters")
	}
	checkLocation(bad, s.Location)
	checkServices(bad, s.Services)
	checkPerson(bad, "keeper", s.Keeper.Name, s.Keeper.Phone)
}

// checkSameCode refuses a change that would rename a record: the code is
// what tokens, parcels and routes refer to.
func checkSameCode(bad *errs.Fields, sent *string, code string) {
	if sent != nil && code != "" && strings.TrimSpace(*sent) != code {
		bad.Add("code", "cannot change from %s: the code is the record's identity; register a new one instead", code)
	}
}

func mustParent(t Tier) Tier { p, _ := t.parentTier(); return p }

func checkCode(bad *errs.Fields, field, code, example string) {
	switch {
	case code == "":
		bad.Add(field, "is required, e.g. %s", example)
	case len(code) > 32 || !codePattern.MatchString(code):
		bad.Add(field, "must be capital letters and digits in groups joined by '-', at most 32 characters, e.g. %s", example)
	}
}

func checkName(bad *errs.Fields, field, name string) {
	switch {
	case name == "":
		bad.Add(field, "is required")
	case !text.Valid(name):
		bad.Add(field, "%s", text.Problem(name))
	case utf8.RuneCountInString(name) > 100:
		bad.Add(field, "is over 100 characters")
	}
}

func checkLocation(bad *errs.Fields, l Location) {
	if math.IsNaN(l.Lon) || l.Lon < -180 || l.Lon > 180 {
		bad.Add("location.lon", "must be a WGS84 longitude from -180 to 180 degrees, not %g", l.Lon)
	}
	if math.IsNaN(l.Lat) || l.Lat < -90 || l.Lat > 90 {
		bad.Add("location.lat", "must be a WGS84 latitude from -90 to 90 degrees, not %g", l.Lat)
	}
}

func checkServices(bad *errs.Fields, services []string) {
	seen := map[string]bool{}
	for _, sv := range services {
		switch {
		case !slices.Contains(Services, sv):
			bad.Add("services", "%q is not a known service; use any of %s", sv, strings.Join(Services, ", "))
		case seen[sv]:
			bad.Add("services", "%q is listed twice", sv)
		}
		seen[sv] = true
	}
}

var mobilePattern = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// checkPerson checks a keeper or contact: a name of sane length and, when
// given, a mainland mobile number.
func checkPerson(bad *errs.Fields, field, name, phone string) {
	if !text.Valid(name) {
		bad.Add(field+".name", "%s", text.Problem(name))
	} else if utf8.RuneCountInString(name) > 64 {
		bad.Add(field+".name", "is over 64 characters")
	}
	if phone != "" && !mobilePattern.MatchString(phone) {
		bad.Add(field+".phone", "must be an 11-digit mainland mobile number starting 13-19, e.g. 13812345678, without spaces or +86")
	}
}

// MaskPhone hides the middle of a mobile number the way Chinese apps do
// (138****5678), so that a list can show whose phone it is without giving
// the number away.
func MaskPhone(phone string) string {
	if len(phone) != 11 {
		if phone == "" {
			return ""
		}
		return "****"
	}
	return phone[:3] + "****" + phone[7:]
}

// ForViewer is the station as viewer may see it: a keeper's phone is shown
// only to the county centre and to that station's own keeper.
func (s Station) ForViewer(viewer auth.Principal) Station {
	if viewer.IsAdmin() || viewer.Is(auth.Keeper, s.Code) {
		return s
	}
	s.Keeper.Phone = MaskPhone(s.Keeper.Phone)
	return s
}

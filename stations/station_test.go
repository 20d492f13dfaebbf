package stations

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/tongpei/tongpei/internal/errs"
)

func TestMaskPhone(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"13812345678": "138****5678", "": "", "12345": "****"} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzStationChange feeds arbitrary JSON to the station rules: they must
// never panic, and a station they pass must keep every promise the
// registry makes about stations.
func FuzzStationChange(f *testing.F) {
	f.Add(`{"code":"XP-V-0401","name":"曼竜社区服务站","tier":"village","parent":"XP-T-04","location":{"lon":101.8,"lat":23.9}}`)
	f.Add(`{"code":"XP-HUB","name":"中心","tier":"county_hub","location":{"lon":101.989,"lat":24.069},"services":["sales","sales"]}`)
	f.Add(`{"code":"xp","tier":"township","location":{"lon":1e309},"keeper":{"phone":"1381234567x"}}`)
	f.Fuzz(func(t *testing.T, body string) {
		var ch StationChange
		if json.Unmarshal([]byte(body), &ch) != nil {
			return
		}
		var bad errs.Fields
		s := ch.newStation(&bad)
		if len(bad) > 0 {
			return
		}
		if _, ok := s.Tier.parentTier(); !ok || !codePattern.MatchString(s.Code) || s.Name == "" {
			t.Fatalf("accepted %+v", s)
		}
		if s.Location.Lon < -180 || s.Location.Lon > 180 || s.Location.Lat < -90 || s.Location.Lat > 90 {
			t.Fatalf("accepted location %+v", s.Location)
		}
		if (s.Tier == CountyHub) != (s.Parent == "") {
			t.Fatalf("accepted tier %s with parent %q", s.Tier, s.Parent)
		}
		for _, sv := range s.Services {
			if !slices.Contains(Services, sv) {
				t.Fatalf("accepted service %q", sv)
			}
		}
		if s.Keeper.Phone != "" && !mobilePattern.MatchString(s.Keeper.Phone) {
			t.Fatalf("accepted phone %q", s.Keeper.Phone)
		}
	})
}

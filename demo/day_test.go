package demo_test

import (
	"testing"
	"time"

	"github.com/tongpei/tongpei/demo"
)

// TestGenerateDay checks the generated day is what the issue asks of it:
// at least 2,000 down parcels from six or more carriers over 100+ village
// stations, 300+ up parcels of the produce in season, and the same day for
// the same seed.
func TestGenerateDay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		month time.Month
		want  []string // produce in season
		not   []string
	}{
		{time.December, []string{"oranges", "brown_sugar"}, []string{"mangoes", "lychees"}},
		{time.June, []string{"mangoes", "lychees", "brown_sugar"}, []string{"oranges"}},
	} {
		date := time.Date(2027, tc.month, 10, 0, 0, 0, 0, shanghai)
		day := demo.GenerateDay(demo.DayOptions{Date: date, Seed: 1})
		carriers, villages, products := map[string]bool{}, map[string]bool{}, map[string]int{}
		down, up := 0, 0
		for _, p := range day {
			if p.Direction == "down" {
				down++
				carriers[p.Carrier] = true
				villages[p.Station] = true
			} else {
				up++
				products[p.Product]++
				if p.Category != "farm_produce" {
					t.Errorf("up parcel %s is %s", p.TrackingNo, p.Category)
				}
			}
		}
		if down < 2000 || up < 300 || len(carriers) < 6 || len(villages) < 100 {
			t.Errorf("%s: %d down from %d carriers to %d villages, %d up", tc.month, down, len(carriers), len(villages), up)
		}
		for _, p := range tc.want {
			if products[p] == 0 {
				t.Errorf("%s: no %s though in season (%v)", tc.month, p, products)
			}
		}
		for _, p := range tc.not {
			if products[p] != 0 {
				t.Errorf("%s: %d parcels of %s out of season", tc.month, products[p], p)
			}
		}
		again := demo.GenerateDay(demo.DayOptions{Date: date, Seed: 1})
		if len(again) != len(day) || again[123].TrackingNo != day[123].TrackingNo || again[123].Station != day[123].Station {
			t.Errorf("%s: the same seed gave another day", tc.month)
		}
	}
}

// shanghai is the county's time (China has no daylight saving).
var shanghai = time.FixedZone("CST", 8*3600)

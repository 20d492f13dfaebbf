package pricing_test

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/tongpei/tongpei/pricing"
)

func TestChargeableWeight(t *testing.T) {
	t.Parallel()
	half := pricing.WeightRule{Divisor: 8000, StepG: 500, FirstG: 1000}
	for _, tc := range []struct {
		name   string
		rule   pricing.WeightRule
		actual int64
		size   *pricing.Size
		want   int64
	}{
		{"10 g pays one step", pricing.DefaultWeightRule, 10, nil, 1000},
		{"exactly 1 kg", pricing.DefaultWeightRule, 1000, nil, 1000},
		{"1 g over rounds up", pricing.DefaultWeightRule, 1001, nil, 2000},
		{"29.999 kg", pricing.DefaultWeightRule, 29_999, nil, 30_000},
		{"light and bulky: 40×30×30 = 4.5 kg volumetric", pricing.DefaultWeightRule, 1200, &pricing.Size{L: 40, W: 30, H: 30}, 5000},
		{"heavy and small: actual wins", pricing.DefaultWeightRule, 7300, &pricing.Size{L: 20, W: 20, H: 20}, 8000},
		{"volumetric exactly 1 kg (20×20×20)", pricing.DefaultWeightRule, 100, &pricing.Size{L: 20, W: 20, H: 20}, 1000},
		{"volumetric 1 g over (1 cm³ more)", pricing.DefaultWeightRule, 100, &pricing.Size{L: 8001, W: 1, H: 1}, 2000},
		{"half-kg step", half, 1200, nil, 1500},
		{"half-kg step, under first", half, 300, nil, 500},
		{"divisor 6000", pricing.WeightRule{Divisor: 6000, StepG: 1000, FirstG: 1000}, 100, &pricing.Size{L: 30, W: 20, H: 10}, 1000},
	} {
		if got := tc.rule.ChargeableG(tc.actual, tc.size); got != tc.want {
			t.Errorf("%s: chargeable %d g, want %d", tc.name, got, tc.want)
		}
	}
}

func TestPriceRounding(t *testing.T) {
	t.Parallel()
	half := pricing.WeightRule{Divisor: 8000, StepG: 500, FirstG: 1000}
	for _, tc := range []struct {
		rule pricing.WeightRule
		rate pricing.Rate
		g    int64
		want int64
	}{
		{pricing.DefaultWeightRule, pricing.Rate{FirstFen: 800, AdditionalFen: 200}, 1000, 800},
		{pricing.DefaultWeightRule, pricing.Rate{FirstFen: 800, AdditionalFen: 200}, 3000, 1200},
		{pricing.DefaultWeightRule, pricing.Rate{FirstFen: 800, AdditionalFen: 200}, 500, 800},
		{half, pricing.Rate{FirstFen: 800, AdditionalFen: 201}, 1500, 901}, // 100.5 rounds half up
		{half, pricing.Rate{FirstFen: 800, AdditionalFen: 201}, 2000, 1001},
		{half, pricing.Rate{FirstFen: 800, AdditionalFen: 203}, 2500, 1105}, // 304.5 → 305
		{half, pricing.Rate{FirstFen: 800, AdditionalFen: 0}, 30_000, 800},
	} {
		if got := tc.rate.PriceAt(tc.rule, tc.g); got != tc.want {
			t.Errorf("%+v at %d g: %d fen, want %d", tc.rate, tc.g, got, tc.want)
		}
	}
}

// TestPriceNeverLosesAFen checks the integer price against exact rational
// arithmetic: the additional part is the exact product rounded half up,
// once, so a price is never a fen off and sums of parts add up.
func TestPriceNeverLosesAFen(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(6, 6))
	for i := 0; i < 20_000; i++ {
		step := []int64{100, 250, 500, 1000}[rng.IntN(4)]
		rule := pricing.WeightRule{Divisor: 8000, StepG: step, FirstG: 1000}
		rate := pricing.Rate{FirstFen: rng.Int64N(5000) + 1, AdditionalFen: rng.Int64N(3000)}
		g := rule.ChargeableG(rng.Int64N(30_000)+10, nil)
		got := rate.PriceAt(rule, g)
		extra := max(g-rule.FirstG, 0)
		exact := new(big.Rat).SetFrac64(extra*rate.AdditionalFen, 1000)
		exact.Add(exact, big.NewRat(1, 2)) // half up: floor(x + 1/2)
		floor := new(big.Int).Quo(exact.Num(), exact.Denom())
		if want := rate.FirstFen + floor.Int64(); got != want {
			t.Fatalf("%+v at %d g (step %d): %d fen, exact rounding gives %d", rate, g, step, got, want)
		}
	}
}

func TestLookupProvince(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"530000": "530000", "云南省": "530000", "云南": "530000", "Yunnan": "530000", "530427": "530000",
		"新疆维吾尔自治区": "650000", "内蒙古": "150000", " 北京市 ": "110000", "440300": "440000",
	} {
		if p, ok := pricing.LookupProvince(in); !ok || p.Code != want {
			t.Errorf("LookupProvince(%q) = %v %v, want %s", in, p, ok, want)
		}
	}
	for _, in := range []string{"", "台湾省", "810000", "990000", "Atlantis", "53"} {
		if p, ok := pricing.LookupProvince(in); ok {
			t.Errorf("LookupProvince(%q) = %v, want not found", in, p)
		}
	}
	if len(pricing.Provinces) != 31 {
		t.Fatalf("%d provinces, want the 31 mainland divisions", len(pricing.Provinces))
	}
	z := pricing.DefaultZoning()
	if err := z.Validate(); err != nil {
		t.Fatalf("default zoning: %v", err)
	}
	for code, zone := range map[string]string{"530000": "local", "510000": "near", "540000": "remote", "650000": "remote", "310000": "far"} {
		if got, _ := z.ZoneOf(code); got != zone {
			t.Errorf("zone of %s = %s, want %s", code, got, zone)
		}
	}
}

func TestZoningValidate(t *testing.T) {
	t.Parallel()
	z := pricing.DefaultZoning()
	z.Zones[4].Provinces = z.Zones[4].Provinces[1:] // drop Xinjiang
	wantInvalid(t, z.Validate(), "zones")
	z = pricing.DefaultZoning()
	z.Zones[1].Provinces = append(z.Zones[1].Provinces, "云南省")
	wantInvalid(t, z.Validate(), "zones[1].provinces[4]")
	z = pricing.DefaultZoning()
	z.Zones[0].Zone = "Local Zone"
	wantInvalid(t, z.Validate(), "zones[0].zone")
	z = pricing.DefaultZoning()
	z.Zones[0].Provinces = []string{"云南省"} // names are turned into codes
	if err := z.Validate(); err != nil || z.Zones[0].Provinces[0] != "530000" {
		t.Fatalf("%v %v", err, z.Zones[0])
	}
}

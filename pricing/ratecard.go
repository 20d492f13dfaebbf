package pricing

// Rate is the Chinese express price structure: a first-weight price (首重)
// covering WeightRule.FirstG and a price per additional kilogram (续重).
type Rate struct {
	FirstFen      int64 `json:"first_fen"`
	AdditionalFen int64 `json:"additional_fen"`
}

// PriceAt is the price of a parcel of chargeable weight g in fen.
//
// The one rounding rule: the additional part is (g − first weight) grams ×
// the per-kg price / 1000, rounded half up to a whole fen once, on the
// whole additional weight (never per step). With whole-kg steps the
// division is exact, so nothing is rounded at all; with half-kg steps and an
// odd per-kg price the half fen rounds up. The first-weight price is never
// split.
func (r Rate) PriceAt(rule WeightRule, g int64) int64 {
	extra := g - rule.FirstG
	if extra <= 0 {
		return r.FirstFen
	}
	return r.FirstFen + divRoundHalfUp(extra*r.AdditionalFen, 1000)
}

// divRoundHalfUp is a/b rounded half up, for a ≥ 0 and b > 0.
func divRoundHalfUp(a, b int64) int64 { return (2*a + b) / (2 * b) }

// Range is a band's [min, max] for one price component.
type Range struct {
	MinFen int64 `json:"min_fen"`
	MaxFen int64 `json:"max_fen"`
}

// Contains reports min ≤ v ≤ max.
func (r Range) Contains(v int64) bool { return r.MinFen <= v && v <= r.MaxFen }

// Category is what a parcel holds; farm produce has the ≥ 10 % rule.
type Category string

// The two categories of DESIGN.md.
const (
	FarmProduce Category = "farm_produce"
	General     Category = "general"
)

// Categories in the order tables list them.
var Categories = []Category{FarmProduce, General}

// Valid reports a known category.
func (c Category) Valid() bool { return c == FarmProduce || c == General }

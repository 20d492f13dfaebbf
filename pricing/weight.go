package pricing

import (
	"strconv"

	"github.com/tongpei/tongpei/internal/errs"
)

// WeightRule is how a parcel's chargeable weight is found: the greater of
// its actual and volumetric weight, rounded up to the next step. Express
// firms in China use divisor 8000 (cm³ per kg) and whole kilograms.
type WeightRule struct {
	// Divisor is cm³ per kg for volumetric weight (L×W×H / Divisor).
	Divisor int64 `json:"divisor"`
	// StepG is the rounding step in grams: 1000 rounds up to whole kg, 500
	// to half kg.
	StepG int64 `json:"step_g"`
	// FirstG is the weight the first-weight price (首重) covers.
	FirstG int64 `json:"first_g"`
}

// DefaultWeightRule is divisor 8000, whole kilograms, first kilogram.
var DefaultWeightRule = WeightRule{Divisor: 8000, StepG: 1000, FirstG: 1000}

// Size is a parcel's outer dimensions in whole centimetres.
type Size struct {
	L int64 `json:"l"`
	W int64 `json:"w"`
	H int64 `json:"h"`
}

// MaxWeightG and MaxSideCM bound what one parcel may be; beyond them the
// express firms do not take it as a parcel.
const (
	MaxWeightG = 100_000
	MaxSideCM  = 300
)

// Validate checks the rule's numbers are usable.
func (r WeightRule) Validate(field string) error {
	var f errs.Fields
	if r.Divisor < 1000 || r.Divisor > 20000 {
		f.Add(field+".divisor", "must be from 1000 to 20000 cm³ per kg (express firms use 8000), not %d", r.Divisor)
	}
	if r.StepG < 1 || r.StepG > 1000 || 1000%r.StepG != 0 {
		f.Add(field+".step_g", "must divide 1000 g (e.g. 1000, 500, 100), not %d", r.StepG)
	}
	if r.FirstG < 1 || r.FirstG > 5000 || (r.StepG > 0 && r.FirstG%r.StepG != 0) {
		f.Add(field+".first_g", "must be a multiple of step_g up to 5000 g, not %d", r.FirstG)
	}
	return f.Err()
}

// VolumetricG is L×W×H / divisor in grams, rounded up to a gram.
func (r WeightRule) VolumetricG(s Size) int64 {
	v := s.L * s.W * s.H * 1000
	return (v + r.Divisor - 1) / r.Divisor
}

// ChargeableG is max(actual, volumetric) rounded up to the next step; never
// less than one step, so a 10 g letter of tea pays for a step like any
// parcel.
func (r WeightRule) ChargeableG(actualG int64, size *Size) int64 {
	w := actualG
	if size != nil {
		w = max(w, r.VolumetricG(*size))
	}
	w = max(w, 1)
	return (w + r.StepG - 1) / r.StepG * r.StepG
}

// CheckParcel validates a parcel's weight and size before pricing it.
func CheckParcel(weightG int64, size *Size) error {
	var f errs.Fields
	if weightG < 1 || weightG > MaxWeightG {
		f.Add("weight_g", "must be from 1 to %d grams, not %d", MaxWeightG, weightG)
	}
	if size != nil {
		for _, d := range []struct {
			n string
			v int64
		}{{"l", size.L}, {"w", size.W}, {"h", size.H}} {
			if d.v < 1 || d.v > MaxSideCM {
				f.Add("size_cm."+d.n, "must be from 1 to %d cm, not %d", MaxSideCM, d.v)
			}
		}
	}
	return f.Err()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

package dispatch

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/text"
)

// Operator runs the joint fleet; route jobs go to its subject
// tongpei.dispatch.<operator>.route.
type Operator struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Phone  string `json:"phone"`
	Active bool   `json:"active"`
}

// Shift is when a van may work, as "HH:MM" in the county's time zone.
type Shift struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// VehicleType is one kind of van. Capacities are on the three dimensions the
// optimiser loads (kg, litres, parcels); costs are integer fen.
type VehicleType struct {
	Code            string `json:"code"`
	Name            string `json:"name"`
	CapacityKg      int    `json:"capacity_kg"`
	CapacityL       int    `json:"capacity_l"`
	CapacityParcels int    `json:"capacity_parcels"`
	FixedCostFen    int64  `json:"fixed_cost_fen"`
	CostPerKmFen    int64  `json:"cost_per_km_fen"`
	CostPerHourFen  int64  `json:"cost_per_hour_fen"`
	Shift           Shift  `json:"shift"`
	// MaxKm is the range of an electric van; 0 means no limit.
	MaxKm        int  `json:"max_km"`
	Refrigerated bool `json:"refrigerated"`
}

// Vehicle is one van of the joint fleet.
type Vehicle struct {
	Plate    string `json:"plate"`
	Type     string `json:"type"`
	Operator string `json:"operator"`
	Active   bool   `json:"active"`
	// RangeKm is this van's own range (an electric van whose battery
	// holds less or more than its type's); 0: its type's max_km.
	RangeKm int `json:"range_km"`
}

// codeRe keeps codes usable as NATS subject tokens and URL segments.
var codeRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$`)

// Validate checks an operator before it is stored.
func (o *Operator) Validate() error {
	var f errs.Fields
	if !codeRe.MatchString(o.Code) {
		f.Add("code", "must be 1–40 letters, digits, - or _ (it becomes a NATS subject token)")
	}
	checkFleetName(&f, o.Name)
	if len(o.Phone) > 32 || !text.Valid(o.Phone) {
		f.Add("phone", "must be a phone number of at most 32 characters")
	}
	return f.Err()
}

// checkFleetName requires a name that can be stored: not blank, valid
// UTF-8 without NUL, of sane length.
func checkFleetName(f *errs.Fields, name string) {
	switch {
	case strings.TrimSpace(name) == "":
		f.Add("name", "is required")
	case !text.Valid(name):
		f.Add("name", "%s", text.Problem(name))
	case len([]rune(name)) > 100:
		f.Add("name", "is over 100 characters")
	}
}

// Validate checks a vehicle type before it is stored.
func (t *VehicleType) Validate() error {
	var f errs.Fields
	if !codeRe.MatchString(t.Code) {
		f.Add("code", "must be 1–40 letters, digits, - or _")
	}
	checkFleetName(&f, t.Name)
	if t.CapacityKg <= 0 || t.CapacityKg > 40000 {
		f.Add("capacity_kg", "must be 1..40000")
	}
	if t.CapacityL <= 0 || t.CapacityL > 100000 {
		f.Add("capacity_l", "must be 1..100000")
	}
	if t.CapacityParcels <= 0 || t.CapacityParcels > 100000 {
		f.Add("capacity_parcels", "must be 1..100000")
	}
	if t.FixedCostFen < 0 || t.FixedCostFen > 100_000_00 {
		f.Add("fixed_cost_fen", "must be 0..10000000")
	}
	if t.CostPerKmFen < 0 || t.CostPerKmFen > 100_00 {
		f.Add("cost_per_km_fen", "must be 0..10000")
	}
	if t.CostPerHourFen < 0 || t.CostPerHourFen > 100_000 {
		f.Add("cost_per_hour_fen", "must be 0..100000")
	}
	if t.MaxKm < 0 || t.MaxKm > 2000 {
		f.Add("max_km", "must be 0 (no limit) ..2000")
	}
	start, err1 := parseClock(t.Shift.Start)
	end, err2 := parseClock(t.Shift.End)
	switch {
	case err1 != nil:
		f.Add("shift.start", "%v", err1)
	case err2 != nil:
		f.Add("shift.end", "%v", err2)
	case start >= end:
		f.Add("shift", "must end after it starts (%s–%s)", t.Shift.Start, t.Shift.End)
	}
	return f.Err()
}

// Validate checks a vehicle before it is stored; that its type and operator
// exist is the store's check.
func (v *Vehicle) Validate() error {
	var f errs.Fields
	v.Plate = strings.ToUpper(strings.TrimSpace(v.Plate))
	if n := len([]rune(v.Plate)); n < 5 || n > 12 {
		f.Add("plate", "must be a licence plate such as 云F12345")
	}
	if !text.Valid(v.Plate) {
		f.Add("plate", "%s", text.Problem(v.Plate))
	}
	if !codeRe.MatchString(v.Type) {
		f.Add("type", "name a vehicle type by its code (letters, digits, - or _)")
	}
	if !codeRe.MatchString(v.Operator) {
		f.Add("operator", "name the operator by its code (letters, digits, - or _)")
	}
	checkRange(&f, v.RangeKm)
	return f.Err()
}

// checkRange checks a van's own range.
func checkRange(f *errs.Fields, km int) {
	if km < 0 || km > 2000 {
		f.Add("range_km", "must be 0 (its type's range) to 2000 km, not %d", km)
	}
}

// parseClock reads "HH:MM" (24:00 allowed) into minutes after midnight.
func parseClock(s string) (int, error) {
	var h, m int
	if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || len(s) != 5 || h < 0 || m < 0 || m > 59 || h*60+m > 1440 {
		return 0, fmt.Errorf("must be HH:MM, not %q", s)
	}
	return h*60 + m, nil
}

func formatClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// CreateOperator registers the company that runs the joint fleet.
func (s *Service) CreateOperator(ctx context.Context, o Operator) (Operator, error) {
	if err := o.Validate(); err != nil {
		return Operator{}, err
	}
	o.Active = true
	return o, s.fleet.insertOperator(ctx, o)
}

// Operators lists the fleet operators.
func (s *Service) Operators(ctx context.Context) ([]Operator, error) { return s.fleet.operators(ctx) }

// CreateVehicleType adds a kind of van.
func (s *Service) CreateVehicleType(ctx context.Context, t VehicleType) (VehicleType, error) {
	if err := t.Validate(); err != nil {
		return VehicleType{}, err
	}
	start, _ := parseClock(t.Shift.Start)
	end, _ := parseClock(t.Shift.End)
	return t, s.fleet.insertVehicleType(ctx, t, start, end)
}

// VehicleTypes lists the kinds of van.
func (s *Service) VehicleTypes(ctx context.Context) ([]VehicleType, error) {
	return s.fleet.vehicleTypes(ctx)
}

// CreateVehicle adds a van to the joint fleet.
func (s *Service) CreateVehicle(ctx context.Context, v Vehicle) (Vehicle, error) {
	if err := v.Validate(); err != nil {
		return Vehicle{}, err
	}
	v.Active = true
	missing, err := s.fleet.insertVehicle(ctx, v)
	if missing {
		return Vehicle{}, errs.Field("type", "vehicle type %q or operator %q does not exist; create them first", v.Type, v.Operator)
	}
	return v, err
}

// Vehicles lists the vans, active ones first.
func (s *Service) Vehicles(ctx context.Context) ([]Vehicle, error) { return s.fleet.vehicles(ctx) }

// SetVehicleActive takes a van out of (or back into) planning.
func (s *Service) SetVehicleActive(ctx context.Context, plate string, active bool) error {
	found, err := s.fleet.setVehicleActive(ctx, plate, active)
	if err == nil && !found {
		return errs.E(errs.NotFound, "vehicle %s does not exist", plate)
	}
	return err
}

// SetVehicleRange gives a van a range of its own in km (0: its type's);
// the plans made after it use it.
func (s *Service) SetVehicleRange(ctx context.Context, plate string, km int) (Vehicle, error) {
	var f errs.Fields
	checkRange(&f, km)
	if err := f.Err(); err != nil {
		return Vehicle{}, err
	}
	return s.fleet.setVehicleRange(ctx, plate, km)
}

// fleetRow is one vehicle type with how many active vans of it the operator
// has with the same range: what the optimiser needs.
type fleetRow struct {
	Type     VehicleType
	Operator string
	RangeKm  int // the vans' range: their own, else the type's max_km; 0: none
	Count    int
	Plates   []string
}

package dispatch

import (
	"context"
	"fmt"

	"github.com/tongpei/tongpei/internal/errs"
)

// The demonstration joint fleet: the county's joint-delivery company with
// ten petrol minivans (about 1 t / 5 m³, the typical rural express van) and
// four electric vans whose 230 km range is a real limit on mountain runs.
// Costs are estimates: a van, its driver and insurance for a day, fuel or
// power and wear per km, the driver's time per hour.
var (
	DemoOperator     = Operator{Code: "XPJD", Name: "新平县共同配送有限公司", Phone: "08777011234"}
	DemoVehicleTypes = []VehicleType{
		{Code: "minivan", Name: "微型面包车", CapacityKg: 1000, CapacityL: 5000, CapacityParcels: 350,
			FixedCostFen: 250_00, CostPerKmFen: 120, CostPerHourFen: 30_00, Shift: Shift{Start: "07:00", End: "20:00"}},
		{Code: "ev", Name: "电动物流车", CapacityKg: 800, CapacityL: 4000, CapacityParcels: 300,
			FixedCostFen: 200_00, CostPerKmFen: 50, CostPerHourFen: 30_00, Shift: Shift{Start: "07:00", End: "20:00"}, MaxKm: 230},
	}
)

// DemoVehicles are the fourteen vans of the demonstration fleet.
func DemoVehicles() []Vehicle {
	out := make([]Vehicle, 14)
	for i := range out {
		typ := "minivan"
		if i >= 10 {
			typ = "ev"
		}
		out[i] = Vehicle{Plate: fmt.Sprintf("云F%c1234", 'A'+i), Type: typ, Operator: DemoOperator.Code}
	}
	return out
}

// LoadDemoFleet registers the demonstration fleet; what exists already is
// left as it is, so loading twice is harmless (serve --demo can call it).
func (s *Service) LoadDemoFleet(ctx context.Context) error {
	if _, err := s.CreateOperator(ctx, DemoOperator); err != nil && !errs.Is(err, errs.Conflict) {
		return err
	}
	for _, t := range DemoVehicleTypes {
		if _, err := s.CreateVehicleType(ctx, t); err != nil && !errs.Is(err, errs.Conflict) {
			return err
		}
	}
	for _, v := range DemoVehicles() {
		if _, err := s.CreateVehicle(ctx, v); err != nil && !errs.Is(err, errs.Conflict) {
			return err
		}
	}
	return nil
}

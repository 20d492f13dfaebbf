package dispatch

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/errs"
)

// CreateOperator registers the company that runs the joint fleet.
func (s *Store) CreateOperator(ctx context.Context, o Operator) (Operator, error) {
	if err := o.Validate(); err != nil {
		return Operator{}, err
	}
	o.Active = true
	_, err := s.pool.Exec(ctx, `INSERT INTO fleet_operators (code, name, phone) VALUES ($1, $2, $3)`, o.Code, o.Name, o.Phone)
	return o, dbErr(err, "operator "+o.Code)
}

// Operators lists the fleet operators.
func (s *Store) Operators(ctx context.Context) ([]Operator, error) {
	rows, err := s.pool.Query(ctx, `SELECT code, name, phone, active FROM fleet_operators ORDER BY code`)
	if err != nil {
		return nil, dbErr(err, "operators")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Operator, error) {
		var o Operator
		return o, r.Scan(&o.Code, &o.Name, &o.Phone, &o.Active)
	})
	return out, dbErr(err, "operators")
}

// CreateVehicleType adds a kind of van.
func (s *Store) CreateVehicleType(ctx context.Context, t VehicleType) (VehicleType, error) {
	if err := t.Validate(); err != nil {
		return VehicleType{}, err
	}
	start, _ := parseClock(t.Shift.Start)
	end, _ := parseClock(t.Shift.End)
	_, err := s.pool.Exec(ctx, `
		INSERT INTO vehicle_types (code, name, capacity_kg, capacity_l, capacity_parcels, fixed_cost_fen,
			cost_per_km_fen, cost_per_hour_fen, shift_start_min, shift_end_min, max_km, refrigerated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		t.Code, t.Name, t.CapacityKg, t.CapacityL, t.CapacityParcels, t.FixedCostFen,
		t.CostPerKmFen, t.CostPerHourFen, start, end, t.MaxKm, t.Refrigerated)
	return t, dbErr(err, "vehicle type "+t.Code)
}

const vehicleTypeCols = `code, name, capacity_kg, capacity_l, capacity_parcels, fixed_cost_fen,
	cost_per_km_fen, cost_per_hour_fen, shift_start_min, shift_end_min, max_km, refrigerated`

func scanVehicleType(r pgx.CollectableRow) (VehicleType, error) {
	var t VehicleType
	var start, end int
	err := r.Scan(&t.Code, &t.Name, &t.CapacityKg, &t.CapacityL, &t.CapacityParcels, &t.FixedCostFen,
		&t.CostPerKmFen, &t.CostPerHourFen, &start, &end, &t.MaxKm, &t.Refrigerated)
	t.Shift = Shift{Start: formatClock(start), End: formatClock(end)}
	return t, err
}

// VehicleTypes lists the kinds of van.
func (s *Store) VehicleTypes(ctx context.Context) ([]VehicleType, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+vehicleTypeCols+` FROM vehicle_types ORDER BY code`)
	if err != nil {
		return nil, dbErr(err, "vehicle types")
	}
	out, err := pgx.CollectRows(rows, scanVehicleType)
	return out, dbErr(err, "vehicle types")
}

// CreateVehicle adds a van to the joint fleet.
func (s *Store) CreateVehicle(ctx context.Context, v Vehicle) (Vehicle, error) {
	if err := v.Validate(); err != nil {
		return Vehicle{}, err
	}
	v.Active = true
	_, err := s.pool.Exec(ctx, `INSERT INTO vehicles (plate, type, operator) VALUES ($1, $2, $3)`, v.Plate, v.Type, v.Operator)
	if errs.Is(dbErr(err, ""), errs.Invalid) {
		var f errs.Fields
		f.Add("type", "vehicle type %q or operator %q does not exist; create them first", v.Type, v.Operator)
		return Vehicle{}, f.Err()
	}
	return v, dbErr(err, "vehicle "+v.Plate)
}

// Vehicles lists the vans, active ones first.
func (s *Store) Vehicles(ctx context.Context) ([]Vehicle, error) {
	rows, err := s.pool.Query(ctx, `SELECT plate, type, operator, active FROM vehicles ORDER BY active DESC, plate`)
	if err != nil {
		return nil, dbErr(err, "vehicles")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Vehicle, error) {
		var v Vehicle
		return v, r.Scan(&v.Plate, &v.Type, &v.Operator, &v.Active)
	})
	return out, dbErr(err, "vehicles")
}

// SetVehicleActive takes a van out of (or back into) planning.
func (s *Store) SetVehicleActive(ctx context.Context, plate string, active bool) error {
	tag, err := s.pool.Exec(ctx, `UPDATE vehicles SET active = $2 WHERE plate = $1`, plate, active)
	if err != nil {
		return dbErr(err, "vehicle "+plate)
	}
	if tag.RowsAffected() == 0 {
		return errs.E(errs.NotFound, "vehicle %s does not exist", plate)
	}
	return nil
}

// fleetRow is one vehicle type with how many active vans of it the operator
// has: what the optimiser needs.
type fleetRow struct {
	Type     VehicleType
	Operator string
	Count    int
	Plates   []string
}

// activeFleet counts active vans per type and operator.
func (s *Store) activeFleet(ctx context.Context) ([]fleetRow, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT `+prefixCols("t.", vehicleTypeCols)+`, v.operator, count(*), array_agg(v.plate ORDER BY v.plate)
		FROM vehicles v JOIN vehicle_types t ON t.code = v.type
		JOIN fleet_operators o ON o.code = v.operator AND o.active
		WHERE v.active
		GROUP BY t.code, v.operator ORDER BY t.code, v.operator`)
	if err != nil {
		return nil, dbErr(err, "fleet")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fleetRow, error) {
		var f fleetRow
		var start, end int
		t := &f.Type
		err := r.Scan(&t.Code, &t.Name, &t.CapacityKg, &t.CapacityL, &t.CapacityParcels, &t.FixedCostFen,
			&t.CostPerKmFen, &t.CostPerHourFen, &start, &end, &t.MaxKm, &t.Refrigerated, &f.Operator, &f.Count, &f.Plates)
		t.Shift = Shift{Start: formatClock(start), End: formatClock(end)}
		return f, err
	})
	return out, dbErr(err, "fleet")
}

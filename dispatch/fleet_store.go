package dispatch

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/pg"
)

// fleetStore keeps the joint fleet: operators, vehicle types and vans.
type fleetStore struct{ pool *pgxpool.Pool }

func (st fleetStore) insertOperator(ctx context.Context, o Operator) error {
	_, err := st.pool.Exec(ctx, `INSERT INTO fleet_operators (code, name, phone) VALUES ($1, $2, $3)`, o.Code, o.Name, o.Phone)
	return pg.Err(err, "operator "+o.Code)
}

func (st fleetStore) operators(ctx context.Context) ([]Operator, error) {
	rows, err := st.pool.Query(ctx, `SELECT code, name, phone, active FROM fleet_operators ORDER BY code`)
	if err != nil {
		return nil, pg.Err(err, "operators")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Operator, error) {
		var o Operator
		return o, r.Scan(&o.Code, &o.Name, &o.Phone, &o.Active)
	})
	return out, pg.Err(err, "operators")
}

func (st fleetStore) insertVehicleType(ctx context.Context, t VehicleType, start, end int) error {
	_, err := st.pool.Exec(ctx, `
		INSERT INTO vehicle_types (code, name, capacity_kg, capacity_l, capacity_parcels, fixed_cost_fen,
			cost_per_km_fen, cost_per_hour_fen, shift_start_min, shift_end_min, max_km, refrigerated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		t.Code, t.Name, t.CapacityKg, t.CapacityL, t.CapacityParcels, t.FixedCostFen,
		t.CostPerKmFen, t.CostPerHourFen, start, end, t.MaxKm, t.Refrigerated)
	return pg.Err(err, "vehicle type "+t.Code)
}

const vehicleTypeCols = `code, name, capacity_kg, capacity_l, capacity_parcels, fixed_cost_fen,
	cost_per_km_fen, cost_per_hour_fen, shift_start_min, shift_end_min, max_km, refrigerated`

// prefixCols qualifies a comma-separated column list with a table alias.
func prefixCols(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// vehicleTypeDest is where a row of vehicleTypeCols scans to; the shift
// is kept in minutes after midnight and given back as HH:MM.
func vehicleTypeDest(t *VehicleType, start, end *int) []any {
	return []any{&t.Code, &t.Name, &t.CapacityKg, &t.CapacityL, &t.CapacityParcels, &t.FixedCostFen,
		&t.CostPerKmFen, &t.CostPerHourFen, start, end, &t.MaxKm, &t.Refrigerated}
}

func (st fleetStore) vehicleTypes(ctx context.Context) ([]VehicleType, error) {
	rows, err := st.pool.Query(ctx, `SELECT `+vehicleTypeCols+` FROM vehicle_types ORDER BY code`)
	if err != nil {
		return nil, pg.Err(err, "vehicle types")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (VehicleType, error) {
		var t VehicleType
		var start, end int
		err := r.Scan(vehicleTypeDest(&t, &start, &end)...)
		t.Shift = Shift{Start: formatClock(start), End: formatClock(end)}
		return t, err
	})
	return out, pg.Err(err, "vehicle types")
}

// insertVehicle adds a van; missingRef is true when its type or operator
// does not exist.
func (st fleetStore) insertVehicle(ctx context.Context, v Vehicle) (missingRef bool, err error) {
	_, err = st.pool.Exec(ctx, `INSERT INTO vehicles (plate, type, operator, range_km) VALUES ($1, $2, $3, $4)`, v.Plate, v.Type, v.Operator, v.RangeKm)
	if _, ok := pg.ForeignKeyViolation(err); ok {
		return true, nil
	}
	return false, pg.Err(err, "vehicle "+v.Plate)
}

func (st fleetStore) vehicles(ctx context.Context) ([]Vehicle, error) {
	rows, err := st.pool.Query(ctx, `SELECT plate, type, operator, active, range_km FROM vehicles ORDER BY active DESC, plate`)
	if err != nil {
		return nil, pg.Err(err, "vehicles")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Vehicle, error) {
		var v Vehicle
		return v, r.Scan(&v.Plate, &v.Type, &v.Operator, &v.Active, &v.RangeKm)
	})
	return out, pg.Err(err, "vehicles")
}

// setVehicleActive answers whether the van exists.
func (st fleetStore) setVehicleActive(ctx context.Context, plate string, active bool) (bool, error) {
	tag, err := st.pool.Exec(ctx, `UPDATE vehicles SET active = $2 WHERE plate = $1`, plate, active)
	if err != nil {
		return false, pg.Err(err, "vehicle "+plate)
	}
	return tag.RowsAffected() > 0, nil
}

// vehicleRange is a van's range in km: its own, else its type's (0: none).
const vehicleRange = `CASE WHEN v.range_km > 0 THEN v.range_km ELSE t.max_km END`

// active counts active vans per type, operator and range (a van with a
// range of its own is a vehicle type of its own for the optimiser).
func (st fleetStore) active(ctx context.Context) ([]fleetRow, error) {
	rows, err := st.pool.Query(ctx, `
		SELECT `+prefixCols("t.", vehicleTypeCols)+`, v.operator, `+vehicleRange+`, count(*), array_agg(v.plate ORDER BY v.plate)
		FROM vehicles v JOIN vehicle_types t ON t.county = v.county AND t.code = v.type
		JOIN fleet_operators o ON o.county = v.county AND o.code = v.operator AND o.active
		WHERE v.active
		GROUP BY t.county, t.code, v.operator, `+vehicleRange+` ORDER BY t.code, v.operator, `+vehicleRange+` DESC`)
	if err != nil {
		return nil, pg.Err(err, "fleet")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fleetRow, error) {
		var f fleetRow
		var start, end int
		err := r.Scan(append(vehicleTypeDest(&f.Type, &start, &end), &f.Operator, &f.RangeKm, &f.Count, &f.Plates)...)
		f.Type.Shift = Shift{Start: formatClock(start), End: formatClock(end)}
		return f, err
	})
	return out, pg.Err(err, "fleet")
}

// setVehicleRange answers the van as it is now (not_found when there is none).
func (st fleetStore) setVehicleRange(ctx context.Context, plate string, km int) (Vehicle, error) {
	var v Vehicle
	err := st.pool.QueryRow(ctx, `UPDATE vehicles SET range_km = $2 WHERE plate = $1
		RETURNING plate, type, operator, active, range_km`, plate, km).Scan(&v.Plate, &v.Type, &v.Operator, &v.Active, &v.RangeKm)
	return v, pg.Err(err, "vehicle "+plate)
}

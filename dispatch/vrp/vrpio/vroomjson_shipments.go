package vrpio

// VROOM's shipments (docs/API.md of VROOM-Project/vroom, "Shipments"): a
// pickup and a delivery step with their own ids, places, setup, service
// and time windows, sharing an amount, skills and a priority. Each becomes
// two stops of the model, a KindPickup and a KindDelivery (dispatch/vrp,
// shipments.go), after the jobs: the tasks of a problem are its jobs, then
// for each shipment its pickup and its delivery.

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"encoding/json"
	"fmt"
)

// VROOMShipment is a pickup and its delivery.
type VROOMShipment struct {
	Pickup   VROOMShipmentStep `json:"pickup"`
	Delivery VROOMShipmentStep `json:"delivery"`
	Amount   []int64           `json:"amount,omitempty"`
	Skills   []uint64          `json:"skills,omitempty"`
	Priority int               `json:"priority,omitempty"`
}

// VROOMShipmentStep is one end of a shipment.
type VROOMShipmentStep struct {
	ID            uint64       `json:"id"`
	Description   string       `json:"description,omitempty"`
	Location      *Coordinates `json:"location,omitempty"`
	LocationIndex *int         `json:"location_index,omitempty"`
	Setup         int64        `json:"setup,omitempty"`
	Service       int64        `json:"service,omitempty"`
	TimeWindows   [][2]int64   `json:"time_windows,omitempty"`
	// refused when present (vroomjson_fields.go)
	SetupPerType   json.RawMessage `json:"setup_per_type,omitempty"`
	ServicePerType json.RawMessage `json:"service_per_type,omitempty"`
}

// The task types, as VROOM's output names them.
const (
	taskJob      = "job"
	taskPickup   = "pickup"
	taskDelivery = "delivery"
)

// task is one stop of the problem as the input gave it: a job or one end of
// a shipment, with the JSON path errors name.
type task struct {
	VROOMJob
	kind  string
	field string
	// amount is the shipment's amount, its index the shipment's.
	ship int
}

// collectTasks lists the jobs then both ends of every shipment, checking
// that ids are unique within each kind (VROOM's rule).
func (v *VROOM) collectTasks() error {
	p := &v.Problem
	v.tasks = v.tasks[:0]
	seen := map[string]map[uint64]bool{taskJob: {}, taskPickup: {}, taskDelivery: {}}
	add := func(t task) error {
		if seen[t.kind][t.ID] {
			return fieldErr(t.field+".id", "id %d is used by two %ss; ids must be unique", t.ID, t.kind)
		}
		seen[t.kind][t.ID] = true
		v.tasks = append(v.tasks, t)
		return nil
	}
	for i, j := range p.Jobs {
		if err := add(task{VROOMJob: j, kind: taskJob, field: fmt.Sprintf("jobs[%d]", i), ship: -1}); err != nil {
			return err
		}
	}
	for k, s := range p.Shipments {
		field := fmt.Sprintf("shipments[%d]", k)
		for h, st := range [2]VROOMShipmentStep{s.Pickup, s.Delivery} {
			kind := [2]string{taskPickup, taskDelivery}[h]
			j := VROOMJob{
				ID: st.ID, Description: st.Description, Location: st.Location, LocationIndex: st.LocationIndex,
				Setup: st.Setup, Service: st.Service, Skills: s.Skills, Priority: s.Priority, TimeWindows: st.TimeWindows,
				SetupPerType: st.SetupPerType, ServicePerType: st.ServicePerType,
			}
			if err := add(task{VROOMJob: j, kind: kind, field: field + "." + kind, ship: k}); err != nil {
				return err
			}
		}
	}
	return nil
}

// shipmentStop sets the shipment fields of stop i (task t).
func (v *VROOM) shipmentStop(i int, t *task) error {
	s := &v.Instance.Stops[i]
	sh := &v.Problem.Shipments[t.ship]
	a, err := amount(fmt.Sprintf("shipments[%d].amount", t.ship), sh.Amount, v.Instance)
	if err != nil {
		return err
	}
	if t.kind == taskPickup {
		s.Kind, s.Partner, s.Pickup = vrp.KindPickup, i+1, a
	} else {
		s.Kind, s.Partner, s.Delivery = vrp.KindDelivery, i-1, a
	}
	return nil
}

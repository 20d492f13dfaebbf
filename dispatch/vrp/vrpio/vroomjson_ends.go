package vrpio

// Vehicles' starts and ends (docs/API.md of VROOM-Project/vroom: start and
// end are optional and may differ; a vehicle without end finishes at its
// last task, one without start begins at its first). The model has one
// depot, matrix node 0: the first start given (else the first end); every
// other place a vehicle starts or ends at becomes one of the Instance's
// Places, after the jobs.

import (
	"fmt"

	"github.com/tongpei/tongpei/dispatch/vrp"
)

// endPlace is one place vehicles start or end at, as the input gives it.
type endPlace struct {
	index  int          // in the input matrices, −1 when not given
	coords *Coordinates // nil when not given
	field  string       // where it first appears, for errors
}

// vehicleEnds are the distinct places of the vehicles' starts and ends:
// places[0] is the depot, places[k] is matrix node jobs+k.
type vehicleEnds struct {
	jobs   int
	places []endPlace
}

// key identifies a place: by its matrix index when it has one, else by its
// coordinates.
func (e *endPlace) key() string {
	if e.index >= 0 {
		return fmt.Sprintf("i%d", e.index)
	}
	return fmt.Sprintf("c%v,%v", e.coords[0], e.coords[1])
}

// nodeOf is the matrix node of places[k].
func (ve *vehicleEnds) nodeOf(k int) int {
	if k == 0 {
		return 0
	}
	return ve.jobs + k
}

// node is the matrix node of a start or end (vrp.NoPlace when absent),
// adding it to the places when new.
func (ve *vehicleEnds) node(c *Coordinates, index *int) int {
	return ve.nodeAt(c, index, "")
}

func (ve *vehicleEnds) nodeAt(c *Coordinates, index *int, field string) int {
	if c == nil && index == nil {
		return vrp.NoPlace
	}
	e := endPlace{index: -1, coords: c, field: field}
	if index != nil {
		e.index = *index
	}
	k := e.key()
	for i := range ve.places {
		if ve.places[i].key() == k {
			if ve.places[i].coords == nil {
				ve.places[i].coords = c
			}
			return ve.nodeOf(i)
		}
	}
	ve.places = append(ve.places, e)
	return ve.nodeOf(len(ve.places) - 1)
}

// findDepot chooses the depot, registers every vehicle's start and end in
// input order (so node numbers follow the input) and checks that each
// vehicle gives its places in a usable form.
func (v *VROOM) findDepot() error {
	p := &v.Problem
	v.ends = vehicleEnds{jobs: len(v.tasks)}
	for i := range p.Vehicles {
		if veh := &p.Vehicles[i]; veh.Start != nil || veh.StartIndex != nil {
			v.ends.nodeAt(veh.Start, veh.StartIndex, fmt.Sprintf("vehicles[%d].start", i))
			break
		}
	}
	for i := range p.Vehicles {
		veh := &p.Vehicles[i]
		field := fmt.Sprintf("vehicles[%d]", i)
		for _, e := range []struct {
			c     *Coordinates
			index *int
			name  string
		}{{veh.Start, veh.StartIndex, "start"}, {veh.End, veh.EndIndex, "end"}} {
			if e.index != nil && *e.index < 0 {
				return fieldErr(field+"."+e.name+"_index", "%d must be ≥ 0", *e.index)
			}
			if e.c != nil && !finite(*e.c) {
				return fieldErr(field+"."+e.name, "needs finite [lon, lat] coordinates")
			}
			v.ends.nodeAt(e.c, e.index, field+"."+e.name)
		}
	}
	if len(v.ends.places) == 0 {
		return fieldErr("vehicles", "no vehicle has a start or an end; give at least one vehicle a start (or start_index)")
	}
	return nil
}

package vrpio

// What a VRPLIB file may contain. A key or section the reader does not know
// is an error naming it: skipping one would solve a different problem than
// the file states (a pickup section read as nothing is a CVRP).

import (
	"slices"
	"strings"
)

// exact2DScale is SCALE for EXACT_2D when the file sets none: LKH-3's
// ReadProblem.c makes EXACT_2D the rounded Euclidean distance × Scale, with
// Scale = 1000 by default (Helsgaun 2017, LKH-3's problem file keywords).
const exact2DScale = 1000

// maxScale bounds SCALE so that scaled distances stay far from overflow.
const maxScale = 1_000_000

// keyDialects lists each header key the reader understands and the dialects
// it belongs to (none listed: every dialect). COMMENT and the display keys
// carry nothing the model uses and are accepted as such.
var keyDialects = map[string][]Dialect{
	"NAME": nil, "TYPE": nil, "COMMENT": nil, "DIMENSION": nil,
	"EDGE_WEIGHT_TYPE": nil, "EDGE_WEIGHT_FORMAT": nil, "SCALE": nil,
	"NODE_COORD_TYPE": nil, "DISPLAY_DATA_TYPE": nil,
	"VEHICLES":     nil,
	"CAPACITY":     {DialectCVRP, DialectSPD, DialectMT},
	"DISTANCE":     {DialectCVRP, DialectSPD, DialectMT},
	"SERVICE_TIME": {DialectCVRP, DialectHF, DialectMT},
}

// sectionDialects is keyDialects for the *_SECTION names.
var sectionDialects = map[string][]Dialect{
	"NODE_COORD_SECTION": nil, "DEPOT_SECTION": nil, "EDGE_WEIGHT_SECTION": nil,
	"DISPLAY_DATA_SECTION":                nil,
	"DEMAND_SECTION":                      {DialectCVRP, DialectHF, DialectMT},
	"TIME_WINDOW_SECTION":                 {DialectCVRP, DialectHF, DialectMT},
	"SERVICE_TIME_SECTION":                {DialectCVRP, DialectHF, DialectMT},
	"PICKUP_AND_DELIVERY_SECTION":         {DialectSPD},
	"CAPACITY_SECTION":                    {DialectHF},
	"VEHICLES_FIXED_COST_SECTION":         {DialectHF},
	"VEHICLES_UNIT_DISTANCE_COST_SECTION": {DialectHF},
	"RELEASE_TIME_SECTION":                {DialectCVRP, DialectMT},
	"VEHICLES_RELOAD_DEPOT_SECTION":       {DialectCVRP, DialectMT},
}

var dialectNames = map[Dialect]string{
	DialectCVRP: "CVRP/VRPTW", DialectHF: "HFVRP", DialectSPD: "VRPSPD", DialectMT: "MTVRPTWR",
}

// checkKeys refuses keys and sections the reader does not know or that the
// file's dialect would not read, and coordinates or a matrix the edge
// weight type would not use.
func (f *vrplibFile) checkKeys(d Dialect) error {
	for _, key := range sortedKeys(f.headerLine) {
		allowed, known := keyDialects[key]
		switch {
		case !known:
			return inputErr(f.headerLine[key], key, "unknown key %s; the reader knows %s", key, strings.Join(sortedKeys(keyDialects), ", "))
		case allowed != nil && !slices.Contains(allowed, d):
			return inputErr(f.headerLine[key], key, "%s is not part of a %s file; remove it", key, dialectNames[d])
		}
	}
	for _, sect := range sortedKeys(f.sectLine) {
		allowed, known := sectionDialects[sect]
		switch {
		case !known:
			return inputErr(f.sectLine[sect], sect, "unknown section %s; the reader knows %s", sect, strings.Join(sortedKeys(sectionDialects), ", "))
		case allowed != nil && !slices.Contains(allowed, d):
			return inputErr(f.sectLine[sect], sect, "%s is not part of a %s file; remove it", sect, dialectNames[d])
		}
	}
	kind := strings.ToUpper(f.header["EDGE_WEIGHT_TYPE"])
	if _, ok := f.sectLine["EDGE_WEIGHT_SECTION"]; ok && kind != "EXPLICIT" {
		return inputErr(f.sectLine["EDGE_WEIGHT_SECTION"], "EDGE_WEIGHT_SECTION", "a matrix with EDGE_WEIGHT_TYPE %s would not be read; use EXPLICIT or remove the section", clip(kind))
	}
	if t, ok := f.header["NODE_COORD_TYPE"]; ok && !strings.EqualFold(t, "TWOD_COORDS") {
		return inputErr(f.headerLine["NODE_COORD_TYPE"], "NODE_COORD_TYPE", "%q is not supported; only TWOD_COORDS", clip(t))
	}
	return nil
}

// scale reads SCALE for coordinate edge weight types: distances are
// nint(SCALE × Euclidean) (LKH-3's convention; ceiling for CEIL_2D). It is
// exact2DScale for EXACT_2D without the key, 1 otherwise.
func (f *vrplibFile) scale(kind string) (int64, error) {
	def := int64(1)
	if kind == "EXACT_2D" {
		def = exact2DScale
	}
	v, err := f.headerInt("SCALE", def)
	if err != nil {
		return 0, err
	}
	if _, ok := f.header["SCALE"]; ok && kind != "EUC_2D" && kind != "CEIL_2D" && kind != "EXACT_2D" {
		return 0, inputErr(f.headerLine["SCALE"], "SCALE", "SCALE applies to coordinates (EUC_2D, CEIL_2D, EXACT_2D), not to %q", clip(kind))
	}
	if v < 1 || v > maxScale {
		return 0, inputErr(f.headerLine["SCALE"], "SCALE", "%d is out of range: want an integer in 1..%d", v, maxScale)
	}
	return v, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

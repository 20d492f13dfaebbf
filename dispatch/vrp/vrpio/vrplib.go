package vrpio

// Reading VRPLIB / CVRPLIB instance files (http://vrp.galgos.inf.puc-rio.br):
// the classical CVRP, the heterogeneous-fleet dialect of Pessoa, Sadykov and
// Uchoa (2018) as converted by PyVRP, the VRPSPD layout of LKH-3 and the
// multi-trip MTVRPTWR instances of Yang (2023) as published by PyVRP.

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Dialect is the VRPLIB variant a file is written in; it decides how
// solutions are numbered and how costs are printed.
type Dialect int

// The dialects ReadVRPLIB understands.
const (
	// DialectCVRP is the classical CVRPLIB file (also with
	// TIME_WINDOW_SECTION / SERVICE_TIME_SECTION for VRPTW files).
	DialectCVRP Dialect = iota
	// DialectHF is the heterogeneous fleet dialect: VEHICLES,
	// CAPACITY_SECTION, VEHICLES_FIXED_COST_SECTION and
	// VEHICLES_UNIT_DISTANCE_COST_SECTION, one entry per vehicle.
	DialectHF
	// DialectSPD is simultaneous pickup and delivery in LKH-3's layout
	// (PICKUP_AND_DELIVERY_SECTION).
	DialectSPD
	// DialectMT is the multi-trip VRP with time windows and release times
	// (TYPE MTVRPTWR, see vrplib_mt.go): DIMACS distances in tenths, `0`
	// inside a .sol route marking a reload.
	DialectMT
)

// HFDistanceScale is how the HF dialect's real Euclidean distances become
// integers: Distance = round(HFDistanceScale × Euclidean). The file's fixed
// and unit-distance costs are already scaled by 100, so the model's cost is
// the file's cost × 100 × HFDistanceScale.
const HFDistanceScale = 1000

// MaxDimension is the largest DIMENSION ReadVRPLIB accepts (the matrix is
// held in memory: 5001² distances take 200 MB).
const MaxDimension = 5001

// VRPLIB is a parsed .vrp file: the instance, plus what writing its
// solutions back in the file's own numbering and units needs.
type VRPLIB struct {
	Instance *vrp.Instance
	Dialect  Dialect
	// CostDivisor turns the model's integer cost into the file's units:
	// file cost = Solution.Cost / CostDivisor. It is 1 for CVRP and VRPSPD
	// with an EXPLICIT matrix (whose costs are in the matrix's integer
	// units), 100×HFDistanceScale for the HF dialect, whose .sol files
	// print `Cost: 19412.56`, SCALE for EXACT_2D (LKH-3) and DIMACSScale for
	// a file read with RoundDIMACS (`Cost 41337.8`).
	CostDivisor int64
	// Rounding is the convention the distances were built with.
	Rounding Rounding
	// Vehicles lists, for each vehicle type of an HF file, the file's vehicle
	// numbers (1-based, in file order) of that type: route k of an HF .sol is
	// vehicle k. Nil for other dialects.
	Vehicles [][]int
}

// inputErr builds the *vrp.InputError every reader returns.
func inputErr(line int, field, format string, args ...any) *vrp.InputError {
	return &vrp.InputError{Line: line, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// vrplibLine is one data line of a section, split into fields.
type vrplibLine struct {
	no int
	f  []string
}

// vrplibFile is the raw content of a file: header keys and section lines.
type vrplibFile struct {
	header     map[string]string
	headerLine map[string]int
	sections   map[string][]vrplibLine
	sectLine   map[string]int
	rounding   Rounding
}

// ReadVRPLIB reads a VRPLIB instance. Node 1 of the file must be the one
// depot; file node k+1 becomes Stops[k-1]. Errors are *InputError naming the
// line and what to fix; no input makes it panic.
//
// Units: CVRP distances are Euclidean rounded to the nearest integer (the
// convention of the published best-known solutions) or the EXPLICIT matrix
// as written; VRPSPD keeps the file's integer matrix; EXACT_2D (LKH-3) is
// Euclidean × SCALE rounded, SCALE 1000 when absent, and SCALE scales
// EUC_2D and CEIL_2D the same way; HF distances are Euclidean ×
// HFDistanceScale rounded (see VRPLIB.CostDivisor); MTVRPTWR distances and
// all its times are in tenths (DIMACS, see DIMACSScale), as are VRPTW's
// when read with RoundDIMACS. A key or section the reader does not know,
// or that the file's dialect would not read, is an error naming it.
func ReadVRPLIB(r io.Reader) (*VRPLIB, error) {
	return ReadVRPLIBWith(r, ReadOptions{})
}

// Rounding is how Euclidean distances computed from coordinates become the
// model's integers. The file does not say which convention its best-known
// solutions use, so the caller does (tongpei solve --rounding; bench reads
// it from the benchmark set, cmd/tongpei/convention.go).
type Rounding int

const (
	// RoundFile is the file's own convention: EUC_2D rounded to the nearest
	// integer (CVRPLIB's X instances), CEIL_2D rounded up, EXACT_2D scaled
	// by SCALE and rounded, and DIMACS for MTVRPTWR.
	RoundFile Rounding = iota
	// RoundDIMACS is the convention of the DIMACS VRPTW challenge (2021)
	// and of the Gehring & Homberger best-known solutions in CVRPLIB:
	// distances and travel times are Euclidean truncated to one decimal.
	// The model holds them in tenths (DIMACSScale), every time of the file
	// is multiplied by DIMACSScale too, and costs are printed with one
	// decimal (CostDivisor = DIMACSScale).
	RoundDIMACS
)

// ReadOptions steer ReadVRPLIBWith.
type ReadOptions struct {
	Rounding Rounding
}

// ReadVRPLIBWith is ReadVRPLIB with a rounding convention for EUC_2D files.
// RoundDIMACS applies to EUC_2D files of the CVRP/VRPTW dialect (MTVRPTWR
// always uses it); for other edge weight types or dialects it is an error.
func ReadVRPLIBWith(r io.Reader, opt ReadOptions) (*VRPLIB, error) {
	raw, err := scanVRPLIB(r)
	if err != nil {
		return nil, err
	}
	raw.rounding = opt.Rounding
	return raw.build()
}

func scanVRPLIB(r io.Reader) (*vrplibFile, error) {
	f := &vrplibFile{
		header: map[string]string{}, headerLine: map[string]int{},
		sections: map[string][]vrplibLine{}, sectLine: map[string]int{},
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	section, no, total := "", 0, 0
	for sc.Scan() {
		no++
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if text == "" {
			continue
		}
		fields := strings.Fields(text)
		if _, err := strconv.ParseFloat(fields[0], 64); err == nil && section != "" {
			if total += len(fields); total > 4*MaxDimension*MaxDimension {
				return nil, inputErr(no, section, "too much data; at most DIMENSION %d is supported", MaxDimension)
			}
			f.sections[section] = append(f.sections[section], vrplibLine{no: no, f: fields})
			continue
		}
		key, value, hasColon := strings.Cut(text, ":")
		key = strings.ToUpper(strings.TrimSpace(key))
		switch {
		case key == "EOF":
			return f, nil
		case strings.HasSuffix(key, "_SECTION"):
			if _, dup := f.sectLine[key]; dup {
				return nil, inputErr(no, key, "the section appears twice; keep one")
			}
			section = key
			f.sectLine[key] = no
		case hasColon && key != "":
			if _, dup := f.headerLine[key]; dup {
				return nil, inputErr(no, key, "the key appears twice; keep one")
			}
			f.header[key] = strings.Trim(strings.TrimSpace(value), `"'`)
			f.headerLine[key] = no
			section = ""
		default:
			return nil, inputErr(no, section, "cannot read %q: expected KEY : VALUE, a *_SECTION name, numbers or EOF", clip(text))
		}
	}
	if err := sc.Err(); err != nil {
		e := inputErr(no+1, "", "cannot read the file: %v", err)
		e.Cause = err
		return nil, e
	}
	return f, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// headerInt reads an integer header key; def when absent.
func (f *vrplibFile) headerInt(key string, def int64) (int64, error) {
	v, ok := f.header[key]
	if !ok {
		return def, nil
	}
	n, err := parseInt(v)
	if err != nil {
		return 0, inputErr(f.headerLine[key], key, "%q is not an integer", clip(v))
	}
	return n, nil
}

// parseInt accepts integers and integral decimals such as "35.0".
func parseInt(s string) (int64, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x != math.Trunc(x) || math.Abs(x) > 1<<52 {
		return 0, fmt.Errorf("not an integer: %q", s)
	}
	return int64(x), nil
}

// nodeTable reads a section of lines "node v1 v2 …" with exactly cols values
// (after the node number) for nodes 1..n, each once, and returns the values
// indexed by node−1.
func (f *vrplibFile) nodeTable(name string, n, cols int, required bool) ([][]string, error) {
	lines := f.sections[name]
	if _, present := f.sectLine[name]; !present {
		if !required {
			return nil, nil
		}
		return nil, inputErr(0, name, "the section is missing")
	}
	out := make([][]string, n)
	for _, l := range lines {
		if len(l.f) != cols+1 {
			return nil, inputErr(l.no, name, "want a node number and %d values, got %d fields", cols, len(l.f))
		}
		id, err := strconv.Atoi(l.f[0])
		if err != nil || id < 1 || id > n {
			return nil, inputErr(l.no, name, "node %q is not in 1..%d (DIMENSION)", l.f[0], n)
		}
		if out[id-1] != nil {
			return nil, inputErr(l.no, name, "node %d is listed twice", id)
		}
		out[id-1] = l.f[1:]
	}
	for i, v := range out {
		if v == nil {
			return nil, inputErr(f.sectLine[name], name, "node %d is missing (DIMENSION is %d)", i+1, n)
		}
	}
	return out, nil
}

// intCell parses one value of a nodeTable; the line is the section's.
func (f *vrplibFile) intCell(name string, row []string, col, node int, min int64) (int64, error) {
	v, err := parseInt(row[col])
	if err != nil || v < min || v > 1<<40 {
		return 0, inputErr(f.lineOf(name, node), name, "node %d: %q must be an integer ≥ %d", node, clip(row[col]), min)
	}
	return v, nil
}

// lineOf finds the line that holds node in a section, for error messages.
func (f *vrplibFile) lineOf(name string, node int) int {
	for _, l := range f.sections[name] {
		if l.f[0] == strconv.Itoa(node) {
			return l.no
		}
	}
	return f.sectLine[name]
}

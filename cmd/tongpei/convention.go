package main

// Which rounding convention a VRPLIB file's distances follow. A VRPTW file
// does not say: Solomon-style files are read with distances rounded to the
// nearest integer, while the DIMACS VRPTW challenge and the Gehring &
// Homberger best-known solutions in CVRPLIB truncate them to one decimal.
// The benchmark set says which, in its README or its .sol files, so bench
// (and solve on a file of such a set) read it from there rather than from a
// flag repeated on every run.

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/tongpei/tongpei/dispatch/vrp/vrpio"
)

// roundingFlag parses --rounding: auto (the set's convention), file (the
// file's own: nearest integer for EUC_2D) or dimacs.
func roundingFlag(v string) (auto bool, r vrpio.Rounding, err error) {
	switch strings.ToLower(v) {
	case "", "auto":
		return true, vrpio.RoundFile, nil
	case "file", "nearest":
		return false, vrpio.RoundFile, nil
	case "dimacs":
		return false, vrpio.RoundDIMACS, nil
	}
	return false, 0, fmt.Errorf("--rounding %q: use auto, file or dimacs", v)
}

// oneDecimalCost is a .sol cost line with exactly one decimal, as the
// DIMACS-convention VRPTW solutions of CVRPLIB print it (`Cost 41337.8`).
var oneDecimalCost = regexp.MustCompile(`(?i)^cost\s*:?\s*[0-9]+\.[0-9]\s*$`)

// setRounding finds the convention of the benchmark set in dir and says
// where it found it:
//  1. dir/README.md, or the section of dir/../README.md headed `## <dir>/`,
//     naming the DIMACS convention;
//  2. else a .sol in dir whose cost has exactly one decimal;
//  3. else the files' own convention.
func setRounding(dir string) (vrpio.Rounding, string) {
	if text, where := setReadme(dir); strings.Contains(text, "DIMACS") {
		return vrpio.RoundDIMACS, where + " names the DIMACS convention"
	}
	sols, _ := filepath.Glob(filepath.Join(dir, "*.sol"))
	for _, sol := range sols {
		if last := lastCostLine(sol); oneDecimalCost.MatchString(last) {
			return vrpio.RoundDIMACS, fmt.Sprintf("%s prints %q, a DIMACS cost (one decimal)", filepath.Base(sol), last)
		}
	}
	return vrpio.RoundFile, ""
}

// setReadme returns the README text describing the set in dir, and its path.
func setReadme(dir string) (string, string) {
	own := filepath.Join(dir, "README.md")
	if b, err := os.ReadFile(own); err == nil {
		return string(b), own
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", ""
	}
	parent := filepath.Join(filepath.Dir(abs), "README.md")
	b, err := os.ReadFile(parent)
	if err != nil {
		return "", ""
	}
	head := "## " + filepath.Base(abs) + "/"
	var section strings.Builder
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			in = strings.HasPrefix(line, head)
		}
		if in {
			section.WriteString(line + "\n")
		}
	}
	return section.String(), parent + " (" + head + ")"
}

// lastCostLine is the last `Cost` line of a .sol file, trimmed.
func lastCostLine(path string) string {
	fh, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer fh.Close()
	last := ""
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for sc.Scan() {
		if t := strings.TrimSpace(sc.Text()); strings.HasPrefix(strings.ToLower(t), "cost") {
			last = t
		}
	}
	return last
}

// readVRPLIBAs reads a VRPLIB file with rounding r, which applies only to
// the CVRP/VRPTW dialect: other dialects fix their own units, so a set's
// convention never makes their files unreadable.
func readVRPLIBAs(data []byte, r vrpio.Rounding) (*vrpio.VRPLIB, error) {
	f, err := vrpio.ReadVRPLIB(bytes.NewReader(data))
	if err != nil || r == vrpio.RoundFile || f.Dialect != vrpio.DialectCVRP {
		return f, err
	}
	return vrpio.ReadVRPLIBWith(bytes.NewReader(data), vrpio.ReadOptions{Rounding: r})
}

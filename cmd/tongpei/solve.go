package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/dispatch/vrp/vrpio"
)

// solveFlags are the optimiser's knobs shared by solve and bench.
type solveFlags struct {
	timeLimit time.Duration
	seed      int64
	threads   int
	format    string // auto, vrplib or vroom
	rounding  string // auto, file or dimacs (convention.go)
}

func newSolveCmd() *cobra.Command {
	var fl solveFlags
	cmd := &cobra.Command{
		Use:   "solve [--time-limit D] [--seed N] [--threads N] [--rounding auto|file|dimacs] FILE",
		Short: "Solve a VRPLIB .vrp file or a VROOM JSON problem and print the solution",
		Long: `Solve reads FILE ("-" for standard input): a VRPLIB/CVRPLIB instance
(CVRP, the heterogeneous-fleet dialect, VRPSPD, MTVRPTWR) or the VROOM JSON problem of
POST /v1/optimize (recognised by a .json name or a leading '{').

For VRPLIB it prints the CVRPLIB solution format on standard output: one
line "Route #k: c1 c2 …" per route (depot 0 left out, node k+1 of the file is
customer k) and "Cost N", N the objective in the file's units (for VRPSPD
with a matrix, the matrix's units; with EXACT_2D coordinates, the distance,
i.e. the model's integer / SCALE; for MTVRPTWR, tenths, and a 0 inside a
route is a van's return to the depot to reload; for VRPTW under the DIMACS
convention, the distance with one decimal). For the heterogeneous-fleet dialect it prints
that dialect's .sol: one "Route #v:" line per vehicle of the file (empty when
unused) and "Cost: x" with two decimals, the file's own units.

For JSON it prints VROOM's output JSON; with --format vrplib it prints the
VRPLIB format instead, customer k being jobs[k-1] and Cost the VROOM cost.
Without --time-limit the search stops once it has converged (a number of
iterations without improvement proportional to the number of stops, at most
10 s), so small problems answer in milliseconds; with one, the limit covers
the whole call, reading the file included.

--rounding decides how a VRPTW file's Euclidean distances become integers:
file (nearest integer, CVRPLIB's convention), dimacs (truncated to one
decimal and held in tenths, with every time ×10 and the cost printed with
one decimal: the DIMACS challenge's and Gehring & Homberger's convention),
or auto (default): the convention of the benchmark set the file lies in,
read from its README or its .sol files as bench does.

A progress bar with the best cost so far goes to standard error when it is a
terminal.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSolve(cmd.Context(), args[0], fl, cmd.OutOrStdout(), os.Stderr)
		},
	}
	cmd.Flags().DurationVar(&fl.timeLimit, "time-limit", 0, "wall-clock budget of the whole call, reading included (0: stop when converged, at most 10 s)")
	cmd.Flags().Int64Var(&fl.seed, "seed", 1, "random seed; one thread and one seed give one answer")
	cmd.Flags().IntVar(&fl.threads, "threads", 1, "parallel searches")
	cmd.Flags().StringVar(&fl.format, "format", "auto", "output: auto (VRPLIB for .vrp, VROOM JSON for JSON), vrplib or vroom")
	cmd.Flags().StringVar(&fl.rounding, "rounding", "auto", "VRPLIB distances: auto (the benchmark set's convention), file (nearest integer) or dimacs (one decimal, truncated)")
	return cmd
}

func (fl solveFlags) check() error {
	switch {
	case fl.timeLimit < 0:
		return errors.New("--time-limit must be positive (or 0: until converged), e.g. --time-limit 30s")
	case fl.threads < 1:
		return errors.New("--threads must be at least 1")
	case fl.format != "" && fl.format != "auto" && fl.format != "vrplib" && fl.format != "vroom":
		return fmt.Errorf("--format %q: use auto, vrplib or vroom", fl.format)
	}
	return nil
}

func runSolve(ctx context.Context, path string, fl solveFlags, stdout, stderr io.Writer) error {
	started := time.Now() // the time limit covers reading the problem too
	if err := fl.check(); err != nil {
		return err
	}
	auto, rounding, err := roundingFlag(fl.rounding)
	if err != nil {
		return err
	}
	var data []byte
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, 256<<20))
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return fmt.Errorf("cannot read the problem: %w", err)
	}
	opt := vrp.Options{TimeLimit: fl.timeLimit, Seed: fl.seed, Threads: fl.threads, Started: started}
	if isJSON(path, data) {
		return solveJSON(ctx, path, data, opt, fl.format == "vrplib", stdout, stderr)
	}
	if fl.format == "vroom" {
		return errors.New("--format vroom needs a VROOM JSON problem; VRPLIB files answer in VRPLIB format")
	}
	var f *vrpio.VRPLIB
	if auto && path != "-" {
		var why string
		if rounding, why = setRounding(filepath.Dir(path)); why != "" {
			fmt.Fprintf(stderr, "tongpei: --rounding auto: %s\n", why)
		}
		f, err = readVRPLIBAs(data, rounding)
	} else {
		f, err = vrpio.ReadVRPLIBWith(bytes.NewReader(data), vrpio.ReadOptions{Rounding: rounding})
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	progress, stop := newProgress(stderr, barBudget(fl.timeLimit), f.FormatCost)
	opt.Progress = progress
	sol, err := vrp.Solve(ctx, f.Instance, opt)
	stop()
	if err != nil {
		return fmt.Errorf("solve %s: %w", path, err)
	}
	cost, err := vrp.Evaluate(f.Instance, sol)
	if err != nil {
		return fmt.Errorf("solve %s: the optimiser returned an invalid solution (a bug; please report it): %w", path, err)
	}
	if cost != sol.Cost {
		fmt.Fprintf(stderr, "tongpei: warning: the optimiser reported cost %d, the validator computes %d (printed)\n", sol.Cost, cost)
		sol.Cost = cost
	}
	for _, u := range sol.Unassigned {
		fmt.Fprintf(stderr, "tongpei: customer %d left unserved: %s\n", u.Stop+1, u.Reason)
	}
	return f.WriteSolution(stdout, sol)
}

// isJSON tells a VROOM problem from a VRPLIB file.
func isJSON(path string, data []byte) bool {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return true
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	return len(trimmed) > 0 && trimmed[0] == '{'
}

func solveJSON(ctx context.Context, path string, data []byte, opt vrp.Options, vrplib bool, stdout, stderr io.Writer) error {
	var stop func()
	opt.Progress, stop = newProgress(stderr, barBudget(opt.TimeLimit), func(c int64) string {
		return fmt.Sprint((c + vrpio.VROOMCostScale/2) / vrpio.VROOMCostScale)
	})
	out, err := dispatch.SolveVROOM(ctx, data, opt)
	stop()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if vrplib {
		return writeVROOMAsVRPLIB(data, out, stdout)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeVROOMAsVRPLIB prints a VROOM answer in the VRPLIB solution format:
// customer k is jobs[k-1] of the problem, Cost the summary's cost.
func writeVROOMAsVRPLIB(problem []byte, out *vrpio.VROOMOutput, w io.Writer) error {
	var p vrpio.VROOMProblem
	if err := json.Unmarshal(problem, &p); err != nil {
		return err
	}
	customer := make(map[uint64]int, len(p.Jobs))
	for i, j := range p.Jobs {
		customer[j.ID] = i + 1
	}
	var b strings.Builder
	for k, r := range out.Routes {
		fmt.Fprintf(&b, "Route #%d:", k+1)
		for _, st := range r.Steps {
			if st.Type == "job" && st.ID != nil {
				fmt.Fprintf(&b, " %d", customer[*st.ID])
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Cost %d\n", out.Summary.Cost)
	_, err := io.WriteString(w, b.String())
	return err
}

// barBudget is the span of the progress bar: the limit, or the most a search
// without one may take.
func barBudget(limit time.Duration) time.Duration {
	if limit <= 0 {
		return vrp.DefaultTimeLimit
	}
	return limit
}

// newProgress returns a Progress callback drawing a bar on w, and a stop
// function; both do nothing when w is not a terminal.
func newProgress(w io.Writer, limit time.Duration, format func(int64) string) (func(vrp.Progress), func()) {
	bar := newTimeBar(w, limit, "searching")
	if bar == nil {
		return nil, func() {}
	}
	return func(p vrp.Progress) {
		state := "best"
		if !p.Feasible {
			state = "best (infeasible)"
		}
		bar.Describe(fmt.Sprintf("%s %s", state, format(p.BestCost)))
	}, bar.Stop
}

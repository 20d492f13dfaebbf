package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/dispatch/vrp/vrpio"
)

// dethloffScale: the VRPSPD benchmark's integer matrix is the real distance
// × 10⁴, while its BKS.tsv holds real distances.
const dethloffScale = 1e4

type benchFlags struct {
	perNode time.Duration
	threads int
	seed    int64
	maxN    int
	// rounding: auto (the set's convention, convention.go), file or dimacs.
	rounding string
}

func newBenchCmd() *cobra.Command {
	var fl benchFlags
	cmd := &cobra.Command{
		Use:   "bench [--time-limit-per-node 0.1s] [--threads 1] [--seed 1] [--max-n N] [--rounding auto|file|dimacs] DIR",
		Short: "Score the optimiser on a benchmark directory: gap to the best-known solutions",
		Long: `Bench solves every instance in DIR that has a best-known solution: a
.vrp file with a .sol beside it (CVRP or the heterogeneous-fleet dialect), or
an instance named in DIR/BKS.tsv (instance, n, bks; the VRPSPD set, whose
BKS are real distances = matrix / 10⁴). Each gets n × --time-limit-per-node
seconds, n being the file's DIMENSION (depot included). Every solution is
checked by the independent validator: an invalid one is reported on standard
error and makes the command fail. The limit covers reading the instance.

The set's rounding convention is read from the set itself (--rounding auto):
DIR/README.md, or the section "## <DIR>/" of DIR/../README.md, naming the
DIMACS convention, or a .sol whose Cost has one decimal, makes VRPTW files
read with distances and times truncated to one decimal (in tenths); else
each file's own convention (EUC_2D rounded to the nearest integer). The
convention used is printed on standard error.

Output: TSV with a header, one row per instance
(instance n cost bks gap_pct seconds, costs in the file's units,
gap_pct = 100 × (cost − bks) / bks), then a "mean" row.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBench(cmd.Context(), args[0], fl, cmd.OutOrStdout(), os.Stderr)
		},
	}
	cmd.Flags().DurationVar(&fl.perNode, "time-limit-per-node", 100*time.Millisecond, "time limit per node of the instance")
	cmd.Flags().IntVar(&fl.threads, "threads", 1, "parallel searches per instance")
	cmd.Flags().Int64Var(&fl.seed, "seed", 1, "random seed")
	cmd.Flags().IntVar(&fl.maxN, "max-n", 0, "skip instances with more nodes than this (0: no limit)")
	cmd.Flags().StringVar(&fl.rounding, "rounding", "auto", "distances: auto (the set's convention), file (nearest integer) or dimacs (one decimal, truncated)")
	return cmd
}

// benchCase is one instance and its best-known cost in the file's units.
type benchCase struct {
	name, path string
	bks        float64
	n          int
	file       *vrpio.VRPLIB
}

func runBench(ctx context.Context, dir string, fl benchFlags, stdout, stderr io.Writer) error {
	if fl.perNode <= 0 || fl.threads < 1 {
		return errors.New("--time-limit-per-node must be positive and --threads at least 1")
	}
	auto, rounding, err := roundingFlag(fl.rounding)
	if err != nil {
		return err
	}
	if auto {
		var why string
		if rounding, why = setRounding(dir); why != "" {
			fmt.Fprintf(stderr, "tongpei bench: DIMACS convention: %s\n", why)
		}
	}
	cases, err := benchCases(dir, rounding)
	if err != nil {
		return err
	}
	if len(cases) == 0 {
		return fmt.Errorf("%s: no instance with a .sol beside it or a BKS.tsv row; point bench at a benchmark directory", dir)
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	fmt.Fprintln(w, "instance\tn\tcost\tbks\tgap_pct\tseconds")
	var gaps, secs float64
	solved, invalid := 0, 0
	for _, c := range cases {
		if fl.maxN > 0 && c.n > fl.maxN {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		limit := time.Duration(c.n) * fl.perNode
		begin := time.Now()
		// Read the file again inside the clock: the limit covers loading.
		file, err := readVRPLIBFile(c.path, rounding)
		if err != nil {
			return err
		}
		c.file = file
		sol, err := vrp.Solve(ctx, c.file.Instance, vrp.Options{TimeLimit: limit, Seed: fl.seed, Threads: fl.threads, Started: begin})
		took := time.Since(begin).Seconds()
		secs += took
		var cost int64
		if err == nil {
			cost, err = vrp.Evaluate(c.file.Instance, sol)
		}
		if err == nil && len(sol.Unassigned) > 0 {
			err = fmt.Errorf("%d customers left unserved", len(sol.Unassigned))
		}
		if err != nil {
			invalid++
			fmt.Fprintf(stderr, "tongpei bench: INVALID SOLUTION for %s: %v\n", c.name, err)
			fmt.Fprintf(w, "%s\t%d\tinvalid\t%s\t-\t%.1f\n", c.name, c.n, fmtCost(c.bks), took)
			w.Flush()
			continue
		}
		real := float64(cost) / float64(c.file.CostDivisor)
		if c.file.Dialect == vrpio.DialectSPD && c.file.CostDivisor == 1 {
			real = float64(cost) / dethloffScale
		}
		gap := 100 * (real - c.bks) / c.bks
		if math.Abs(gap) < 5e-4 {
			gap = 0 // no "-0.000"
		}
		gaps += gap
		solved++
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%.3f\t%.1f\n", c.name, c.n, fmtCost(real), fmtCost(c.bks), gap, took)
		w.Flush()
	}
	mean := "-"
	if solved > 0 {
		mean = fmt.Sprintf("%.3f", gaps/float64(solved))
	}
	fmt.Fprintf(w, "mean\t%d\t-\t-\t%s\t%.1f\n", solved, mean, secs)
	if invalid > 0 {
		w.Flush()
		return fmt.Errorf("%d solutions invalid or incomplete (see above); they score nothing", invalid)
	}
	return nil
}

func fmtCost(x float64) string {
	if x == float64(int64(x)) {
		return strconv.FormatInt(int64(x), 10)
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}

// benchCases lists DIR's instances with a known best cost, smallest first.
func benchCases(dir string, rounding vrpio.Rounding) ([]benchCase, error) {
	var cases []benchCase
	sols, _ := filepath.Glob(filepath.Join(dir, "*.sol"))
	for _, sol := range sols {
		path := strings.TrimSuffix(sol, ".sol") + ".vrp"
		if _, err := os.Stat(path); err != nil {
			continue
		}
		f, err := readVRPLIBFile(path, rounding)
		if err != nil {
			return nil, err
		}
		fh, err := os.Open(sol)
		if err != nil {
			return nil, err
		}
		_, bks, err := f.ReadSolution(fh)
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sol, err)
		}
		cases = append(cases, benchCase{name: filepath.Base(strings.TrimSuffix(sol, ".sol")), path: path, bks: bks, n: f.Instance.N(), file: f})
	}
	more, err := bksTable(dir, rounding)
	if err != nil {
		return nil, err
	}
	cases = append(cases, more...)
	slices.SortFunc(cases, func(a, b benchCase) int {
		if a.n != b.n {
			return a.n - b.n
		}
		return strings.Compare(a.name, b.name)
	})
	return cases, nil
}

// bksTable reads DIR/BKS.tsv (instance, n, bks) when there is one; each
// instance is the file DIR/<instance>.* that ReadVRPLIB reads.
func bksTable(dir string, rounding vrpio.Rounding) ([]benchCase, error) {
	fh, err := os.Open(filepath.Join(dir, "BKS.tsv"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	defer fh.Close()
	var cases []benchCase
	sc := bufio.NewScanner(fh)
	for no := 1; sc.Scan(); no++ {
		f := strings.Split(strings.TrimSpace(sc.Text()), "\t")
		if len(f) < 3 || f[0] == "instance" {
			continue
		}
		bks, err := strconv.ParseFloat(f[2], 64)
		if err != nil || bks <= 0 {
			return nil, fmt.Errorf("BKS.tsv line %d: bks %q is not a positive number", no, f[2])
		}
		matches, _ := filepath.Glob(filepath.Join(dir, f[0]+".*"))
		matches = slices.DeleteFunc(matches, func(p string) bool { return strings.HasSuffix(p, ".sol") })
		if len(matches) != 1 {
			return nil, fmt.Errorf("BKS.tsv line %d: want one instance file %s.*, found %d", no, f[0], len(matches))
		}
		file, err := readVRPLIBFile(matches[0], rounding)
		if err != nil {
			return nil, err
		}
		cases = append(cases, benchCase{name: f[0], path: matches[0], bks: bks, n: file.Instance.N(), file: file})
	}
	return cases, sc.Err()
}

func readVRPLIBFile(path string, rounding vrpio.Rounding) (*vrpio.VRPLIB, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := readVRPLIBAs(data, rounding)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

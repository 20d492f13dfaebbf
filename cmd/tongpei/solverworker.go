package main

import (
	"fmt"
	"log/slog"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/dispatch/solverbus"
)

// newSolverWorkerCmd runs the optimiser as a NATS micro service: serve
// sends its plans' solves there when any worker answers (docs/province.md).
func newSolverWorkerCmd() *cobra.Command {
	var url, jobs, threads string
	cmd := &cobra.Command{
		Use:   "solver-worker",
		Short: "Solve plans for serve over NATS (a queue group of the tongpei-solver micro service)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if url == "" {
				return fmt.Errorf("set TONGPEI_NATS_URL (or --nats-url) to the NATS that serve uses; a worker cannot log in to serve's embedded server")
			}
			var opts solverbus.WorkerOptions
			var err error
			if opts.Jobs, err = positive("TONGPEI_SOLVER_JOBS", jobs); err != nil {
				return err
			}
			if opts.Threads, err = positive("TONGPEI_SOLVER_THREADS", threads); err != nil {
				return err
			}
			return solverbus.Run(cmd.Context(), url, opts, func(w *solverbus.Worker) {
				slog.Info("solver worker is serving", "worker", w.ID(), "nats", url, "jobs", opts.Jobs, "threads", opts.Threads)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&url, "nats-url", env("TONGPEI_NATS_URL", ""), "NATS servers, comma-separated (TONGPEI_NATS_URL)")
	f.StringVar(&jobs, "jobs", env("TONGPEI_SOLVER_JOBS", "1"), "solves at once (TONGPEI_SOLVER_JOBS)")
	f.StringVar(&threads, "threads", env("TONGPEI_SOLVER_THREADS", "1"), "parallel searches per solve at most (TONGPEI_SOLVER_THREADS)")
	return cmd
}

func positive(name, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s=%q: give a whole number from 1", name, v)
	}
	return n, nil
}

// Command tongpei is the county logistics system in one binary: the API
// server, migrations, tokens, the route optimiser's command line and its
// benchmarks.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/internal/logs"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "tongpei:", err)
		os.Exit(1)
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "tongpei",
		Short:         "County logistics: joint delivery, custody of parcels, certified prices",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// Every subcommand logs through the same handler, set before it runs.
	var level, format string
	root.PersistentFlags().StringVar(&level, "log-level", env("TONGPEI_LOG_LEVEL", "info"), "debug, info, warn or error (TONGPEI_LOG_LEVEL)")
	root.PersistentFlags().StringVar(&format, "log-format", env("TONGPEI_LOG_FORMAT", logs.FormatText), "text or json (TONGPEI_LOG_FORMAT)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		l, err := logs.New(cmd.ErrOrStderr(), level, format)
		if err != nil {
			return err
		}
		slog.SetDefault(l)
		return nil
	}
	root.AddCommand(
		// one constructor per subcommand file
		newServeCmd(),
		newMigrateCmd(),
		newTokenCmd(), newLoginLinkCmd(), newCountyCmd(),
		newSolveCmd(), newBenchCmd(),
		newPlanCmd(), newPublishCmd(), newDemoDayCmd(),
		newNATSCredsCmd(),
		newBenchLoadCmd(), newFaultSuiteCmd(), newReconcileCmd(),
		newKPICmd(),
		newOpenAPICmd(),
		newSolverWorkerCmd(),
		newPartitionsCmd(),
		newSimulateCmd(),
	)
	return root
}

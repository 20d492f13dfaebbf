// Command tongpei is the county logistics system in one binary: the API
// server, migrations, tokens, the route optimiser's command line and its
// benchmarks.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
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
	root.AddCommand(
		// one constructor per subcommand file
		newServeCmd(),
		newMigrateCmd(),
		newTokenCmd(), newLoginLinkCmd(),
		newSolveCmd(), newBenchCmd(),
		newPlanCmd(), newDemoDayCmd(),
		newNATSCredsCmd(),
	)
	return root
}

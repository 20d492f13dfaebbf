package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/dispatch"
)

// newPublishCmd is `tongpei publish`: send a day's plan to the fleet and the
// carriers exactly as POST /v1/dispatch/plans/{id}/publish does (through the
// outbox, which the running server relays to NATS).
func newPublishCmd() *cobra.Command {
	var c config
	var date string
	var planID int64
	cmd := &cobra.Command{
		Use:   "publish --date YYYY-MM-DD [--plan ID]",
		Short: "Publish a day's plan (the newest version unless --plan names one): route jobs to the fleet, pickup jobs to the carriers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if date == "" {
				date = time.Now().In(dispatch.County).Format(time.DateOnly)
			}
			return runPublish(cmd.Context(), c, date, planID, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&date, "date", "", "service date YYYY-MM-DD (default: today in Asia/Shanghai)")
	cmd.Flags().Int64Var(&planID, "plan", 0, "the plan id to publish (default: the date's newest version)")
	addConfigFlags(cmd, &c, false)
	return cmd
}

func runPublish(ctx context.Context, c config, date string, planID int64, stdout, stderr io.Writer) error {
	pool, err := openExisting(ctx, stderr, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	store := dispatch.NewService(pool)
	if planID == 0 {
		plans, err := store.Plans(ctx, date)
		if err != nil {
			return err
		}
		if len(plans) == 0 {
			return fmt.Errorf("%s has no plan yet; run: tongpei plan --date %s", date, date)
		}
		planID = plans[0].ID
	}
	jobs, err := store.Publish(ctx, planID)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		fmt.Fprintf(stdout, "%s job %s to %s on %s\n", j.Kind, j.ID, j.Recipient, j.Subject)
	}
	_, err = fmt.Fprintf(stdout, "Published plan %d of %s: %d jobs; carriers acknowledge them over NATS (or POST /v1/dispatch/jobs/{id}/ack)\n", planID, date, len(jobs))
	return err
}

package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/internal/pg"
)

func newMigrateCmd() *cobra.Command {
	var c config
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Create the database if missing and apply every migration (serve does this too)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pool, err := pg.Open(cmd.Context(), c.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			fmt.Fprintln(cmd.ErrOrStderr(), "database is up to date")
			return nil
		},
	}
	addConfigFlags(cmd, &c, false)
	return cmd
}

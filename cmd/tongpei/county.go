package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/internal/tenant"
)

// newCountyCmd keeps the province's registry of counties (issue 18): each
// county's data, tokens and logins are bound to its GB/T 2260 code.
func newCountyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "county", Short: "Register and list the counties of a province install"}
	cmd.AddCommand(newCountyAddCmd(), newCountyListCmd())
	return cmd
}

func newCountyAddCmd() *cobra.Command {
	var c config
	var name string
	cmd := &cobra.Command{
		Use:   "add CODE [--name TEXT]",
		Short: "Register a county by its six-digit GB/T 2260 code (e.g. 530428)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := tenant.Check(args[0]); err != nil {
				return fmt.Errorf("%q is not a six-digit GB/T 2260 county code (e.g. 530427)", args[0])
			}
			pool, err := openExisting(cmd.Context(), cmd.ErrOrStderr(), c.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			county, err := tenant.NewRegistry(pool).Add(cmd.Context(), args[0], name)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "county %s registered; make its admin token with `tongpei token create --role admin --county %s`\n", county.Code, county.Code)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the county's name, e.g. 元江县")
	addConfigFlags(cmd, &c, false)
	return cmd
}

func newCountyListCmd() *cobra.Command {
	var c config
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the registered counties",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pool, err := openExisting(cmd.Context(), cmd.ErrOrStderr(), c.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			list, err := tenant.NewRegistry(pool).List(tenant.WithProvince(cmd.Context()))
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "CODE\tNAME\tREGISTERED")
			for _, cty := range list {
				fmt.Fprintf(w, "%s\t%s\t%s\n", cty.Code, cty.Name, cty.CreatedAt.Format("2006-01-02"))
			}
			return w.Flush()
		},
	}
	addConfigFlags(cmd, &c, false)
	return cmd
}

package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/tenant"
	"github.com/tongpei/tongpei/stations"
)

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Create, list and revoke API tokens"}
	cmd.AddCommand(newTokenCreateCmd(), newTokenListCmd(), newTokenRevokeCmd())
	return cmd
}

func newTokenCreateCmd() *cobra.Command {
	var c config
	var role, station, carrier, merchant, name, county string
	cmd := &cobra.Command{
		Use:   "create --role admin|keeper|carrier|merchant [--station CODE|--carrier CODE|--merchant ID] [--name TEXT] [--county CODE|province]",
		Short: "Create a token and print it, alone, on stdout (it is never shown again)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := auth.ParseRole(role)
			if err != nil {
				return err
			}
			scope, err := scopeFor(r, station, carrier, merchant)
			if err != nil {
				return err
			}
			ctx, err := countyContext(cmd.Context(), county)
			if err != nil {
				return err
			}
			cmd.SetContext(ctx)
			pool, err := openExisting(cmd.Context(), cmd.ErrOrStderr(), c.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			if err := stations.NewRegistry(pool).CheckScope(cmd.Context(), r, scope); err != nil {
				return err
			}
			secret, _, err := auth.NewStore(pool).Create(cmd.Context(), r, scope, name)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), secret)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&role, "role", "", "admin, keeper, carrier or merchant")
	f.StringVar(&station, "station", "", "station code a keeper token is bound to")
	f.StringVar(&carrier, "carrier", "", "carrier code a carrier token is bound to")
	f.StringVar(&merchant, "merchant", "", "merchant id a merchant token is bound to")
	f.StringVar(&name, "name", "", "who holds the token, for the list")
	f.StringVar(&county, "county", "", "the county (GB/T 2260 code) the token works for, or province for a province administrator; default TONGPEI_COUNTY or 530427")
	cmd.MarkFlagRequired("role")
	addConfigFlags(cmd, &c, false)
	return cmd
}

// scopeFor picks the one binding flag that fits the role.
func scopeFor(r auth.Role, station, carrier, merchant string) (string, error) {
	want := map[auth.Role]string{auth.Keeper: station, auth.Carrier: carrier, auth.Merchant: merchant}
	flag := map[auth.Role]string{auth.Keeper: "--station", auth.Carrier: "--carrier", auth.Merchant: "--merchant"}
	given := 0
	for _, v := range []string{station, carrier, merchant} {
		if v != "" {
			given++
		}
	}
	if r == auth.Admin {
		if given > 0 {
			return "", fmt.Errorf("an admin token is not bound to anything; drop --station/--carrier/--merchant")
		}
		return "", nil
	}
	if want[r] == "" || given != 1 {
		return "", fmt.Errorf("a %s token needs %s and no other binding", r, flag[r])
	}
	return want[r], nil
}

func newTokenListCmd() *cobra.Command {
	var c config
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List tokens (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pool, err := openExisting(cmd.Context(), cmd.ErrOrStderr(), c.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			ts, err := auth.NewStore(pool).List(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tPREFIX\tROLE\tSCOPE\tNAME\tCREATED\tREVOKED")
			for _, t := range ts {
				revoked := ""
				if t.RevokedAt != nil {
					revoked = t.RevokedAt.Format("2006-01-02 15:04")
				}
				fmt.Fprintf(w, "%d\t%s…\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Prefix, t.Role, t.Scope, t.Name, t.CreatedAt.Format("2006-01-02 15:04"), revoked)
			}
			return w.Flush()
		},
	}
	addConfigFlags(cmd, &c, false)
	return cmd
}

func newTokenRevokeCmd() *cobra.Command {
	var c config
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a token by its id (see token list)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return fmt.Errorf("token id %q is not a number; see `tongpei token list`", args[0])
			}
			pool, err := openExisting(cmd.Context(), cmd.ErrOrStderr(), c.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			return auth.NewStore(pool).Revoke(cmd.Context(), id)
		},
	}
	addConfigFlags(cmd, &c, false)
	return cmd
}

// countyContext is ctx working for the county a --county flag names: a
// six-digit code, "province" (or "*") for the whole province, or, empty,
// the install's own county.
func countyContext(ctx context.Context, county string) (context.Context, error) {
	switch county {
	case "":
		return tenant.With(ctx, tenant.Default()), nil
	case "province", tenant.Province:
		return tenant.WithProvince(ctx), nil
	}
	if err := tenant.Check(county); err != nil {
		return nil, fmt.Errorf("--county %q is not a six-digit GB/T 2260 code (e.g. 530427) or province", county)
	}
	return tenant.With(ctx, county), nil
}

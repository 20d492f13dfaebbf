package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/tenant"
	"github.com/tongpei/tongpei/stations"
)

// newNATSCredsCmd issues, lists and revokes a carrier's login to the
// embedded NATS, the same as POST/GET/DELETE
// /v1/carriers/{code}/nats-credentials, for an operator at the server.
func newNATSCredsCmd() *cobra.Command {
	var c config
	var carrier, name, county string
	var list, asJSON bool
	var revoke int64
	cmd := &cobra.Command{
		Use:   "nats-creds --carrier CODE [--county CODE|'*'] [--name TEXT] [--json] | --list | --revoke ID",
		Short: "Issue (default), list or revoke a carrier's NATS login to the embedded NATS",
		Long: `Issue prints the user, password and URL once; only a hash is kept.
A carrier's login may subscribe tongpei.parcel.<code>.> and tongpei.dispatch.<code>.>
and publish tongpei.carrier.<code>.> only (docs/nats-permissions.md).
With per-county subjects (TONGPEI_SUBJECT_COUNTY=1) a login works for one
county (--county, default the install's own) or, with --county '*', for every
county where the carrier is registered and active: one login for a carrier
serving several counties.
A revocation here takes effect at the carrier's next connect; revoke over the
API to drop its open connections at once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if c.NATSURL != "" {
				return fmt.Errorf("TONGPEI_NATS_URL points at an external NATS: give carriers users in that server's configuration (docs/nats-permissions.md)")
			}
			if carrier == "" {
				return fmt.Errorf("say which carrier with --carrier CODE")
			}
			if county != tenant.Province && tenant.Check(county) != nil {
				return fmt.Errorf("--county %q: give a six-digit GB/T 2260 code (e.g. 530427), or '*' for every county the carrier serves", county)
			}
			ctx := tenant.With(cmd.Context(), county)
			pool, err := openExisting(cmd.Context(), cmd.ErrOrStderr(), c.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			registry := stations.NewRegistry(pool)
			creds := bus.NewCarrierCredentials(pool)
			creds.PerCounty(c.layout(), registry.CarrierCounties)
			out := cmd.OutOrStdout()
			switch {
			case list:
				return printNATSCreds(ctx, creds, carrier, out)
			case revoke != 0:
				return creds.Revoke(ctx, carrier, revoke)
			}
			if err := registry.CheckScope(ctx, auth.Carrier, carrier); err != nil {
				return err
			}
			creds.SetURL(advertisedNATSURL(c.NATSAdvertise, c.NATSListen))
			cred, err := creds.Issue(ctx, carrier, name)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(cred)
			}
			fmt.Fprintf(out, "user          %s\npassword      %s\nurl           %s\ncounty        %s\ninbox prefix  %s\npublish       %s\nsubscribe     %s\n",
				cred.User, cred.Password, cred.URL, cred.County, cred.Subjects.InboxPrefix,
				strings.Join(cred.Subjects.Publish, " "), strings.Join(cred.Subjects.Subscribe, " "))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&carrier, "carrier", "", "carrier code")
	f.StringVar(&name, "name", "", "who holds the login, for the list")
	f.StringVar(&county, "county", tenant.Default(), "the county the login works for (TONGPEI_COUNTY by default), or '*' for every county the carrier serves")
	f.BoolVar(&asJSON, "json", false, "print the new login as JSON, as the API answers it")
	f.BoolVar(&list, "list", false, "list the carrier's logins (never their passwords)")
	f.Int64Var(&revoke, "revoke", 0, "revoke the login with this id (see --list)")
	addConfigFlags(cmd, &c, false)
	f.StringVar(&c.NATSURL, "nats-url", env("TONGPEI_NATS_URL", ""), "external NATS URL (TONGPEI_NATS_URL); logins are issued only for the embedded NATS")
	f.StringVar(&c.NATSListen, "nats-listen", env("TONGPEI_NATS_LISTEN", bus.DefaultListen), "where the embedded NATS listens for carriers (TONGPEI_NATS_LISTEN)")
	addAdvertiseFlag(cmd, &c)
	addLayoutFlag(cmd, &c)
	return cmd
}

func printNATSCreds(ctx context.Context, creds *bus.CarrierCredentials, carrier string, out io.Writer) error {
	list, err := creds.List(ctx, carrier)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tUSER\tCOUNTY\tPREFIX\tNAME\tCREATED\tREVOKED")
	for _, c := range list {
		revoked := ""
		if c.RevokedAt != nil {
			revoked = c.RevokedAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s…\t%s\t%s\t%s\n", c.ID, c.User, c.County, c.Prefix, c.Name, c.CreatedAt.Format("2006-01-02 15:04"), revoked)
	}
	return w.Flush()
}

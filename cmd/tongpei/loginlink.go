package main

import (
	"fmt"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"
	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/stations"
)

// newLoginLinkCmd issues a one-time sign-in link: a QR code for the phone to
// scan, a line saying whom it signs in, and the URL alone on the last line
// of stdout for scripts.
func newLoginLinkCmd() *cobra.Command {
	var c config
	var role, station, carrier, merchant, name, base string
	var ttl time.Duration
	cmd := &cobra.Command{
		Use:   "login-link (--station CODE | --role carrier --carrier CODE | --role merchant --merchant ID | --role admin) [--name 李四]",
		Short: "Issue a one-time sign-in link (valid 24 h) and print it as a QR code and a URL",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := roleFor(role, station, carrier, merchant)
			if err != nil {
				return err
			}
			scope, err := scopeFor(r, station, carrier, merchant)
			if err != nil {
				return err
			}
			pool, err := openExisting(cmd.Context(), cmd.ErrOrStderr(), c.DatabaseURL)
			if err != nil {
				return err
			}
			defer pool.Close()
			registry := stations.NewRegistry(pool)
			if err := registry.CheckScope(cmd.Context(), r, scope); err != nil {
				return err
			}
			if strings.TrimSpace(name) == "" {
				name = registry.PersonOf(cmd.Context(), r, scope)
			}
			l, err := auth.NewStore(pool).IssueLink(cmd.Context(), auth.LinkRequest{Role: r, Scope: scope, Name: name, IssuedBy: "cli", TTL: ttl})
			if err != nil {
				return err
			}
			url := l.URL(base)
			qr, err := qrcode.New(url, qrcode.Medium)
			if err != nil {
				return fmt.Errorf("cannot draw the QR code: %w", err)
			}
			out := cmd.OutOrStdout()
			fmt.Fprint(out, qr.ToSmallString(false))
			who := string(r)
			if scope != "" {
				who += " " + scope
			}
			fmt.Fprintf(out, "sign-in link for %s (%s), valid once until %s\n", l.Name, who, l.ExpiresAt.UTC().Format(time.RFC3339))
			fmt.Fprintln(out, url)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&role, "role", "", "admin, keeper, carrier or merchant (default: keeper with --station)")
	f.StringVar(&station, "station", "", "station code a keeper signs in to")
	f.StringVar(&carrier, "carrier", "", "carrier code a carrier signs in for")
	f.StringVar(&merchant, "merchant", "", "merchant id a merchant signs in for")
	f.StringVar(&name, "name", "", "the person who will sign in (default: the station's keeper or the merchant's contact)")
	f.StringVar(&base, "base-url", env("TONGPEI_PUBLIC_URL", "http://"+env("TONGPEI_ADDR", "127.0.0.1:8080")),
		"where phones reach the server (TONGPEI_PUBLIC_URL), e.g. http://192.168.1.10:8080")
	f.DurationVar(&ttl, "ttl", auth.LinkTTL, "how long the link may wait to be opened, at most 24h")
	addConfigFlags(cmd, &c, false)
	return cmd
}

// roleFor reads the role from --role, or from the one binding flag given.
func roleFor(role, station, carrier, merchant string) (auth.Role, error) {
	if role != "" {
		return auth.ParseRole(role)
	}
	switch {
	case station != "" && carrier == "" && merchant == "":
		return auth.Keeper, nil
	case carrier != "" && station == "" && merchant == "":
		return auth.Carrier, nil
	case merchant != "" && station == "" && carrier == "":
		return auth.Merchant, nil
	}
	return "", fmt.Errorf("say whom the link signs in: --station CODE for a keeper, or --role admin|carrier|merchant with --carrier CODE or --merchant ID")
}

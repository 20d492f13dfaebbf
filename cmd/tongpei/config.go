package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spf13/cobra"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/pg"
)

// config is the whole configuration: every field comes from its environment
// variable, and a flag of the same name overrides it.
type config struct {
	DatabaseURL string
	NATSURL     string
	NATSListen  string
	// NATSSyncAlways: the embedded JetStream fsyncs each message before
	// acknowledging it (TONGPEI_NATS_SYNC=always).
	NATSSyncAlways bool
	Addr           string
	DataDir        string
	// NATSAdvertise is the NATS URL handed to carriers when the address
	// they reach differs from the listen address (NAT, DNS name, 0.0.0.0).
	NATSAdvertise string
	// TLSCert and TLSKey, both set, make serve answer HTTPS itself; without
	// them put a reverse proxy in front (docs/deploy.md).
	TLSCert, TLSKey string
	// NATSReplicas is how many servers of a JetStream cluster store each
	// stream (TONGPEI_NATS_REPLICAS, checked by streamReplicas).
	NATSReplicas string
	// DatabaseReplicaURL is a streaming replica for report reads that
	// tolerate lag (TONGPEI_DATABASE_REPLICA_URL); empty: all on the primary.
	DatabaseReplicaURL string
	// SubjectCounty puts the county in the NATS subjects,
	// tongpei.<county>.parcel.… (TONGPEI_SUBJECT_COUNTY=1): a province's
	// deployment, docs/nats-permissions.md.
	SubjectCounty bool
}

// layout is the NATS subjects' layout the configuration asks for.
func (c config) layout() bus.Layout { return bus.Layout{PerCounty: c.SubjectCounty} }

// addLayoutFlag is shared by every command that makes streams or logins.
func addLayoutFlag(cmd *cobra.Command, c *config) {
	cmd.Flags().BoolVar(&c.SubjectCounty, "subject-county", bus.LayoutFromEnv().PerCounty,
		"NATS subjects carry the county, tongpei.<county>.parcel.<carrier>.<event> (TONGPEI_SUBJECT_COUNTY=1); default the single-county tongpei.parcel.<carrier>.<event>")
}

// addConfigFlags binds the settings to flags whose defaults come from the
// environment, so `TONGPEI_ADDR=… tongpei serve` and `tongpei serve --addr …`
// mean the same.
func addConfigFlags(cmd *cobra.Command, c *config, withServer bool) {
	f := cmd.Flags()
	f.StringVar(&c.DatabaseURL, "database-url", env("TONGPEI_DATABASE_URL", pg.DefaultURL), "PostgreSQL URL (TONGPEI_DATABASE_URL); serve and migrate create the database if missing, other commands refuse")
	if !withServer {
		return
	}
	f.StringVar(&c.DatabaseReplicaURL, "database-replica-url", env("TONGPEI_DATABASE_REPLICA_URL", ""), "PostgreSQL replica for report reads that may lag (TONGPEI_DATABASE_REPLICA_URL); empty: every read on the primary")
	f.StringVar(&c.NATSURL, "nats-url", env("TONGPEI_NATS_URL", ""), "external NATS URL (TONGPEI_NATS_URL); empty starts an embedded NATS with JetStream")
	f.StringVar(&c.NATSListen, "nats-listen", env("TONGPEI_NATS_LISTEN", bus.DefaultListen), "where the embedded NATS listens for carriers (TONGPEI_NATS_LISTEN)")
	f.BoolVar(&c.NATSSyncAlways, "nats-sync-always", env("TONGPEI_NATS_SYNC", "") == "always", "embedded JetStream fsyncs every message before acknowledging it (TONGPEI_NATS_SYNC=always; default every 2 minutes)")
	f.StringVar(&c.Addr, "addr", env("TONGPEI_ADDR", "127.0.0.1:8080"), "HTTP listen address (TONGPEI_ADDR)")
	f.StringVar(&c.DataDir, "data-dir", env("TONGPEI_DATA_DIR", "./var"), "data directory for the embedded NATS store (TONGPEI_DATA_DIR)")
	f.StringVar(&c.NATSReplicas, "nats-replicas", env("TONGPEI_NATS_REPLICAS", ""), "servers of the JetStream cluster that store each stream, 1 to 5 (TONGPEI_NATS_REPLICAS); empty: new streams 1, existing ones keep theirs")
	addAdvertiseFlag(cmd, c)
	addLayoutFlag(cmd, c)
	f.StringVar(&c.TLSCert, "tls-cert", env("TONGPEI_TLS_CERT", ""), "PEM certificate file for HTTPS (TONGPEI_TLS_CERT); empty serves plain HTTP")
	f.StringVar(&c.TLSKey, "tls-key", env("TONGPEI_TLS_KEY", ""), "PEM private key file for HTTPS (TONGPEI_TLS_KEY)")
}

// addAdvertiseFlag is shared by serve and nats-creds: both issue logins.
func addAdvertiseFlag(cmd *cobra.Command, c *config) {
	cmd.Flags().StringVar(&c.NATSAdvertise, "nats-advertise", env("TONGPEI_NATS_ADVERTISE", ""),
		"NATS URL written into carriers' logins, e.g. nats://192.168.1.10:4223 (TONGPEI_NATS_ADVERTISE); default: the listen address, or this machine's LAN address when it listens on 0.0.0.0")
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// openExisting opens the county's database for a command that works on its
// data: it says on stderr which database that is and refuses to create one
// (only serve and migrate do), so a shell without the server's environment
// cannot plan or issue tokens against an empty county by mistake.
func openExisting(ctx context.Context, stderr io.Writer, url string) (*pgxpool.Pool, error) {
	fmt.Fprintln(stderr, "database:", pg.Describe(url))
	return pg.OpenExisting(ctx, url)
}

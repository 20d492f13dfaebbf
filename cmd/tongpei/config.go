package main

import (
	"os"

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
	Addr        string
	DataDir     string
}

// addConfigFlags binds the settings to flags whose defaults come from the
// environment, so `TONGPEI_ADDR=… tongpei serve` and `tongpei serve --addr …`
// mean the same.
func addConfigFlags(cmd *cobra.Command, c *config, withServer bool) {
	f := cmd.Flags()
	f.StringVar(&c.DatabaseURL, "database-url", env("TONGPEI_DATABASE_URL", pg.DefaultURL), "PostgreSQL URL (TONGPEI_DATABASE_URL); the database is created if missing")
	if !withServer {
		return
	}
	f.StringVar(&c.NATSURL, "nats-url", env("TONGPEI_NATS_URL", ""), "external NATS URL (TONGPEI_NATS_URL); empty starts an embedded NATS with JetStream")
	f.StringVar(&c.NATSListen, "nats-listen", env("TONGPEI_NATS_LISTEN", bus.DefaultListen), "where the embedded NATS listens for carriers (TONGPEI_NATS_LISTEN)")
	f.StringVar(&c.Addr, "addr", env("TONGPEI_ADDR", "127.0.0.1:8080"), "HTTP listen address (TONGPEI_ADDR)")
	f.StringVar(&c.DataDir, "data-dir", env("TONGPEI_DATA_DIR", "./var"), "data directory for the embedded NATS store (TONGPEI_DATA_DIR)")
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/stations"
)

// scratchCounty is a database of its own holding the demonstration county,
// for the commands that drive a server of their own (bench-load,
// fault-suite): its villages, an admin token and the token store.
type scratchCounty struct {
	name, url string
	tool      string // the command, in token names and messages
	pool      *pgxpool.Pool
	villages  []stations.Station
	tokens    *auth.Store
	admin     string
}

// openScratchCounty creates tongpei_<tag>_<unix time> beside databaseURL
// and loads the demonstration county into it; close drops it.
func openScratchCounty(ctx context.Context, databaseURL, tag, tool string) (*scratchCounty, error) {
	name := fmt.Sprintf("tongpei_%s_%d", tag, time.Now().Unix())
	url, err := withDatabase(databaseURL, name)
	if err != nil {
		return nil, err
	}
	pool, err := pg.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	sc := &scratchCounty{name: name, url: url, tool: tool, pool: pool, tokens: auth.NewStore(pool)}
	if err := sc.load(ctx); err != nil {
		sc.close(ctx)
		return nil, err
	}
	return sc, nil
}

func (sc *scratchCounty) load(ctx context.Context) error {
	if err := loadDemoCounty(ctx, sc.pool); err != nil {
		return fmt.Errorf("loading the demonstration county: %w", err)
	}
	villages, _, err := stations.NewRegistry(sc.pool).Stations(ctx, auth.Principal{Role: auth.Admin}, stations.StationFilter{Tier: stations.Village}, stations.Page{Limit: 1000})
	if err != nil {
		return err
	}
	sc.villages = villages
	sc.admin, _, err = sc.tokens.Create(ctx, auth.Admin, "", sc.tool)
	return err
}

// close drops the scratch database (after the server that used it stopped).
func (sc *scratchCounty) close(ctx context.Context) {
	sc.pool.Close()
	if err := pg.DropDatabase(context.WithoutCancel(ctx), sc.url); err != nil {
		fmt.Fprintf(os.Stderr, "%s: cannot drop %s: %v; drop it by hand\n", sc.tool, sc.name, err)
	}
}

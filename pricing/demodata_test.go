package pricing_test

import (
	"context"
	"testing"

	"github.com/tongpei/tongpei/demo"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
	"github.com/tongpei/tongpei/pricing"
	"github.com/tongpei/tongpei/stations"
)

// TestLoadDemoOverTheDemoCounty loads the registry's demonstration county,
// then the demonstration prices twice (the second load adds nothing), and
// quotes for every firm of the county.
func TestLoadDemoOverTheDemoCounty(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	if err := demo.LoadRegistry(ctx, stations.NewRegistry(pool)); err != nil {
		t.Fatal(err)
	}
	svc := pricing.NewService(pool)
	for range 2 {
		if err := pricing.LoadDemo(ctx, svc); err != nil {
			t.Fatal(err)
		}
	}
	var express, cards, certs, registered int
	for sql, n := range map[string]*int{
		`SELECT count(*) FROM carriers WHERE kind = 'express' AND active`: &express,
		`SELECT count(*) FROM pricing_rate_cards`:                         &cards,
		`SELECT count(*) FROM certifications WHERE state = 'certified'`:   &certs,
		`SELECT count(*) FROM merchants WHERE registered_in_county`:       &registered,
	} {
		if err := pool.QueryRow(ctx, sql).Scan(n); err != nil {
			t.Fatal(err)
		}
	}
	if express < 6 || cards != express || certs != registered || certs == 0 {
		t.Fatalf("%d express carriers, %d cards, %d certified of %d registered firms", express, cards, certs, registered)
	}
	rows, err := pool.Query(ctx, `SELECT id, registered_in_county FROM merchants`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var registered bool
		if err := rows.Scan(&id, &registered); err != nil {
			t.Fatal(err)
		}
		q, err := svc.Quote(ctx, pricing.QuoteRequest{MerchantID: id, WeightG: 5000,
			Destination: pricing.Destination{Province: "上海市"}, Category: pricing.FarmProduce})
		if err != nil {
			t.Fatal(err)
		}
		if len(q.Lines) != express {
			t.Fatalf("%d lines, want %d", len(q.Lines), express)
		}
		for _, l := range q.Lines {
			if l.Certified != registered || (registered && l.SavingPct < 10) {
				t.Errorf("%s by %s: %+v", id, l.Carrier, l)
			}
		}
	}
}

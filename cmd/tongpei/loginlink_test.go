package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/internal/pg"
	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

// TestLoginLinkPrintsQRAndURLLast issues a keeper's link from the command
// line: a QR code, then the URL alone on the last line, which redeems once.
func TestLoginLinkPrintsQRAndURLLast(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.URL(t)
	ctx := context.Background()
	pool, err := pg.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `
		INSERT INTO stations (code, name, tier, parent, township, lon, lat, keeper_name) VALUES
		    ('HUB', 'County hub', 'county_hub', NULL, '', 101.98, 24.06, ''),
		    ('V1', 'Village 1', 'village', 'HUB', 'T1', 101.82, 23.90, '张三')`); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		root := newRootCmd()
		root.SetOut(&out)
		root.SetArgs(append(append([]string{"login-link"}, args...), "--database-url", dbURL, "--base-url", "http://10.0.0.5:8080"))
		err := root.ExecuteContext(ctx)
		return out.String(), err
	}
	out, err := run("--station", "V1")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "http://10.0.0.5:8080/login#tl_") || len(lines) < 20 || !strings.ContainsRune(out, '█') {
		t.Fatalf("output:\n%s", out)
	}
	if !strings.Contains(out, "张三") {
		t.Errorf("the link does not default to the station's keeper:\n%s", out)
	}
	_, secret, _ := strings.Cut(last, "#")
	_, ses, err := auth.NewStore(pool).Redeem(ctx, secret)
	if err != nil || ses.Role != auth.Keeper || ses.Scope != "V1" || ses.Person != "张三" {
		t.Fatalf("redeemed %+v, %v", ses, err)
	}

	for _, bad := range [][]string{{"--station", "NOPE"}, {}, {"--role", "carrier"}, {"--role", "admin", "--station", "V1"}, {"--station", "V1", "--ttl", "48h"}} {
		if _, err := run(bad...); err == nil {
			t.Errorf("login-link %v succeeded", bad)
		}
	}
	if out, err := run("--role", "admin", "--name", "王主任"); err != nil || !strings.Contains(out, "王主任 (admin)") {
		t.Errorf("admin link: %v\n%s", err, out)
	}
}

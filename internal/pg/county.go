package pg

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/tenant"
)

// AppRole is the role the pool works as (migration 00170): it owns no
// table, so PostgreSQL's row-level security applies to it, even when the
// login user is a superuser or the tables' owner (both bypass RLS).
const AppRole = "tongpei_app"

// countyHooks makes every connection of a pool work as AppRole for the
// county of the context it is acquired with (tenant.From): the session
// setting tongpei.county, which the row-level security policies and the
// columns' defaults read. A context that names no county works for the
// install's own county (tenant.Default), so code and tools that know
// nothing of counties keep working on a single-county install; everything
// reached from a request carries the county of its token.
//
// A connection keeps its county between acquires, so a single-county
// install, or a burst of one county's requests, pays no round trip.
type countyHooks struct {
	mu     sync.Mutex
	county map[*pgx.Conn]string
}

func secure(cfg *pgxpool.Config) {
	h := &countyHooks{county: map[*pgx.Conn]string{}}
	cfg.AfterConnect = h.afterConnect
	cfg.PrepareConn = h.prepare
	cfg.BeforeClose = h.forget
}

// afterConnect switches to the app role and the default county. Before
// migration 00170 has run there is no role to switch to; the connection
// then stays its login user, and Open resets the pool after migrating.
func (h *countyHooks) afterConnect(ctx context.Context, conn *pgx.Conn) error {
	county := tenant.Default()
	_, err := conn.Exec(ctx, `SELECT set_config('tongpei.county', $1, false),
		CASE WHEN to_regclass('public.counties') IS NOT NULL AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $2)
		     THEN set_config('role', $2, false) END`, county, AppRole)
	if err != nil {
		return fmt.Errorf("cannot work as %s: %w; run `tongpei migrate`, or GRANT %s TO the login user", AppRole, err, AppRole)
	}
	h.mu.Lock()
	h.county[conn] = county
	h.mu.Unlock()
	return nil
}

// prepare gives the connection the county of the acquiring context.
func (h *countyHooks) prepare(ctx context.Context, conn *pgx.Conn) (bool, error) {
	want := tenant.From(ctx)
	if want == "" {
		want = tenant.Default()
	}
	h.mu.Lock()
	have := h.county[conn]
	h.mu.Unlock()
	if have == want {
		return true, nil
	}
	if _, err := conn.Exec(ctx, `SELECT set_config('tongpei.county', $1, false)`, want); err != nil {
		// the connection's county is unknown now: never hand it out again
		return false, fmt.Errorf("setting the county of a database connection: %w", err)
	}
	h.mu.Lock()
	h.county[conn] = want
	h.mu.Unlock()
	return true, nil
}

func (h *countyHooks) forget(conn *pgx.Conn) {
	h.mu.Lock()
	delete(h.county, conn)
	h.mu.Unlock()
}

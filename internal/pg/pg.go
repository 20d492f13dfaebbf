// Package pg owns tongpei's connection to PostgreSQL: it creates the database
// when missing, opens the pool and applies the embedded migrations.
package pg

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultURL works on a machine with PostgreSQL on localhost and trust auth.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/tongpei?sslmode=disable"

// Open makes sure the database in url exists, opens a pool to it and migrates
// it to the newest schema.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	if err := EnsureDatabase(ctx, url); err != nil {
		return nil, err
	}
	return connectMigrated(ctx, url)
}

// connectMigrated opens a pool to an existing database and brings its
// schema up to date: the shared tail of Open and OpenExisting.
func connectMigrated(ctx context.Context, url string) (*pgxpool.Pool, error) {
	pool, err := Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := Migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	// Connections opened before the migrations made the app role work as
	// the login user, whom row-level security does not hold: start afresh.
	pool.Reset()
	// Every command that opens the database may write scans or events,
	// so each makes sure the coming months have their partitions.
	if _, err := EnsurePartitions(ctx, pool, time.Now()); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// Connect opens a pool and checks that the server answers.
func Connect(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database URL %q is not valid (%w); set TONGPEI_DATABASE_URL to postgres://user@host:port/db?sslmode=disable", redact(url), err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	secure(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("cannot open database %s: %w", redact(url), err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %v; start it or set TONGPEI_DATABASE_URL", redact(url), shortErr(err))
	}
	return pool, nil
}

// EnsureDatabase creates the database named in url if the server does not
// have it yet, connecting to the server's "postgres" database to do so.
func EnsureDatabase(ctx context.Context, rawURL string) error {
	return withServer(ctx, rawURL, func(ctx context.Context, conn *pgx.Conn, name string, exists bool) error {
		if exists {
			return nil
		}
		_, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // created meanwhile by another process
			return nil
		}
		if err != nil {
			return fmt.Errorf("cannot create database %q: %w; create it by hand or grant CREATEDB", name, err)
		}
		return nil
	})
}

// OpenExisting is Open for the commands that work on a county's data but
// must not start a new county: a typo in TONGPEI_DATABASE_URL, or a shell
// without the server's environment, then fails naming the database instead
// of planning an empty one. Only serve and migrate create databases.
func OpenExisting(ctx context.Context, url string) (*pgxpool.Pool, error) {
	err := withServer(ctx, url, func(_ context.Context, _ *pgx.Conn, name string, exists bool) error {
		if !exists {
			return fmt.Errorf("database %q does not exist at %s; run `tongpei serve` or `tongpei migrate` with the same TONGPEI_DATABASE_URL first", name, redact(url))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return connectMigrated(ctx, url)
}

// Describe is the database a command works on, password hidden, for the
// line commands print before they touch it.
func Describe(rawURL string) string { return redact(rawURL) }

// withServer connects to the server's "postgres" database and tells fn
// whether the database named in rawURL exists. A URL naming "postgres"
// itself (or none) always exists.
func withServer(ctx context.Context, rawURL string, fn func(ctx context.Context, conn *pgx.Conn, name string, exists bool) error) error {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return fmt.Errorf("database URL %q is not valid (%w); set TONGPEI_DATABASE_URL to postgres://user@host:port/db?sslmode=disable", redact(rawURL), err)
	}
	name := cfg.Database
	if name == "" || name == "postgres" {
		return nil
	}
	cfg.Database = "postgres"
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(cctx, cfg)
	if err != nil {
		return fmt.Errorf("cannot reach PostgreSQL at %s: %v; start it or set TONGPEI_DATABASE_URL", redact(rawURL), shortErr(err))
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(cctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("cannot check for database %q: %w", name, err)
	}
	return fn(cctx, conn, name, exists)
}

// redact hides a password in a URL before it reaches a log or a message.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// shortErr puts a multi-line driver error on one line.
func shortErr(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// DropDatabase drops the database named in url, for tools that make a
// scratch database of their own (tongpei bench-load); connections to it
// are ended first.
func DropDatabase(ctx context.Context, url string) error {
	return withServer(ctx, url, func(ctx context.Context, conn *pgx.Conn, name string, exists bool) error {
		if !exists {
			return nil
		}
		_, err := conn.Exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		return err
	})
}

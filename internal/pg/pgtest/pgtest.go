// Package pgtest gives tests their own PostgreSQL database, copied from a
// migrated template so that each one starts from the real schema in
// milliseconds and never sees another test's rows. Only _test.go files may
// import it.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/tongpei/tongpei/internal/pg"
)

// ServerURL is the server tests use; TONGPEI_TEST_DATABASE_URL overrides it.
func ServerURL() string {
	if u := os.Getenv("TONGPEI_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// URL creates a fresh, migrated database for t, drops it when t ends and
// returns its URL. Use it where code under test opens its own pool.
func URL(t testing.TB) string {
	t.Helper()
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate() })
	if templateErr != nil {
		t.Fatalf("pgtest: %v", templateErr)
	}
	name := "tongpei_test_" + randomSuffix()
	ctx := context.Background()
	admin := connectAdmin(t)
	defer admin.Close(ctx)
	var err error
	for attempt := 0; attempt < 50; attempt++ {
		_, err = admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, templateName))
		if !isBusy(err) {
			break
		}
		time.Sleep(time.Duration(20+attempt*10) * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		c := connectAdmin(t)
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return withDatabase(ServerURL(), name)
}

// Pool is URL plus an open pool that is closed when t ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pg.Connect(context.Background(), URL(t))
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(pool.Close) // registered after the drop, so it runs before it
	// The template may be older than this month: give the copy its months.
	if _, err := pg.EnsurePartitions(context.Background(), pool, time.Now()); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return pool
}

// ensureTemplate makes the migrated template database once per schema
// version: its name carries a hash of the migration files, and an advisory
// lock keeps parallel test binaries from building it twice.
func ensureTemplate() (string, error) {
	ctx := context.Background()
	name, err := templateNameFor(pg.MigrationsFS())
	if err != nil {
		return "", err
	}
	cfg, err := pgx.ParseConfig(ServerURL())
	if err != nil {
		return "", err
	}
	admin, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return "", fmt.Errorf("cannot reach PostgreSQL for tests at %s: %w", ServerURL(), err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock(72217001)`); err != nil {
		return "", err
	}
	defer admin.Exec(ctx, `SELECT pg_advisory_unlock(72217001)`)
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_wip"
	admin.Exec(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)")
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	pool, err := pg.Connect(ctx, withDatabase(ServerURL(), building))
	if err != nil {
		return "", err
	}
	err = pg.Migrate(ctx, pool)
	pool.Close()
	if err != nil {
		return "", err
	}
	// Renaming only after a successful migration means a half-built
	// template is never used.
	if _, err := admin.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, name)); err != nil {
		return "", err
	}
	return name, nil
}

func templateNameFor(fsys fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	if err != nil {
		return "", err
	}
	return "tongpei_template_" + hex.EncodeToString(h.Sum(nil))[:12], nil
}

func connectAdmin(t testing.TB) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), ServerURL())
	if err != nil {
		t.Fatalf("pgtest: cannot reach PostgreSQL at %s: %v", ServerURL(), err)
	}
	return c
}

// isBusy reports the error PostgreSQL gives when two databases are copied
// from the same template at once; it is retried.
func isBusy(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "55006"
}

func withDatabase(serverURL, name string) string {
	cfg := strings.SplitN(serverURL, "?", 2)
	base := cfg[0][:strings.LastIndex(cfg[0], "/")+1] + name
	if len(cfg) == 2 {
		return base + "?" + cfg[1]
	}
	return base
}

func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

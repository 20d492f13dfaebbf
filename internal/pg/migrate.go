package pg

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/tongpei/tongpei/internal/tenant"
)

// Migrations are numbered goose files, one range per domain so that work on
// different domains never collides: 00001–00009 foundation, 00010–00019
// registry, 00020–00029 custody, 00030–00039 pricing, 00040–00049 dispatch.
//
//go:embed migrations/*.sql
var migrations embed.FS

// MigrationsFS is the embedded schema, for tools that fingerprint it.
func MigrationsFS() fs.FS {
	sub, _ := fs.Sub(migrations, "migrations")
	return sub
}

// Migrate applies every migration the database has not seen yet. goose keeps
// its own version table; the advisory lock makes concurrent starts safe.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	// Migrations run as the login user, on connections of their own (the
	// pool's work as the app role, which may change no schema), and fill
	// the county columns of existing rows with the install's county.
	cfg := pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["tongpei.default_county"] = tenant.Default()
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	provider, err := goose.NewProvider(goose.DialectPostgres, db, MigrationsFS(), goose.WithSessionLocker(locker),
		// Each domain has its own range of numbers, so a database that has
		// seen a later domain's migration may still lack an earlier one.
		goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("migrating the database failed: %w", err)
	}
	return nil
}

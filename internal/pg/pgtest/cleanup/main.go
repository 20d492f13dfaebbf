// Command cleanup drops the databases tests make: the migrated templates
// (tongpei_template_*) and any test database a killed test run left behind
// (tongpei_test_*). `make test` runs it last, so a test run leaves no
// database behind.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5"

	"github.com/tongpei/tongpei/internal/pg/pgtest"
)

func main() {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.ServerURL())
	if err != nil {
		fmt.Fprintln(os.Stderr, "cleanup: cannot reach PostgreSQL:", err)
		os.Exit(1)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database
		WHERE datname LIKE 'tongpei\_template\_%' OR datname LIKE 'tongpei\_test\_%'`)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cleanup:", err)
		os.Exit(1)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		fmt.Fprintln(os.Stderr, "cleanup:", err)
		os.Exit(1)
	}
	for _, name := range names {
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, "cleanup:", err)
			os.Exit(1)
		}
	}
	fmt.Fprintf(os.Stderr, "cleanup: dropped %d test databases\n", len(names))
}

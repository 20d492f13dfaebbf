package pg

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tongpei/tongpei/internal/errs"
)

func TestErrTranslatesEachClassOnce(t *testing.T) {
	t.Parallel()
	pgE := func(code string) error {
		return fmt.Errorf("insert: %w", &pgconn.PgError{Code: code, ConstraintName: "c1"})
	}
	ours := errs.E(errs.Forbidden, "not yours")
	cases := []struct {
		name string
		err  error
		want errs.Code
	}{
		{"no rows", fmt.Errorf("get: %w", pgx.ErrNoRows), errs.NotFound},
		{"unique", pgE("23505"), errs.Conflict},
		{"foreign key", pgE("23503"), errs.Invalid},
		{"check", pgE("23514"), errs.Invalid},
		{"admin shutdown", pgE("57P01"), errs.Unavailable},
		{"already ours", ours, errs.Forbidden},
		{"other", errors.New("boom"), errs.Internal},
	}
	for _, c := range cases {
		got := Err(c.err, "station XP-01")
		if errs.CodeOf(got) != c.want {
			t.Errorf("%s: code %s, want %s (%v)", c.name, errs.CodeOf(got), c.want, got)
		}
		if c.name != "already ours" && !errors.Is(got, c.err) && !errors.Is(got, errors.Unwrap(c.err)) {
			t.Errorf("%s: the cause is lost: %v", c.name, got)
		}
	}
	if Err(nil, "x") != nil {
		t.Error("nil error translated to non-nil")
	}
	if name, ok := UniqueViolation(pgE("23505")); !ok || name != "c1" {
		t.Errorf("UniqueViolation = %q %v", name, ok)
	}
	if _, ok := ForeignKeyViolation(pgE("23505")); ok {
		t.Error("a unique violation reported as a foreign-key one")
	}
}

package pg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tongpei/tongpei/internal/errs"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want errs.Code
	}{
		{&pgconn.PgError{Code: "22021"}, errs.Invalid},     // NUL or bad UTF-8 in text
		{&pgconn.PgError{Code: "22003"}, errs.Invalid},     // numeric out of range
		{&pgconn.PgError{Code: "54000"}, errs.Invalid},     // index row too large
		{&pgconn.PgError{Code: "57P01"}, errs.Unavailable}, // admin shutdown: a restart
		{&pgconn.PgError{Code: "57P03"}, errs.Unavailable}, // starting up
		{&pgconn.PgError{Code: "53300"}, errs.Unavailable}, // too many connections
		{&pgconn.PgError{Code: "08006"}, errs.Unavailable},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), errs.Unavailable},
		{fmt.Errorf("wait: %w", context.DeadlineExceeded), errs.Unavailable},
		{&pgconn.PgError{Code: "42P01"}, ""}, // undefined table: a bug, stays internal
		{errors.New("something else"), ""},
		{nil, ""},
	} {
		if got := Classify(tc.err); got != tc.want {
			t.Errorf("Classify(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

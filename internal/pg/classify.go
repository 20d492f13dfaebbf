package pg

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tongpei/tongpei/internal/errs"
)

// Classify names the class of a database failure that no store translated:
// errs.Unavailable when PostgreSQL cannot be reached or is restarting (the
// client should retry later), errs.Invalid when the server refused a value
// the request carried (too long, out of range, not valid text), and ""
// when err is something else, which stays an internal error. The API
// applies it once to every unexpected error, so a restart answers 503 and
// no input earns a 500, whichever store the error came through.
func Classify(err error) errs.Code {
	if err == nil {
		return ""
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "08"), // connection exception
			strings.HasPrefix(pgErr.Code, "53"),  // insufficient resources: too many connections, disk full
			strings.HasPrefix(pgErr.Code, "57P"), // admin shutdown, crash shutdown, cannot connect now
			Busy(err):                            // lost a race or a lock: retry
			return errs.Unavailable
		case strings.HasPrefix(pgErr.Code, "22"), // data exception: bad text, out of range, too long
			pgErr.Code == "23502", pgErr.Code == codeCheckViolation, // not null, check constraint
			pgErr.Code == "54000": // program limit: an index row too large for a huge string
			return errs.Invalid
		}
		return ""
	}
	var connect *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connect), errors.As(err, &netErr),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err),
		strings.Contains(err.Error(), "closed pool"), strings.Contains(err.Error(), "conn closed"):
		return errs.Unavailable
	}
	return ""
}

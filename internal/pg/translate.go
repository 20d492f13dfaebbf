package pg

import (
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/tongpei/tongpei/internal/errs"
)

// The SQLSTATE codes the stores act on, named once (PostgreSQL manual,
// appendix A, "PostgreSQL Error Codes").
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeCheckViolation      = "23514"
)

// Err translates a database error at a domain's storage edge, the one place
// every store sends its errors through (as river's driver does): no rows
// becomes not_found, a unique violation conflict, a foreign-key or check
// violation invalid, a lost or restarting server unavailable; an error that
// is already ours passes unchanged; anything else is internal, its text kept
// as the cause for logs and never shown to a client. what names the thing
// the store was reading or writing, in the words a client would use.
func Err(err error, what string) error {
	if err == nil {
		return nil
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return e
	}
	if NoRows(err) {
		return &errs.Error{Code: errs.NotFound, Message: what + " does not exist", Cause: err}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case codeUniqueViolation:
			return &errs.Error{Code: errs.Conflict, Message: what + " already exists", Cause: err}
		case codeForeignKeyViolation:
			return &errs.Error{Code: errs.Invalid, Message: what + " refers to something that does not exist (" + pgErr.ConstraintName + ")", Cause: err}
		case codeCheckViolation:
			return &errs.Error{Code: errs.Invalid, Message: what + " breaks a rule (" + pgErr.ConstraintName + ")", Cause: err}
		}
	}
	if Classify(err) == errs.Unavailable {
		return &errs.Error{Code: errs.Unavailable, Message: "the database is unavailable; try again shortly", Cause: err}
	}
	return errs.Wrap(err, "cannot store or read %s", what)
}

// NoRows reports whether err is a query that found nothing.
func NoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// UniqueViolation reports whether err broke a unique constraint, and which,
// for stores that answer a duplicate with something better than a conflict
// (an idempotent replay, a retry of a raced insert).
func UniqueViolation(err error) (constraint string, ok bool) {
	return violation(err, codeUniqueViolation)
}

// ForeignKeyViolation reports whether err referred to a missing row, and
// through which constraint.
func ForeignKeyViolation(err error) (constraint string, ok bool) {
	return violation(err, codeForeignKeyViolation)
}

func violation(err error, code string) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == code {
		return pgErr.ConstraintName, true
	}
	return "", false
}

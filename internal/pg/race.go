package pg

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// The SQLSTATE codes of a transaction that lost a race PostgreSQL detected
// (PostgreSQL manual, appendix A; 13.4 "Serialization Failure Handling").
const (
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeLockNotAvailable     = "55P03"
)

// LostRace reports whether err is a transaction that lost a race the
// server detected (serialization failure, deadlock): running the same
// transaction again is the documented answer.
func LostRace(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return pgErr.Code == codeSerializationFailure || pgErr.Code == codeDeadlockDetected
}

// Busy reports whether err is a lost race or a lock that could not be had
// at once: concurrent work, worth a retry by the client.
func Busy(err error) bool {
	var pgErr *pgconn.PgError
	return LostRace(err) || errors.As(err, &pgErr) && pgErr.Code == codeLockNotAvailable
}

// Refused reports whether the server itself refused a statement (any
// error PostgreSQL answered with), as opposed to a lost connection or an
// error of ours: a group of statements refused this way may succeed when
// split.
func Refused(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr)
}

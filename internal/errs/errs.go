// Package errs is tongpei's one error type: a stable machine code, a message a
// person can act on, and for invalid input the list of bad fields. Domain
// packages return it; the API maps its code to an HTTP status in one place.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Code is a stable machine code for a class of failure.
type Code string

// The few codes every layer understands.
const (
	Invalid      Code = "invalid"      // bad input: 422
	NotFound     Code = "not_found"    // 404
	Conflict     Code = "conflict"     // duplicate or state clash: 409
	Forbidden    Code = "forbidden"    // authenticated but outside its scope: 403
	Unauthorized Code = "unauthorized" // no or bad credentials: 401
	Unavailable  Code = "unavailable"  // a dependency is down, or the server is full: 503
	RateLimited  Code = "rate_limited" // a caller over its rate: 429
	Internal     Code = "internal"     // a bug or an unexpected failure: 500
)

// FieldError names one bad input field and why it is bad.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Error is the error domain code returns.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	// Cause is kept for logs; it is never shown to a client.
	Cause error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Reason)
	}
	if e.Cause != nil && e.Code == Internal {
		fmt.Fprintf(&b, ": %v", e.Cause)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Cause }

// E builds an error with a code and a formatted message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap marks an unexpected failure as internal, keeping the cause for logs.
func Wrap(cause error, format string, args ...any) *Error {
	return &Error{Code: Internal, Message: fmt.Sprintf(format, args...), Cause: cause}
}

// CodeOf returns the code of err, Internal for errors that are not ours.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// Fields collects field errors during validation; its Err is nil when every
// field was fine, so validation reads as a list of checks.
type Fields []FieldError

// Add records a bad field.
func (f *Fields) Add(field, format string, args ...any) {
	*f = append(*f, FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
}

// Err is nil without bad fields, else an Invalid error listing them all.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	names := make([]string, len(f))
	for i, fe := range f {
		names[i] = fe.Field
	}
	return &Error{Code: Invalid, Message: "invalid " + strings.Join(names, ", "), Fields: f}
}

// Field is an Invalid error naming one bad field, for checks that stop at
// the first.
func Field(field, format string, args ...any) error {
	var f Fields
	f.Add(field, format, args...)
	return f.Err()
}

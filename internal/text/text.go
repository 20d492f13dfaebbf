// Package text is the one rule for text tongpei accepts from outside:
// valid UTF-8 without NUL bytes. PostgreSQL refuses both in text columns
// (SQLSTATE 22021), so a string that breaks the rule must be refused where
// it enters (the HTTP edge, a NATS message) with a reason the sender can
// act on, never passed on to fail a whole transaction.
package text

import (
	"strings"
	"unicode/utf8"
)

// Problem says what is wrong with s, or "" when s may be stored.
func Problem(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8; send text in UTF-8"
	}
	if strings.IndexByte(s, 0) >= 0 {
		return `holds a NUL character (\u0000); remove it`
	}
	return ""
}

// Valid reports whether s may be stored.
func Valid(s string) bool { return Problem(s) == "" }

package vrp

import (
	"fmt"
	"strings"
)

// InputError is a problem a person can fix in an input file or request: where
// it is (a line of a VRPLIB file or a JSON field) and what is wrong there.
// The HTTP API answers it with 422.
type InputError struct {
	Line   int    // 1-based line of a text file; 0 when not known
	Field  string // the section, header key or JSON path
	Reason string
	// Cause is the error underneath, when there is one (a failed read, a
	// matrix function's error), for errors.Is and errors.As.
	Cause error
}

// Unwrap returns the cause.
func (e *InputError) Unwrap() error { return e.Cause }

// Error reads "line 12: DEMAND_SECTION: node 7: …" or "jobs[3].location: …".
func (e *InputError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

func inputErr(line int, field, format string, args ...any) *InputError {
	return &InputError{Line: line, Field: field, Reason: fmt.Sprintf(format, args...)}
}

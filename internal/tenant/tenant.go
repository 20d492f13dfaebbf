// Package tenant carries the county a request works for. A province runs
// many counties in one deployment (issue 18); each request, job and event
// belongs to one county, named by its GB/T 2260 code (e.g. 530427, Xinping).
// The county travels in the context: the API puts the token's county there,
// background jobs put the county of the row they work on, and the database
// pool hands it to PostgreSQL, whose row-level security shows a connection
// only that county's rows. A context without a county sees nothing: a missed
// step fails closed.
package tenant

import (
	"context"
	"os"

	"github.com/tongpei/tongpei/internal/errs"
)

// Province is the scope of a province-wide administrator and of the jobs that
// sweep every county (the outbox relay, partition upkeep). It is never stored
// as a row's county.
const Province = "*"

// DefaultCounty is the county of a single-county install that names none:
// Xinping (新平彝族傣族自治县), the plan's county. TONGPEI_COUNTY overrides it.
const DefaultCounty = "530427"

type ctxKey struct{}

// With returns ctx working for county (a six-digit code or Province).
func With(ctx context.Context, county string) context.Context {
	return context.WithValue(ctx, ctxKey{}, county)
}

// WithProvince returns ctx working for every county.
func WithProvince(ctx context.Context) context.Context { return With(ctx, Province) }

// From is the county ctx works for, "" when none was set.
func From(ctx context.Context) string {
	c, _ := ctx.Value(ctxKey{}).(string)
	return c
}

// IsProvince reports a context that works for every county.
func IsProvince(ctx context.Context) bool { return From(ctx) == Province }

// Default is the install's own county: TONGPEI_COUNTY, else DefaultCounty.
func Default() string {
	if c := os.Getenv("TONGPEI_COUNTY"); c != "" {
		return c
	}
	return DefaultCounty
}

// Check refuses a county code that is not six digits (GB/T 2260).
func Check(code string) error {
	if len(code) != 6 {
		return errs.Field("county", "county %q is not a six-digit GB/T 2260 code", code)
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return errs.Field("county", "county %q is not a six-digit GB/T 2260 code", code)
		}
	}
	return nil
}

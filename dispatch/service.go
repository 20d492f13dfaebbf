package dispatch

import (
	"strconv"

	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/internal/errs"
)

// Service is the dispatch domain: the joint fleet, the road network and
// travel matrices, daily plans and their cost shares, the jobs a published
// plan owes carriers, and the reports over them. It keeps the rules; the
// unexported stores beside it (one *_store.go file each) hold the SQL.
type Service struct {
	fleet    fleetStore
	roads    roadStore
	county   countyStore
	plans    planStore
	shares   shareStore
	jobs     jobStore
	planJobs planJobStore

	// matrices and net are process-wide caches, so one Service should
	// serve a process.
	matrices *geo.MatrixCache
	net      networkCache
}

// itoa names an id in a message.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// caused keeps cause behind e, so that errors.Is and errors.As still find
// it (a cancelled context, a geometry error) while the client sees only
// e's message.
func caused(e *errs.Error, cause error) *errs.Error {
	e.Cause = cause
	return e
}

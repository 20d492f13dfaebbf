// Package dispatch plans the county's daily joint delivery: it turns the
// parcels waiting at the hub and at the village stations into one routing
// problem for the joint fleet, solves it with dispatch/vrp, measures the
// saving against every express company running its own vans, and sends the
// resulting jobs to the fleet operator and the carriers through the outbox.
//
// Service is its one entry point; the SQL lives beside it in the
// *_store.go files, one unexported store per group of tables.
package dispatch

import (
	"strconv"
	"sync/atomic"

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

	// shareBg computes published plans' cost shares in the background
	// (costshare_worker.go) once started; shareSolves counts the
	// coalition solves of every split this Service computed.
	shareBg     atomic.Pointer[shareWorker]
	shareSolves atomic.Int64
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

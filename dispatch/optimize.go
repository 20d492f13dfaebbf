package dispatch

// The use case behind POST /v1/optimize and `tongpei solve` on a VROOM JSON
// file: read the problem (dispatch/vrp/vrpio), solve it (dispatch/vrp), draw
// the routes (dispatch/geo). The optimiser and its formats know nothing of
// HTTP or geometry; this is where they meet.

import (
	"context"
	"errors"
	"time"

	"github.com/tongpei/tongpei/dispatch/geo"
	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/dispatch/vrp/vrpio"
	"github.com/tongpei/tongpei/internal/errs"
)

// SolveVROOM solves a VROOM JSON problem with the default travel model and
// answers in VROOM's output format, with a GeoJSON LineString per route when
// coordinates are known. It reads body with vrpio.ReadVROOM (travel from the
// problem's matrices, else from coordinates with geo.Travel{}), runs
// vrp.Solve, validates the solution independently and converts it with
// VROOM.Output.
//
// Errors: bad input (malformed JSON, more than vrpio.MaxVROOMJobs jobs,
// reloads on a route that does not end at its start, per-type service, …) is an *errs.Error with code errs.Invalid
// whose Fields name the JSON field, wrapping the *vrp.InputError; anything
// else is errs.Internal.
func SolveVROOM(ctx context.Context, body []byte, opt vrp.Options) (*vrpio.VROOMOutput, error) {
	begin := time.Now()
	if opt.Started.IsZero() {
		opt.Started = begin // the time limit covers reading the problem and its matrix
	}
	problem, err := vrpio.ReadVROOM(body, geo.Travel{}.MatrixFunc())
	if err != nil {
		return nil, invalidProblem(err)
	}
	loaded := time.Now()
	if opt.Initial == nil {
		opt.Initial = problem.Initial // the vehicles' steps (VROOM's solving mode)
	}
	sol, err := vrp.Solve(ctx, problem.Instance, opt)
	if err != nil {
		if ie := (*vrp.InputError)(nil); errors.As(err, &ie) {
			return nil, invalidProblem(err) // a model the search refuses (say, reloads on open routes)
		}
		return nil, errs.Wrap(err, "the optimiser failed")
	}
	solved := time.Now()
	out, err := problem.Output(sol, loaded.Sub(begin), solved.Sub(loaded))
	if err != nil {
		return nil, errs.Wrap(err, "the optimiser failed")
	}
	if err := geo.AddGeometries(out); err != nil {
		return nil, errs.Wrap(err, "cannot draw the routes")
	}
	out.Summary.ComputingTimes.Routing = time.Since(solved).Milliseconds()
	return out, nil
}

// invalidProblem turns a reader's *vrp.InputError into the 422 answer naming
// its field.
func invalidProblem(err error) error {
	var ie *vrp.InputError
	if !errors.As(err, &ie) {
		return errs.Wrap(err, "cannot read the problem")
	}
	field := ie.Field
	if field == "" {
		field = "body"
	}
	return &errs.Error{
		Code:    errs.Invalid,
		Message: "invalid optimisation problem",
		Fields:  []errs.FieldError{{Field: field, Reason: ie.Reason}},
		Cause:   ie,
	}
}

package geo

import (
	"context"
	"errors"
	"time"

	"github.com/tongpei/tongpei/dispatch/vrp"
	"github.com/tongpei/tongpei/internal/errs"
)

// SolveVROOM solves a VROOM JSON problem (the body of POST /v1/optimize) with
// the default travel model and answers in VROOM's output format, with a
// GeoJSON LineString per route when coordinates are known. See
// Travel.SolveVROOM.
func SolveVROOM(ctx context.Context, body []byte, opt vrp.Options) (*vrp.VROOMOutput, error) {
	return Travel{}.SolveVROOM(ctx, body, opt)
}

// SolveVROOM reads body with vrp.ReadVROOM (travel from the problem's
// matrices, else from coordinates with t), runs vrp.Solve, validates the
// solution independently and converts it with VROOM.Output.
//
// Errors: bad input (malformed JSON, more than vrp.MaxVROOMJobs jobs,
// shipments, several depots, …) is an *errs.Error with code errs.Invalid
// whose Fields name the JSON field, wrapping the *vrp.InputError; anything
// else is errs.Internal.
func (t Travel) SolveVROOM(ctx context.Context, body []byte, opt vrp.Options) (*vrp.VROOMOutput, error) {
	begin := time.Now()
	problem, err := vrp.ReadVROOM(body, t.MatrixFunc())
	if err != nil {
		return nil, invalid(err)
	}
	loaded := time.Now()
	sol, err := vrp.Solve(ctx, problem.Instance, opt)
	if err != nil {
		return nil, errs.Wrap(err, "the optimiser failed")
	}
	solved := time.Now()
	out, err := problem.Output(sol, loaded.Sub(begin), solved.Sub(loaded))
	if err != nil {
		return nil, errs.Wrap(err, "the optimiser failed")
	}
	if err := AddGeometries(out); err != nil {
		return nil, errs.Wrap(err, "cannot draw the routes")
	}
	out.Summary.ComputingTimes.Routing = time.Since(solved).Milliseconds()
	return out, nil
}

func invalid(err error) error {
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

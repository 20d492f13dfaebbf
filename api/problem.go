package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/pg"
)

// Problem is an RFC 9457 problem detail with tongpei's stable machine code
// and, for invalid input, the bad fields.
type Problem struct {
	Type     string            `json:"type"`
	Title    string            `json:"title"`
	Status   int               `json:"status"`
	Detail   string            `json:"detail"`
	Code     string            `json:"code"`
	Instance string            `json:"instance,omitempty"`
	Fields   []errs.FieldError `json:"fields,omitempty"`
}

// statusOf is the one place where error codes become HTTP statuses.
var statusOf = map[errs.Code]int{
	errs.Invalid:      http.StatusUnprocessableEntity,
	errs.NotFound:     http.StatusNotFound,
	errs.Conflict:     http.StatusConflict,
	errs.Forbidden:    http.StatusForbidden,
	errs.Unauthorized: http.StatusUnauthorized,
	errs.Unavailable:  http.StatusServiceUnavailable,
	errs.RateLimited:  http.StatusTooManyRequests,
	errs.Internal:     http.StatusInternalServerError,
}

// fail answers err as problem+json and stops the handler chain. An internal
// error is logged with its cause and the client learns nothing more. An
// early refusal (503 or 429 from the admission gates) is not logged here:
// at twice the sustainable rate there are thousands a second, and a line
// each cost a third of a refusal's CPU (a pprof of bench-load's overload);
// refusalSummary sums them up instead.
func fail(c *gin.Context, err error) {
	e := classify(err)
	status, code := statusOfErr(e)
	if status == 0 {
		status = http.StatusInternalServerError
	}
	p := Problem{
		Type:     "https://tongpei.dev/problems/" + code,
		Title:    http.StatusText(status),
		Status:   status,
		Detail:   e.Message,
		Code:     code,
		Instance: c.Request.URL.Path,
		Fields:   e.Fields,
	}
	if status >= 500 && !c.GetBool(ctxRefusedEarly) {
		slog.ErrorContext(c.Request.Context(), "request failed", "request_id", c.GetString(ctxRequestID),
			"method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		if e.Code == errs.Internal {
			p.Detail = "Internal error. The request id in X-Request-Id helps the county centre find it in the logs."
		}
	}
	if status == http.StatusServiceUnavailable && c.Writer.Header().Get("Retry-After") == "" {
		c.Header("Retry-After", retryAfter)
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(status, p)
	c.Header("Content-Type", "application/problem+json")
}

// retryAfter is the seconds a client waits after a 503 before it resends:
// about what a PostgreSQL restart or a NATS reconnect takes.
const retryAfter = "2"

// classify makes err one of ours. An error no store translated is looked
// at once more: a database that cannot be reached is a retryable outage
// (503), a value the database refused is the client's to fix (422); only
// what remains is a bug (500).
func classify(err error) *errs.Error {
	var e *errs.Error
	if !errors.As(err, &e) {
		e = errs.Wrap(err, "unexpected error")
	}
	if e.Code != errs.Internal {
		return e
	}
	switch pg.Classify(e.Cause) {
	case errs.Unavailable:
		return &errs.Error{Code: errs.Unavailable, Cause: e.Cause,
			Message: "the database cannot be reached just now (restarting or overloaded); nothing was changed, resend in a few seconds"}
	case errs.Invalid:
		return &errs.Error{Code: errs.Invalid, Cause: e.Cause,
			Message: "a value in the request cannot be stored (too long, out of range or not valid text); correct it and resend"}
	}
	return e
}

// reply answers v as JSON with status, or the problem of err: the tail of
// most handlers, which call the domain once and answer what it returned.
func reply(c *gin.Context, status int, v any, err error) {
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, v)
}

package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/errs"
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
// error is logged with its cause and the client learns nothing more.
func fail(c *gin.Context, err error) {
	var e *errs.Error
	if !errors.As(err, &e) {
		e = errs.Wrap(err, "unexpected error")
	}
	status := statusOf[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	p := Problem{
		Type:     "https://tongpei.dev/problems/" + string(e.Code),
		Title:    http.StatusText(status),
		Status:   status,
		Detail:   e.Message,
		Code:     string(e.Code),
		Instance: c.Request.URL.Path,
		Fields:   e.Fields,
	}
	if status >= 500 {
		slog.ErrorContext(c.Request.Context(), "request failed", "request_id", c.GetString(ctxRequestID),
			"method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		if e.Code == errs.Internal {
			p.Detail = "Internal error. The request id in X-Request-Id helps the county centre find it in the logs."
		}
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(status, p)
	c.Header("Content-Type", "application/problem+json")
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

package api

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/errs"
)

// Page is the paging every list takes: limit (default 50, at most 1000) and
// an opaque cursor from the previous page's "next".
type Page struct {
	Limit  int
	Cursor string
}

// List is every list's answer.
type List[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

func page(c *gin.Context) (Page, error) {
	p := Page{Limit: 50, Cursor: c.Query("cursor")}
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			var f errs.Fields
			f.Add("limit", "must be an integer from 1 to 1000, not %q", s)
			return p, f.Err()
		}
		p.Limit = n
	}
	return p, nil
}

// newList never answers "items": null.
func newList[T any](items []T, next string) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, Next: next}
}

package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/tongpei/tongpei/internal/errs"
	"github.com/tongpei/tongpei/internal/text"
)

// Every byte a request brings is checked here, once, before a handler sees
// it: the path's parameters and the query (checkInput), the body's media
// type, size and encoding (readBody) and every string and key of a JSON
// body (checkJSON, which decode runs). Text must be valid UTF-8 without NUL
// (internal/text), because PostgreSQL refuses anything else and a refusal
// there fails the whole transaction; a JSON object may not name a member
// twice, because which of the two counts would be a guess.

// checkInput refuses a request whose path parameters or query hold text
// that cannot be stored, or whose query is malformed.
func checkInput() gin.HandlerFunc {
	return func(c *gin.Context) {
		var f errs.Fields
		for _, p := range c.Params {
			if why := text.Problem(p.Value); why != "" {
				f.Add(p.Key, "%s", why)
			}
		}
		q, err := url.ParseQuery(c.Request.URL.RawQuery)
		if err != nil {
			f.Add("query", "is malformed (%s); percent-encode it", shortQueryErr(err))
		}
		for key, vals := range q {
			if why := text.Problem(key); why != "" {
				f.Add("query", "parameter name %s", why)
				continue
			}
			for _, v := range vals {
				if why := text.Problem(v); why != "" {
					f.Add(key, "%s", why)
				}
			}
		}
		if err := f.Err(); err != nil {
			fail(c, err)
			return
		}
		c.Next()
	}
}

func shortQueryErr(err error) string {
	var esc url.EscapeError
	if errors.As(err, &esc) {
		return "bad escape " + strconv.Quote(string(esc))
	}
	return "invalid"
}

// httpOnly is the cause of an error only HTTP has a status for: the domain
// calls it invalid input, fail answers it with its own status and code.
type httpOnly struct {
	status int
	code   string
}

func (h *httpOnly) Error() string { return h.code }

// The two answers HTTP knows better than the domain's codes.
var (
	errUnsupportedMedia = &httpOnly{http.StatusUnsupportedMediaType, "unsupported_media_type"}
	errMethodNotAllowed = &httpOnly{http.StatusMethodNotAllowed, "method_not_allowed"}
)

// readBody reads a request body of at most limit bytes that is JSON (or
// sent without a Content-Type, as scripts do) and valid UTF-8. A browser's
// text/plain or form body, which any web page can send across sites, is
// refused with 415.
func readBody(c *gin.Context, limit int64) ([]byte, error) {
	if ct := c.GetHeader("Content-Type"); ct != "" && !isJSONMedia(ct) {
		return nil, unsupportedMedia(ct)
	}
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, limit+1))
	if err != nil {
		return nil, errs.E(errs.Invalid, "cannot read the request body: %v", err)
	}
	if int64(len(body)) > limit {
		return nil, errs.E(errs.Invalid, "the request body is over %d MiB; split it", limit>>20)
	}
	return body, nil
}

// isJSONMedia accepts application/json and every application/…+json
// (GeoJSON, merge patches, problem details).
func isJSONMedia(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

func unsupportedMedia(ct string) error {
	return &errs.Error{Code: errs.Invalid, Cause: errUnsupportedMedia,
		Message: fmt.Sprintf("the body is %s; send JSON with Content-Type: application/json", strconv.Quote(ct))}
}

// statusOfErr is the status and machine code of e: its own code's, or
// that of an httpOnly cause (a body that is not JSON is 415, not 422).
func statusOfErr(e *errs.Error) (int, string) {
	var h *httpOnly
	if errors.As(e.Cause, &h) {
		return h.status, h.code
	}
	return statusOf[e.Code], string(e.Code)
}

// checkJSON reads a JSON value once and refuses the first string or
// member name that is not storable text and the first member named twice
// in one object (names compared as encoding/json matches them, ignoring
// case), naming it by its path (scans[2].tracking_no). Below depth (0 for
// no limit) only the structure is followed: a batch checks its envelope
// that way and each item on its own, so that one bad item is refused
// alone. Malformed JSON ends the check quietly: the strict decoder that
// always follows names that error. It is a hand-written pass over the
// bytes, not encoding/json's Token, which cost 30 µs a scan.
func checkJSON(body []byte, depth int) error {
	c := &jsonCheck{b: body, depth: depth}
	c.value(1)
	if c.bad != "" {
		return invalidField(c.field(), c.bad)
	}
	return nil
}

type jsonCheck struct {
	b     []byte
	i     int
	depth int
	path  []string // the members and indexes down to the value being read
	bad   string   // why the value at path is refused; "" while fine
	stop  bool     // malformed or refused: read no further
}

func (c *jsonCheck) field() string {
	var b strings.Builder
	for _, p := range c.path {
		if b.Len() > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	if b.Len() == 0 {
		return "body"
	}
	return b.String()
}

func (c *jsonCheck) ws() {
	for c.i < len(c.b) && (c.b[c.i] == ' ' || c.b[c.i] == '\t' || c.b[c.i] == '\n' || c.b[c.i] == '\r') {
		c.i++
	}
}

// value reads one value; level counts the containers it is in.
func (c *jsonCheck) value(level int) {
	c.ws()
	if c.i >= len(c.b) {
		c.stop = true
		return
	}
	deep := c.depth == 0 || level <= c.depth
	switch c.b[c.i] {
	case '{':
		c.object(level, deep)
	case '[':
		c.i++
		for n := 0; !c.stop; n++ {
			c.ws()
			if c.i < len(c.b) && c.b[c.i] == ']' {
				c.i++
				return
			}
			c.path = append(c.path, "["+strconv.Itoa(n)+"]")
			c.value(level + 1)
			if c.stop {
				return
			}
			c.path = c.path[:len(c.path)-1]
			c.ws()
			if c.i < len(c.b) && c.b[c.i] == ',' {
				c.i++
			}
		}
	case '"':
		if _, why := c.str(); why != "" && deep {
			c.bad, c.stop = why, true
		}
	default: // a number, true, false or null: up to the next delimiter
		start := c.i
		for c.i < len(c.b) && !strings.ContainsRune(",]} \t\n\r", rune(c.b[c.i])) {
			c.i++
		}
		if c.i == start { // a delimiter where a value belongs
			c.stop = true
		}
	}
}

func (c *jsonCheck) object(level int, deep bool) {
	c.i++
	var seen map[string]bool
	for !c.stop {
		c.ws()
		if c.i >= len(c.b) || c.b[c.i] == '}' {
			c.i++
			return
		}
		if c.b[c.i] != '"' {
			c.stop = true
			return
		}
		key, why := c.str()
		if c.stop {
			return
		}
		if deep {
			if why != "" {
				c.bad, c.stop = "a member name "+why, true
				return
			}
			name := foldKey(key)
			if seen == nil {
				seen = map[string]bool{}
			}
			if seen[name] {
				c.path = append(c.path, key)
				c.bad, c.stop = "is given twice; send each member once", true
				return
			}
			seen[name] = true
		}
		c.ws()
		if c.i >= len(c.b) || c.b[c.i] != ':' {
			c.stop = true
			return
		}
		c.i++
		c.path = append(c.path, key)
		c.value(level + 1)
		if c.stop {
			return
		}
		c.path = c.path[:len(c.path)-1]
		c.ws()
		if c.i < len(c.b) && c.b[c.i] == ',' {
			c.i++
		}
	}
}

// str reads a string at c.i and says what is wrong with its text: a NUL
// (raw or escaped as \u0000) or bytes that are not UTF-8. It answers the
// string's content, unescaped only when it held escapes.
func (c *jsonCheck) str() (string, string) {
	start := c.i
	c.i++
	escaped, why := false, ""
	for c.i < len(c.b) {
		ch := c.b[c.i]
		switch {
		case ch == '"':
			c.i++
			raw := c.b[start+1 : c.i-1]
			if !escaped {
				return string(raw), why
			}
			var s string
			if json.Unmarshal(c.b[start:c.i], &s) != nil {
				c.stop = true
			}
			return s, why
		case ch == '\\':
			escaped = true
			if c.i+1 < len(c.b) && c.b[c.i+1] == 'u' && c.i+5 < len(c.b) && string(c.b[c.i+2:c.i+6]) == "0000" {
				why = `holds a NUL character (\u0000); remove it`
			}
			c.i += 2
		case ch < utf8.RuneSelf:
			if ch == 0 {
				why = `holds a NUL character (\u0000); remove it`
			}
			c.i++
		default:
			r, n := utf8.DecodeRune(c.b[c.i:])
			if r == utf8.RuneError && n <= 1 && why == "" {
				why = "is not valid UTF-8; send text in UTF-8"
			}
			c.i += n
		}
	}
	c.stop = true
	return "", why
}

// foldKey is a member name as encoding/json matches it to a field: without
// regard to case, so "Name" after "name" is the same member again.
func foldKey(k string) string { return strings.ToLower(strings.ToUpper(k)) }

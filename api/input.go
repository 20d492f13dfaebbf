package api

import (
	"bytes"
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

// errUnsupportedMedia marks a body that is not JSON; fail answers it 415.
var errUnsupportedMedia = errors.New("unsupported media type")

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

// statusOfErr is the status of err where HTTP knows better than the
// domain's codes: a body of the wrong media type is 415, not 422.
func statusOfErr(e *errs.Error) int {
	if errors.Is(e.Cause, errUnsupportedMedia) {
		return http.StatusUnsupportedMediaType
	}
	return statusOf[e.Code]
}

// checkJSON walks a JSON value and refuses the first string or member name
// that is not storable text and the first member named twice in one object,
// naming it by its path (scans[2].tracking_no). Below depth (0 for no
// limit) only the structure is followed: a batch checks its envelope that
// way and each item on its own, so that one bad item is refused alone.
func checkJSON(body []byte, depth int) error {
	if depth == 0 && !utf8.Valid(body) {
		return invalidField("body", fmt.Sprintf("is not valid UTF-8 (byte %d); send text in UTF-8", badUTF8At(body)))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	w := walker{dec: dec, depth: depth}
	if err := w.value("", 1); err != nil {
		return err
	}
	return nil
}

func badUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

type walker struct {
	dec   *json.Decoder
	depth int
}

// value reads one value at path; level counts the containers it is in.
func (w walker) value(path string, level int) error {
	tok, err := w.dec.Token()
	if err != nil {
		return nil // malformed JSON: the decoder that follows names the error
	}
	deep := w.depth == 0 || level <= w.depth
	switch t := tok.(type) {
	case string:
		if why := text.Problem(t); why != "" && deep {
			return invalidField(fieldName(path), why)
		}
	case json.Delim:
		switch t {
		case '{':
			return w.object(path, level, deep)
		case '[':
			for i := 0; w.dec.More(); i++ {
				if err := w.value(fmt.Sprintf("%s[%d]", path, i), level+1); err != nil {
					return err
				}
			}
			_, _ = w.dec.Token()
		}
	}
	return nil
}

func (w walker) object(path string, level int, deep bool) error {
	seen := map[string]bool{}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return nil
		}
		key, _ := tok.(string)
		at := key
		if path != "" {
			at = path + "." + key
		}
		if deep {
			if why := text.Problem(key); why != "" {
				return invalidField(fieldName(path), "a member name "+why)
			}
			if seen[key] {
				return invalidField(at, "is given twice; send each member once")
			}
			seen[key] = true
		}
		if err := w.value(at, level+1); err != nil {
			return err
		}
	}
	_, _ = w.dec.Token()
	return nil
}

func fieldName(path string) string {
	if path == "" {
		return "body"
	}
	return path
}

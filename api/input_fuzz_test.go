package api

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCheckJSON: the text check ends on any input, and what it passes
// decodes to text PostgreSQL can store without a member given twice.
func FuzzCheckJSON(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `{"a":[1,}`, `{"a":"\u0000"}`, "{\"a\":\"\xff\"}", `[{"x":1,"X":2}]`,
		`{"scans":[{"id":"1","tracking_no":"SF\u00001"}]}`, `{"n\u0061me":1,"name":2}`, `"\ud800"`, `[[[[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if checkJSON(body, 0) != nil {
			return
		}
		var v any
		if json.Unmarshal(body, &v) != nil || !utf8.Valid(body) {
			return
		}
		var walk func(any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				if strings.ContainsRune(x, 0) {
					t.Fatalf("passed a NUL in %q", body)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			case map[string]any:
				for k, e := range x {
					if strings.ContainsRune(k, 0) {
						t.Fatalf("passed a NUL member name in %q", body)
					}
					walk(e)
				}
			}
		}
		walk(v)
	})
}

package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"sort"
	"strings"
)

// gen makes requests from the OpenAPI document's schemas and mutates them.
type gen struct {
	spec map[string]any
	rng  *rand.Rand
}

// badUTF8 stands in for invalid UTF-8 until the body is marshalled, since
// encoding/json would replace the bytes themselves.
const badUTF8 = "\u0001BADUTF8\u0001"

// request builds mutation i of an operation: the first is the request as
// the schema describes it, the rest each break it in one way.
func (g *gen) request(method, path string, op map[string]any, i int, base any) fuzzRequest {
	r := fuzzRequest{method: method, target: path, what: "as specified"}
	query := url.Values{}
	var names []string
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		pm, _ := g.resolve(p).(map[string]any)
		if pm["in"] == "query" {
			name, _ := pm["name"].(string)
			query.Set(name, g.scalarString(pm["schema"]))
			names = append(names, name)
		}
	}
	if strings.HasSuffix(path, "/optimize") {
		query.Set("time_limit", "20ms") // the solver is not what is fuzzed here
	}
	var body any
	hasBody := false
	if rb, ok := op["requestBody"].(map[string]any); ok {
		content, _ := rb["content"].(map[string]any)
		for ct, media := range content {
			if strings.Contains(ct, "json") {
				mm, _ := media.(map[string]any)
				body, hasBody = g.value(mm["schema"], 0), true
				if base != nil {
					body, r.what = base, "valid body"
				}
				r.contentType = "application/json"
			}
		}
	}
	mutateQuery := func() {
		if len(names) == 0 {
			r.target += "?x=%00"
			r.what = "query with NUL"
			return
		}
		name := names[g.rng.IntN(len(names))]
		v := []string{"\x00", "\xff\xfe", "99999999999999999999999", "-1", "0", "1e400", "NaN", "true", "", strings.Repeat("9", 300)}[g.rng.IntN(10)]
		query.Set(name, v)
		r.what = fmt.Sprintf("query %s=%q", name, v)
	}
	if i > 0 {
		switch k := g.rng.IntN(10); {
		case !hasBody || k < 2:
			if g.rng.IntN(4) == 0 && strings.Contains(path, "/") {
				segs := strings.Split(path, "/")
				j := 2 + g.rng.IntN(len(segs)-2)
				segs[j] += []string{"%00", "%FF", "%C0%80"}[g.rng.IntN(3)]
				r.target, r.what = strings.Join(segs, "/"), "path segment "+segs[j]
			} else {
				mutateQuery()
			}
		case k == 2:
			r.contentType, r.what = []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}[g.rng.IntN(3)], "non-JSON media type"
		default:
			body, r.what = g.mutate(body)
		}
	}
	if hasBody {
		r.body = g.encode(body, &r)
	}
	if q := query.Encode(); q != "" {
		sep := "?"
		if strings.Contains(r.target, "?") {
			sep = "&"
		}
		r.target += sep + q
	}
	return r
}

// encode marshals a body and applies the mutations that only raw bytes can
// carry: invalid UTF-8, a duplicate member, a cut or empty body.
func (g *gen) encode(body any, r *fuzzRequest) []byte {
	b, err := json.Marshal(body)
	if err != nil {
		b = []byte(`{}`)
	}
	b = bytes.ReplaceAll(b, []byte(`"\u0001BADUTF8\u0001"`), []byte("\"bad \xff\xfe\xc0\x80\""))
	switch r.what {
	case "duplicate member":
		if i := bytes.IndexByte(b, '{'); i >= 0 && len(b) > i+2 && b[i+1] == '"' {
			end := bytes.IndexByte(b[i+2:], '"')
			key := b[i+1 : i+3+end]
			b = append(append(append([]byte{}, b[:i+1]...), append(key, []byte(`:null,`)...)...), b[i+1:]...)
		}
	case "cut body":
		b = b[:len(b)/2]
	case "empty body":
		b = []byte{}
	case "deep nesting":
		b = append(bytes.Repeat([]byte("["), 20000), bytes.Repeat([]byte("]"), 20000)...)
	}
	return b
}

// mutate breaks the body in one way, at a random place in it.
func (g *gen) mutate(body any) (any, string) {
	switch g.rng.IntN(9) {
	case 0:
		return g.replaceLeaf(body, func(any) any { return "NUL\x00inside" }), "NUL in a string"
	case 1:
		return g.replaceLeaf(body, func(any) any { return badUTF8 }), "invalid UTF-8 in a string"
	case 2:
		return g.replaceLeaf(body, func(any) any {
			return json.Number([]string{"1e400", "-1e400", "123456789012345678901234567890", "9223372036854775808", "-0.0000001"}[g.rng.IntN(5)])
		}), "huge number"
	case 3:
		return g.replaceLeaf(body, func(any) any {
			return []any{"text", 1.5, true, nil, []any{}, map[string]any{}, json.Number("-1")}[g.rng.IntN(7)]
		}), "wrong type"
	case 4:
		return body, "duplicate member"
	case 5:
		return body, "cut body"
	case 6:
		return body, "empty body"
	case 7:
		return body, "deep nesting"
	}
	return g.replaceLeaf(body, func(any) any { return strings.Repeat("长", 100_000) }), "huge string"
}

// replaceLeaf replaces one value picked at random in v (v itself when it
// has no members) with what f makes of it.
func (g *gen) replaceLeaf(v any, f func(any) any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 || g.rng.IntN(5) == 0 {
			return f(v)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		k := keys[g.rng.IntN(len(keys))]
		x[k] = g.replaceLeaf(x[k], f)
		return x
	case []any:
		if len(x) == 0 || g.rng.IntN(5) == 0 {
			return f(v)
		}
		j := g.rng.IntN(len(x))
		x[j] = g.replaceLeaf(x[j], f)
		return x
	}
	return f(v)
}

// resolve follows a local $ref.
func (g *gen) resolve(v any) any {
	for i := 0; i < 8; i++ {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v
		}
		var cur any = g.spec
		for _, p := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			p = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
			cm, _ := cur.(map[string]any)
			cur = cm[p]
		}
		v = cur
	}
	return v
}

// value makes a value that fits schema s, as far as a simple reading of
// it goes: an example or enum first, the required members and half the
// optional ones, one or two array items.
func (g *gen) value(s any, depth int) any {
	m, _ := g.resolve(s).(map[string]any)
	if m == nil || depth > 8 {
		return nil
	}
	if ex, ok := m["example"]; ok {
		return ex
	}
	if en, ok := m["enum"].([]any); ok && len(en) > 0 {
		return en[g.rng.IntN(len(en))]
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if alts, ok := m[k].([]any); ok && len(alts) > 0 {
			return g.value(alts[g.rng.IntN(len(alts))], depth+1)
		}
	}
	if all, ok := m["allOf"].([]any); ok {
		out := map[string]any{}
		for _, part := range all {
			if pm, ok := g.value(part, depth+1).(map[string]any); ok {
				for k, v := range pm {
					out[k] = v
				}
			}
		}
		return out
	}
	typ, _ := m["type"].(string)
	if ts, ok := m["type"].([]any); ok && len(ts) > 0 {
		typ, _ = ts[0].(string)
	}
	switch typ {
	case "object", "":
		props, _ := m["properties"].(map[string]any)
		if typ == "" && props == nil {
			return "A"
		}
		required := map[string]bool{}
		if req, ok := m["required"].([]any); ok {
			for _, r := range req {
				name, _ := r.(string)
				required[name] = true
			}
		}
		keys := make([]string, 0, len(props))
		for k := range props {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := map[string]any{}
		for _, k := range keys {
			if required[k] || g.rng.IntN(2) == 0 {
				out[k] = g.value(props[k], depth+1)
			}
		}
		return out
	case "array":
		n := 1 + g.rng.IntN(2)
		out := make([]any, n)
		for i := range out {
			out[i] = g.value(m["items"], depth+1)
		}
		return out
	case "integer":
		return json.Number(fmt.Sprint(g.intIn(m)))
	case "number":
		return json.Number(fmt.Sprint(g.intIn(m)))
	case "boolean":
		return g.rng.IntN(2) == 0
	case "null":
		return nil
	}
	return g.stringFor(m)
}

func (g *gen) intIn(m map[string]any) int64 {
	lo, hi := int64(1), int64(1000)
	if v, ok := m["minimum"].(float64); ok {
		lo = int64(v)
	}
	if v, ok := m["maximum"].(float64); ok && int64(v) >= lo {
		hi = int64(v)
	}
	if hi-lo > 1_000_000 {
		hi = lo + 1_000_000
	}
	return lo + g.rng.Int64N(hi-lo+1)
}

func (g *gen) stringFor(m map[string]any) string {
	switch m["format"] {
	case "date-time":
		return "2026-06-01T08:00:00Z"
	case "date":
		return "2026-06-01"
	case "uuid":
		return fmt.Sprintf("%08x-0000-4000-8000-%012x", g.rng.Uint32(), g.rng.Uint64()&0xffffffffffff)
	}
	return []string{"A", "SF", "M00001", "SF0001", "T1", "hub_inbound", "测试"}[g.rng.IntN(7)]
}

// scalarString is a query parameter's value as text.
func (g *gen) scalarString(s any) string {
	switch v := g.value(s, 0).(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		b, _ := json.Marshal(v)
		return strings.Trim(string(b), `"`)
	}
}

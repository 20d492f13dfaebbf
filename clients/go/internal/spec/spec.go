// Package spec prepares the server's OpenAPI 3.1 document for the client
// generator. The document is served as it is; the generator
// (oapi-codegen v2.8.2) reads OpenAPI 3.1, including `type: [T, "null"]`
// for a nullable value, but not a `type` array naming two or more
// non-null types, which tongpei uses twice: a plan's time_limit ("30s" or
// 30) and a VROOM route's geometry (GeoJSON object, encoded polyline or
// null). Prepare rewrites exactly that construct and nothing else.
package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Prepare returns doc with every schema whose `type` is an array of two or
// more non-null types rewritten as an `anyOf` of one single-type schema per
// entry (a "null" entry becomes {"type": "null"}, which the generator reads
// as nullability). The two forms accept the same instances: JSON Schema
// 2020-12 Validation §6.1.1 defines a type array as "the instance is in
// any of the sets listed", which is anyOf over the single types; the
// schema's other keywords stay where they were, so they keep applying to
// every branch as before. anyOf rather than oneOf, because "integer" and
// "number" overlap and oneOf would then reject whole numbers.
func Prepare(doc []byte) ([]byte, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber() // numbers pass through as written, not as float64
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("spec: the OpenAPI document is not JSON: %w", err)
	}
	if err := rewrite(v, ""); err != nil {
		return nil, err
	}
	return json.MarshalIndent(v, "", "  ")
}

// rewrite walks every object of the document; at is its JSON pointer, for
// the error message.
func rewrite(v any, at string) error {
	switch x := v.(type) {
	case map[string]any:
		if types, ok := x["type"].([]any); ok && nonNull(types) > 1 {
			if _, taken := x["anyOf"]; taken {
				// Merging two anyOfs would need an allOf; the document has
				// none, so refuse rather than guess.
				return fmt.Errorf("spec: %s has both a type array and anyOf", at)
			}
			branches := make([]any, 0, len(types))
			for _, t := range types {
				branches = append(branches, map[string]any{"type": t})
			}
			delete(x, "type")
			x["anyOf"] = branches
		}
		for k, child := range x {
			if err := rewrite(child, at+"/"+k); err != nil {
				return err
			}
		}
	case []any:
		for i, child := range x {
			if err := rewrite(child, fmt.Sprintf("%s/%d", at, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func nonNull(types []any) int {
	n := 0
	for _, t := range types {
		if t != "null" {
			n++
		}
	}
	return n
}

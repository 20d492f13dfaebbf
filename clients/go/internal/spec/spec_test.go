package spec_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/clients/go/internal/spec"
)

func TestPrepareRewritesOnlyMultiTypeArrays(t *testing.T) {
	t.Parallel()
	in := `{"a": {"type": ["string", "number"], "description": "d", "minimum": 1},
		"b": {"type": ["string", "null"]},
		"c": {"type": "integer", "example": 12345678901234567890},
		"d": [{"type": ["object", "string", "null"]}]}`
	out, err := spec.Prepare([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := `{"a": {"anyOf": [{"type": "string"}, {"type": "number"}], "description": "d", "minimum": 1},
		"b": {"type": ["string", "null"]},
		"c": {"type": "integer", "example": 12345678901234567890},
		"d": [{"anyOf": [{"type": "object"}, {"type": "string"}, {"type": "null"}]}]}`
	var wantV map[string]any
	dec = json.NewDecoder(strings.NewReader(want))
	dec.UseNumber()
	if err := dec.Decode(&wantV); err != nil {
		t.Fatal(err)
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(wantV)
	if !bytes.Equal(g, w) {
		t.Fatalf("got  %s\nwant %s", g, w)
	}
}

func TestPrepareRefusesTypeArrayBesideAnyOf(t *testing.T) {
	t.Parallel()
	_, err := spec.Prepare([]byte(`{"x": {"type": ["string", "number"], "anyOf": [{"minLength": 1}]}}`))
	if err == nil || !strings.Contains(err.Error(), "/x") {
		t.Fatalf("want an error naming /x, got %v", err)
	}
}

// TestPrepareKeepsTheMeaning checks the claim the rewrite rests on: each
// rewritten schema accepts and rejects the same instances as the original.
func TestPrepareKeepsTheMeaning(t *testing.T) {
	t.Parallel()
	schemas := []string{
		`{"type": ["string", "number"], "minimum": 100}`,
		`{"type": ["object", "string", "null"]}`,
		`{"type": ["integer", "number"]}`,
	}
	instances := []any{"30s", 10.0, 99.0, 100.0, 1.5, nil, map[string]any{}, []any{}, true}
	for _, s := range schemas {
		prepared, err := spec.Prepare([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		before, after := compile(t, []byte(s)), compile(t, prepared)
		for _, inst := range instances {
			if b, a := before.Validate(inst) == nil, after.Validate(inst) == nil; b != a {
				t.Errorf("%s on %#v: valid %v before, %v after (%s)", s, inst, b, a, prepared)
			}
		}
	}
}

// TestPrepareOnTheServedDocument: the served document has multi-type arrays
// (otherwise this package is no longer needed and should go), and none is
// left after Prepare.
func TestPrepareOnTheServedDocument(t *testing.T) {
	t.Parallel()
	doc, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if n := multiTypeArrays(t, doc); n == 0 {
		t.Fatal("the served document has no multi-type arrays any more: the rewrite is not needed, remove internal/spec")
	}
	out, err := spec.Prepare(doc)
	if err != nil {
		t.Fatal(err)
	}
	if n := multiTypeArrays(t, out); n != 0 {
		t.Fatalf("%d multi-type arrays left", n)
	}
}

func multiTypeArrays(t *testing.T, doc []byte) int {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	n := 0
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if types, ok := x["type"].([]any); ok {
				nonNull := 0
				for _, ty := range types {
					if ty != "null" {
						nonNull++
					}
				}
				if nonNull > 1 {
					n++
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return n
}

func compile(t *testing.T, schema []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("s.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("s.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

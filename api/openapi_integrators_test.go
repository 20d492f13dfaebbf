package api_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/api"
)

// TestOpenAPIServesIntegrators checks what SDK generators and API portals
// need of every operation: a unique operationId, tags the document
// declares, a short summary and a description.
func TestOpenAPIServesIntegrators(t *testing.T) {
	t.Parallel()
	raw, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tags []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
		} `json:"tags"`
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, tag := range doc.Tags {
		if declared[tag.Name] {
			t.Errorf("tag %q declared twice", tag.Name)
		}
		if tag.Description == "" {
			t.Errorf("tag %q has no description", tag.Name)
		}
		declared[tag.Name] = true
	}
	ids := map[string]string{}
	var problems []string
	for path, ops := range doc.Paths {
		for method, rawOp := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete":
			default:
				continue
			}
			var op struct {
				OperationID string   `json:"operationId"`
				Tags        []string `json:"tags"`
				Summary     string   `json:"summary"`
				Description string   `json:"description"`
			}
			if err := json.Unmarshal(rawOp, &op); err != nil {
				t.Fatal(err)
			}
			where := strings.ToUpper(method) + " " + path
			switch prev, dup := ids[op.OperationID]; {
			case op.OperationID == "":
				problems = append(problems, where+": no operationId")
			case dup:
				problems = append(problems, where+": operationId "+op.OperationID+" is also "+prev+"'s")
			default:
				ids[op.OperationID] = where
			}
			if len(op.Tags) == 0 {
				problems = append(problems, where+": no tags")
			}
			for _, tag := range op.Tags {
				if !declared[tag] {
					problems = append(problems, where+": tag "+tag+" is not declared (add it to base.json's or the fragment's tags)")
				}
			}
			if op.Summary == "" || len([]rune(op.Summary)) > 100 {
				problems = append(problems, where+": summary empty or over 100 characters")
			}
			if op.Description == "" {
				problems = append(problems, where+": no description")
			}
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

package layers

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/tongpei/tongpei"

type pkg struct {
	ImportPath string
	Deps       []string
	Standard   bool
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps=false", "-json", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []pkg
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func TestImportDirection(t *testing.T) {
	t.Parallel()
	for _, p := range listPackages(t) {
		rel := strings.TrimPrefix(p.ImportPath, module+"/")
		isDomain := !strings.HasPrefix(rel, "api") && !strings.HasPrefix(rel, "cmd/")
		for _, d := range p.Deps {
			switch {
			case isDomain && (strings.HasPrefix(d, "github.com/gin-gonic/") || d == module+"/api"):
				t.Errorf("%s imports %s: domain packages never know about HTTP", rel, d)
			case strings.HasSuffix(d, "/pgtest") || strings.HasSuffix(d, "/bustest"):
				// The test helpers' own tools (pgtest/cleanup) may use them.
				if !strings.Contains(rel, "pgtest") && !strings.Contains(rel, "bustest") {
					t.Errorf("%s imports the test helper %s outside tests", rel, d)
				}
			}
		}
	}
}

func TestOptimiserIsStandardLibraryOnly(t *testing.T) {
	t.Parallel()
	// The optimiser and its file formats beside it.
	for _, pkg := range []string{"/dispatch/vrp", "/dispatch/vrp/vrpio"} {
		out, err := exec.Command("go", "list", "-f", `{{join .Deps "\n"}}`, module+pkg).Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		for _, d := range strings.Fields(string(out)) {
			if d == module+"/dispatch/vrp" {
				continue // vrpio reads into the model
			}
			if strings.Contains(strings.SplitN(d, "/", 2)[0], ".") {
				t.Errorf("%s depends on %s; the optimiser may use only the standard library", pkg[1:], d)
			}
		}
	}
}

package pricing_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDomainImports keeps the layering honest (STYLE.md rule 1): pricing
// never reaches HTTP or the API, and pgx is used only by the store files.
func TestDomainImports(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list is not available: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/gin-gonic/") || dep == "github.com/tongpei/tongpei/api" {
			t.Errorf("pricing depends on %s; domain code must not know HTTP", dep)
		}
	}
	// net/http only directly: internal/pg's pool metrics reach it through
	// the Prometheus client, which is not pricing knowing HTTP.
	direct, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(direct)) {
		if dep == "net/http" {
			t.Errorf("pricing imports %s; domain code must not know HTTP", dep)
		}
	}
	files, err := exec.Command("go", "list", "-f", `{{join .GoFiles " "}}`, ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(string(files)) {
		if strings.HasPrefix(f, "store") || strings.HasSuffix(f, "_store.go") {
			continue
		}
		imports, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, f).Output()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(imports), "jackc/pgx") {
			t.Errorf("%s imports pgx; only store.go and *_store.go may", f)
		}
	}
}

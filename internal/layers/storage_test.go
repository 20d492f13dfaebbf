package layers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// storageDomains are the domain packages (with their sub-packages) whose
// SQL must live at one storage edge: files named store.go, store_*.go or
// *_store.go, as pricing first did. internal/pg is that edge's own tool and
// internal/bus's outbox is the bus's storage, so they are not listed.
var storageDomains = []string{"stations", "dispatch", "pricing", "kpi", "settlement", "demo", "internal/auth"}

// sqlText finds a statement in a string literal: the keywords tongpei's
// queries are written with, in capitals as STYLE.md asks.
var sqlText = regexp.MustCompile(`\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|WITH [a-z_]+ AS)\b`)

func isStoreFile(name string) bool {
	return name == "store.go" || strings.HasPrefix(name, "store_") || strings.HasSuffix(name, "_store.go")
}

// TestSQLLivesInStoreFiles: only a domain's store files import pgx or hold
// SQL, so its rules read without the database and every database error
// passes the one translator (internal/pg.Err) on its way out.
func TestSQLLivesInStoreFiles(t *testing.T) {
	t.Parallel()
	root := moduleRoot(t)
	for _, dom := range storageDomains {
		err := filepath.WalkDir(filepath.Join(root, dom), func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() && (name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || isStoreFile(name) {
				return nil
			}
			rel, _ := filepath.Rel(root, path)
			checkNoStorage(t, rel, path)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func checkNoStorage(t *testing.T, rel, path string) {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(p, "github.com/jackc/pgx") {
			t.Errorf("%s imports %s: only a domain's store files talk to PostgreSQL", rel, p)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if ok && lit.Kind == token.STRING {
			if s, _ := strconv.Unquote(lit.Value); sqlText.MatchString(s) {
				t.Errorf("%s holds SQL (%q…): move the query into the package's store file", rel, firstLine(s))
				return false
			}
		}
		return true
	})
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i > 0 {
		s = s[:i]
	}
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

// moduleRoot is the directory of go.mod, two levels above this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", dir, err)
	}
	return dir
}

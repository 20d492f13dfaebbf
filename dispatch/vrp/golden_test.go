package vrp

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestGolden solves small instances with an iteration limit (so the result
// depends on the seed alone) and compares the solutions with
// testdata/golden/*.json. Regenerate after an intended change of the search
// with VRP_UPDATE_GOLDEN=1 go test -run TestGolden ./dispatch/vrp/ and
// review the diff: a cost that rises is a regression.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, k := range testKinds {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			in := randomInstance(k, 35, 99)
			sol := solveChecked(t, in, Options{Seed: 1, MaxIterations: 60, TimeLimit: time.Minute})
			got, err := json.MarshalIndent(sol, "", " ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", k.name+".json")
			if os.Getenv("VRP_UPDATE_GOLDEN") != "" {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with VRP_UPDATE_GOLDEN=1 to create it)", err)
			}
			if !bytes.Equal(got, want) {
				var w Solution
				_ = json.Unmarshal(want, &w)
				t.Errorf("solution differs from %s: cost %d, golden %d (VRP_UPDATE_GOLDEN=1 to accept)", path, sol.Cost, w.Cost)
			}
		})
	}
}

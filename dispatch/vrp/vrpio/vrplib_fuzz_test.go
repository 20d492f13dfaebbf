package vrpio

import (
	"github.com/tongpei/tongpei/dispatch/vrp"

	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadVRPLIB feeds arbitrary text to the instance and solution readers:
// they must return an *InputError or a usable instance, never panic.
func FuzzReadVRPLIB(f *testing.F) {
	f.Add([]byte(tinyCVRP), []byte("Route #1: 1 2\nRoute #2: 3\nCost 30\n"))
	f.Add([]byte("NAME : m\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : LOWER_ROW\nCAPACITY : 5\nEDGE_WEIGHT_SECTION\n1\n2 3\nDEMAND_SECTION\n1 0\n2 1\n3 1\nEOF\n"), []byte("Cost 1"))
	f.Add([]byte("NAME : s\nTYPE : VRPSPD\nDIMENSION : 2\nVEHICLES : 1\nCAPACITY : 9\nEDGE_WEIGHT_TYPE : EXPLICIT\nEDGE_WEIGHT_FORMAT : FULL_MATRIX\nEDGE_WEIGHT_SECTION\n0 4\n4 0\nPICKUP_AND_DELIVERY_SECTION\n1 0 0 100 0 0 0\n2 0 0 100 0 3 2\nEOF\n"), []byte("Route #1: 1\nCost 8\n"))
	f.Add([]byte("NAME: X-FSM\nTYPE: HFVRP\nDIMENSION: 3\nVEHICLES: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\nDEMAND_SECTION\n1 0\n2 1\n3 1\nCAPACITY_SECTION\n1 5\n2 9\nVEHICLES_FIXED_COST_SECTION\n1 100\n2 200\nDEPOT_SECTION\n1\nEOF\n"), []byte("Route #1: 1 2\nRoute #2:\nCost: 12.5\n"))
	if raw, err := os.ReadFile(filepath.Join(benchDir, "hfvrp/X115-HVRP.vrp")); err == nil {
		f.Add(raw, []byte("Cost: 1"))
	}
	f.Fuzz(func(t *testing.T, data, sol []byte) {
		v, err := ReadVRPLIB(bytes.NewReader(data))
		if err != nil {
			var ie *vrp.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error is not an *InputError: %v", err)
			}
			return
		}
		in := v.Instance
		if len(in.Distance) != in.N()*in.N() || len(in.VehicleTypes) == 0 {
			t.Fatalf("inconsistent instance: N %d, %d distances, %d types", in.N(), len(in.Distance), len(in.VehicleTypes))
		}
		s, _, err := v.ReadSolution(bytes.NewReader(sol))
		if err != nil {
			return
		}
		if _, err := vrp.Evaluate(in, s); err != nil {
			return
		}
		var buf bytes.Buffer
		if err := v.WriteSolution(&buf, s); err != nil && v.Dialect != DialectHF {
			t.Fatalf("write: %v", err)
		}
	})
}

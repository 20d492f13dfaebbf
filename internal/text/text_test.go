package text

import "testing"

func TestProblem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"", true}, {"SF1234567", true}, {"溪平镇", true}, {"emoji 📦", true},
		{"SF\x00", false}, {"\x00", false}, {"bad \xff", false}, {"\xed\xa0\x80", false}, // a lone surrogate in UTF-8 form
	} {
		if got := Valid(tc.in); got != tc.ok {
			t.Errorf("Valid(%q) = %v, want %v (%s)", tc.in, got, tc.ok, Problem(tc.in))
		}
	}
}

func FuzzProblem(f *testing.F) {
	f.Add("SF1\x00")
	f.Fuzz(func(t *testing.T, s string) {
		if Valid(s) {
			for _, r := range s {
				if r == 0 || r == '\uFFFD' && !containsReplacement(s) {
					t.Fatalf("Valid(%q) but it holds NUL or bad UTF-8", s)
				}
			}
		}
	})
}

func containsReplacement(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == 0xEF && s[i+1] == 0xBF && s[i+2] == 0xBD {
			return true
		}
	}
	return false
}

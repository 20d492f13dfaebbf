package stations

import (
	"strings"
	"testing"
)

func TestValidCreditCode(t *testing.T) {
	t.Parallel()
	// Published codes of well-known firms (e.g. 9144030071526726XG is
	// Shenzhen Tencent Computer Systems, 914403001922038216 is Huawei
	// Technologies): real codes with real check characters.
	valid := []string{
		"9144030071526726XG",
		"914403001922038216",
		"91330100716105852F",
		"91110000802100433B",
		"91110108551385082Q",
		"91440300708461136T",
	}
	for _, code := range valid {
		if !ValidCreditCode(code) {
			t.Errorf("%s: valid code refused", code)
		}
		if p := creditCodeProblem(code); p != "" {
			t.Errorf("%s: %s", code, p)
		}
	}
	invalid := map[string]string{
		"9144030071526726XH":  "last character changed",
		"914403001922038217":  "check digit off by one",
		"9144030071526762XG":  "two digits swapped",
		"9144030071526726X":   "17 characters",
		"9144030071526726XG0": "19 characters",
		"9144030071526726xg":  "lower case",
		"9I4403001922038216":  "I is not in the alphabet",
		"91440300192203821O":  "O is not in the alphabet",
		"":                    "empty",
		"九144030071526726XG":  "not ASCII",
	}
	for code, why := range invalid {
		if ValidCreditCode(code) {
			t.Errorf("%q (%s): accepted", code, why)
		}
		if creditCodeProblem(code) == "" {
			t.Errorf("%q (%s): no problem reported", code, why)
		}
	}
}

func TestCreditCheckCharNamesTheFix(t *testing.T) {
	t.Parallel()
	p := creditCodeProblem("9144030071526726XH")
	if !strings.Contains(p, "should be G") {
		t.Fatalf("problem does not say the right check character: %s", p)
	}
}

// TestCreditCodeCatchesEverySingleChange is the checksum's promise: any
// one changed symbol makes the code invalid.
func TestCreditCodeCatchesEverySingleChange(t *testing.T) {
	t.Parallel()
	code := "914403001922038216"
	for i := range len(code) {
		for j := range len(creditAlphabet) {
			c := creditAlphabet[j]
			if c == code[i] {
				continue
			}
			changed := code[:i] + string(c) + code[i+1:]
			if ValidCreditCode(changed) {
				t.Fatalf("%s (position %d changed) is accepted", changed, i)
			}
		}
	}
}

func FuzzCreditCode(f *testing.F) {
	for _, s := range []string{"9144030071526726XG", "914403001922038216", "", "91530427MA6K00000X", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		ok := ValidCreditCode(code)
		if ok != (creditCodeProblem(code) == "") {
			t.Fatalf("%q: ValidCreditCode=%v but problem=%q", code, ok, creditCodeProblem(code))
		}
		if len(code) >= 17 {
			c, fine := CreditCheckChar(code[:17])
			if fine && !ValidCreditCode(code[:17]+string(c)) {
				t.Fatalf("%q: the check character %c does not make a valid code", code[:17], c)
			}
		}
	})
}

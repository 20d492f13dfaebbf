package stations

import "strings"

// creditAlphabet is the 31-symbol alphabet of the unified social credit
// code (统一社会信用代码, GB 32100-2015): digits and capital letters without
// I, O, Z, S and V, which are too easy to misread.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are the weights of the first 17 positions, 3^i mod 31.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCheckChar returns the check character GB 32100-2015 gives the first
// 17 characters of a credit code, and false when those are not 17 symbols
// of the code's alphabet. The demonstration data uses it to make valid
// codes; ValidCreditCode uses it to catch typing errors.
func CreditCheckChar(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditAlphabet, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditAlphabet[c], true
}

// ValidCreditCode reports whether code is 18 symbols of the credit-code
// alphabet whose last one is the right check character. It does not know
// whether the code was ever issued: only the registry of market entities
// knows that.
func ValidCreditCode(code string) bool {
	if len(code) != 18 {
		return false
	}
	want, ok := CreditCheckChar(code[:17])
	return ok && code[17] == want
}

// creditCodeProblem says what is wrong with a credit code in words a clerk
// can act on, or "" when it is valid.
func creditCodeProblem(code string) string {
	switch {
	case len(code) != 18:
		return "must be the 18 characters of the 统一社会信用代码 (unified social credit code)"
	case strings.IndexFunc(code, func(r rune) bool { return !strings.ContainsRune(creditAlphabet, r) }) >= 0:
		return "may hold only digits and capital letters other than I, O, S, V and Z"
	case !ValidCreditCode(code):
		want, _ := CreditCheckChar(code[:17])
		return "fails the GB 32100-2015 check: the last character should be " + string(want) + " for these first 17; check the code for a typing error"
	}
	return ""
}

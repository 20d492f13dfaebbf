package api_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// code128Widths are the bar and space widths, in modules, of the Code 128
// symbol values 0 … 105 and the stop pattern (106), as ISO/IEC 15417 lists
// them (bar, space, bar, space, bar, space). The test reads the drawn bars
// with this table, written out independently of the library that draws them.
var code128Widths = [107]string{
	"212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
	"221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
	"221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
	"212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
	"231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
	"231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
	"314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
	"112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
	"111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
	"214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
	"114131", "311141", "411131", "211412", "211214", "211232", "2331112",
}

// decodeCode128 reads a row of modules (true = bar) the way a scanner does:
// the quiet zones, then symbols of 11 modules each, the checksum (start
// value plus each symbol value times its position, modulo 103) and the stop
// pattern; it follows code sets A, B and C and their switches.
func decodeCode128(mods []bool) (string, error) {
	lo, hi := 0, len(mods)
	for lo < hi && !mods[lo] {
		lo++
	}
	for hi > lo && !mods[hi-1] {
		hi--
	}
	if lo < 10 || len(mods)-hi < 10 {
		return "", fmt.Errorf("quiet zones of %d and %d modules, want at least 10", lo, len(mods)-hi)
	}
	var runs strings.Builder
	for x := lo; x < hi; {
		n := 0
		for y := x; y < hi && mods[y] == mods[x]; y++ {
			n++
		}
		if n > 4 {
			return "", fmt.Errorf("a run of %d modules at %d", n, x)
		}
		runs.WriteByte(byte('0' + n))
		x += n
	}
	rs := runs.String()
	if len(rs) < 6*3+7 || (len(rs)-7)%6 != 0 || rs[len(rs)-7:] != code128Widths[106] {
		return "", fmt.Errorf("runs %q do not end in a stop pattern", rs)
	}
	value := map[string]int{}
	for v, w := range code128Widths[:106] {
		value[w] = v
	}
	var vals []int
	for i := 0; i < len(rs)-7; i += 6 {
		v, ok := value[rs[i:i+6]]
		if !ok {
			return "", fmt.Errorf("symbol %d (%s) is no Code 128 pattern", i/6, rs[i:i+6])
		}
		vals = append(vals, v)
	}
	sum := vals[0]
	for i, v := range vals[1 : len(vals)-1] {
		sum += (i + 1) * v
	}
	if sum%103 != vals[len(vals)-1] {
		return "", fmt.Errorf("checksum %d, the symbol says %d", sum%103, vals[len(vals)-1])
	}
	var set byte
	switch vals[0] {
	case 103:
		set = 'A'
	case 104:
		set = 'B'
	case 105:
		set = 'C'
	default:
		return "", fmt.Errorf("starts with %d, not a start code", vals[0])
	}
	var out strings.Builder
	for _, v := range vals[1 : len(vals)-1] {
		switch {
		case set == 'C' && v < 100:
			fmt.Fprintf(&out, "%02d", v)
		case set != 'C' && v < 64:
			out.WriteByte(byte(' ' + v))
		case set == 'B' && v < 96:
			out.WriteByte(byte(' ' + v))
		case set == 'A' && v < 96:
			out.WriteByte(byte(v - 64))
		case v == 99 && set != 'C':
			set = 'C'
		case v == 100 && set != 'B':
			set = 'B'
		case v == 101 && set != 'A':
			set = 'A'
		default:
			return "", fmt.Errorf("value %d in code set %c is not handled", v, set)
		}
	}
	return out.String(), nil
}

var svgRect = regexp.MustCompile(`<rect x="(\d+)" width="(\d+)"`)
var svgViewBox = regexp.MustCompile(`viewBox="0 0 (\d+) \d+"`)

// svgModules reads the modules back from the drawn SVG's bars.
func svgModules(t *testing.T, svg string) []bool {
	t.Helper()
	m := svgViewBox.FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no viewBox in %.200s", svg)
	}
	n, _ := strconv.Atoi(m[1])
	mods := make([]bool, n)
	for _, r := range svgRect.FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.Atoi(r[1])
		w, _ := strconv.Atoi(r[2])
		for i := x; i < x+w; i++ {
			mods[i] = true
		}
	}
	return mods
}

// TestLabelBarcodeDecodes draws tracking numbers of each carrier's shape as
// Code 128 and reads the bars back with an independent decoder: what a
// handheld scanner reads is the tracking number.
func TestLabelBarcodeDecodes(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	for _, tn := range []string{"SF1234567890123", "YT8812345678901", "JT0001234567", "75123456789012", "SF8101", "A", "ZTO-77 x9"} {
		w := a.do("GET", "/v1/barcode?text="+strings.ReplaceAll(tn, " ", "%20"), a.admin, nil)
		expect(t, w, http.StatusOK)
		if ct := w.Header().Get("Content-Type"); ct != "image/svg+xml" {
			t.Fatalf("%s: Content-Type %q", tn, ct)
		}
		got, err := decodeCode128(svgModules(t, w.Body.String()))
		if err != nil || got != tn {
			t.Fatalf("the barcode of %q reads %q (%v)", tn, got, err)
		}
	}
	// A bar one module wider is caught, as a scanner would refuse it.
	mods := svgModules(t, a.do("GET", "/v1/barcode?text=SF1234567890123", a.admin, nil).Body.String())
	mods[10+11+3] = !mods[10+11+3]
	if got, err := decodeCode128(mods); err == nil {
		t.Errorf("a damaged barcode reads %q", got)
	}
	// A known symbol, worked by hand: "SF1234" is start B (104), S (51),
	// F (38), code C (99), 12, 34 and the checksum
	// (104 + 51 + 2·38 + 3·99 + 4·12 + 5·34) mod 103 = 746 mod 103 = 25.
	w := a.do("GET", "/v1/barcode?text=SF1234", a.admin, nil)
	mods = svgModules(t, w.Body.String())
	want := ""
	for _, v := range []int{104, 51, 38, 99, 12, 34, 25, 106} {
		want += code128Widths[v]
	}
	var runs strings.Builder
	bars := mods[10 : len(mods)-10]
	for x := 0; x < len(bars); {
		n := 1
		for x+n < len(bars) && bars[x+n] == bars[x] {
			n++
		}
		runs.WriteByte(byte('0' + n))
		x += n
	}
	if runs.String() != want {
		t.Errorf("SF1234 is drawn as %s, want %s", runs.String(), want)
	}
	for _, bad := range []string{"", "单号", strings.Repeat("1", 81), "a%0Ab"} {
		if w := a.do("GET", "/v1/barcode?text="+bad, a.admin, nil); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("text %q: %d", bad, w.Code)
		}
	}
}

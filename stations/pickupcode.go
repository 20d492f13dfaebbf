package stations

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// A pickup code (取件码) is shelf-layer-number, e.g. 3-2-4817: where the
// parcel sits, and a four-digit number the recipient says at the counter.
// The number alone is unique among the parcels waiting at a station (a
// partial unique index on the whole code backs this up in the database),
// so a keeper may type just the number.
const (
	codeMin = 1000
	codeMax = 9999
)

// issueCode picks the pickup code for a parcel arriving at a station. where
// is the keeper's "shelf-layer" (e.g. "3-2") from the arrival scan, "1-1"
// when absent or malformed. The number starts from a hash of the scan id, so
// a resent scan gets the same code, and moves on past numbers in use. It
// reports false when the station has no free number left.
func issueCode(scan uuid.UUID, where string, used map[int]bool) (string, bool) {
	shelf, layer := shelfLayer(where)
	span := codeMax - codeMin + 1
	start := int(binary.BigEndian.Uint32(scan[:4]) % uint32(span))
	for i := 0; i < span; i++ {
		n := codeMin + (start+i)%span
		if !used[n] {
			used[n] = true
			return fmt.Sprintf("%d-%d-%d", shelf, layer, n), true
		}
	}
	return "", false
}

// shelfLayer reads "shelf-layer" (each 1 to 99), defaulting to 1-1.
func shelfLayer(where string) (int, int) {
	a, b, ok := strings.Cut(where, "-")
	if !ok {
		return 1, 1
	}
	shelf, err1 := strconv.Atoi(a)
	layer, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || shelf < 1 || shelf > 99 || layer < 1 || layer > 99 {
		return 1, 1
	}
	return shelf, layer
}

// codeNumber is the number part of a pickup code, "" when it has none.
func codeNumber(code string) string {
	i := strings.LastIndexByte(code, '-')
	if i < 0 {
		return ""
	}
	return code[i+1:]
}

// codeNumberInt is codeNumber as an int, 0 when it has none.
func codeNumberInt(code string) int {
	n, _ := strconv.Atoi(codeNumber(code))
	return n
}

package api

import (
	"encoding/json"
	"fmt"
	"testing"
)

// BenchmarkCheckJSONScanBatch is the text check's cost on a batch of 100
// scans, the size the throughput figures use: the envelope once, then
// every scan on its own, as postScans does.
func BenchmarkCheckJSONScanBatch(b *testing.B) {
	scans := make([]map[string]any, 100)
	for i := range scans {
		scans[i] = map[string]any{"id": fmt.Sprintf("0190b7f0-0000-7000-8000-%012d", i), "carrier": "SF",
			"tracking_no": fmt.Sprintf("SF%010d", i), "kind": "station_arrival", "station": "XP-V-0101",
			"at": "2026-06-01T08:00:00Z", "note": "放在二号货架"}
	}
	body, _ := json.Marshal(map[string]any{"scans": scans})
	items := make([][]byte, len(scans))
	for i, s := range scans {
		items[i], _ = json.Marshal(s)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := checkJSON(body, 1); err != nil {
			b.Fatal(err)
		}
		for _, it := range items {
			if err := checkJSON(it, 0); err != nil {
				b.Fatal(err)
			}
		}
	}
}

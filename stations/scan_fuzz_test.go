package stations

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/auth"
)

// FuzzScanJSON feeds arbitrary scan JSON through the state machine in
// memory: it never panics, a refusal always says why, an accepted scan moves
// the parcel to its kind, and the same scan again is a duplicate (or, when
// refused for the parcel's state, refused the same way).
func FuzzScanJSON(f *testing.F) {
	f.Add([]byte(`{"id":"6f1c2a4e-9d7b-4a51-8c3e-2b9f0d4e5a61","carrier":"SF","tracking_no":"SF0001","kind":"station_arrival","station":"V1","at":"2026-11-29T08:00:00Z"}`))
	f.Add([]byte(`{"id":"6f1c2a4e-9d7b-4a51-8c3e-2b9f0d4e5a62","tracking_no":"SF0001","kind":"picked_up","station":"V1","at":"2026-11-29T08:00:00Z","pickup_code":"1-1-1000","note":"x"}`))
	f.Add([]byte(`{"id":"6f1c2a4e-9d7b-4a51-8c3e-2b9f0d4e5a63","tracking_no":"SF0001","kind":"sorted","station":"HUB","at":"2099-01-01T00:00:00Z","location":{"lon":200,"lat":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Scan
		if json.Unmarshal(data, &s) != nil {
			return
		}
		if code, detail := checkShape(&s); code != "" {
			if detail == "" {
				t.Fatalf("refused %s without a reason", code)
			}
			return
		}
		now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
		p := &parcelRow{id: 1, carrier: "SF", trackingNo: "SF0001", direction: Down, station: "V1", state: Loaded, createdAt: now.Add(-time.Hour)}
		b := &batch{now: now, who: auth.Principal{Role: auth.Admin}, parcels: map[string][]*parcelRow{"SF0001": {p}},
			tiers: map[string]string{"HUB": string(CountyHub), "V1": string(Village)},
			known: map[uuid.UUID]knownScan{}, used: map[string]map[int]bool{}}
		first := b.apply(&s)
		switch first.Status {
		case StatusAccepted:
			if p.state != s.Kind {
				t.Fatalf("accepted %s but the parcel is %s", s.Kind, p.state)
			}
		case StatusRejected:
			if first.Code == "" || first.Detail == "" {
				t.Fatalf("refusal without code or reason: %+v", first)
			}
		default:
			t.Fatalf("first sending: %+v", first)
		}
		again := b.apply(&s)
		switch {
		case first.Status == StatusAccepted && again.Status != StatusDuplicate:
			t.Fatalf("resend of an accepted scan: %+v", again)
		case first.Status == StatusRejected && remembered[first.Code] && again.Code != first.Code:
			t.Fatalf("resend of a refused scan: %+v, first %+v", again, first)
		}
	})
}

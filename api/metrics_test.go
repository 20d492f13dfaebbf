package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/dispatch"
)

// TestMetricsAnswerTheOperator checks that /metrics carries the day's
// series, with the values the requests before it made.
func TestMetricsAnswerTheOperator(t *testing.T) {
	t.Parallel()
	a := newCustodyAPI(t)
	a.deps.Dispatch = dispatch.NewService(a.pool)
	// The handler is rebuilt so that the dispatch series are read too.
	a.handler = api.New(a.deps)
	expect(t, a.do("POST", "/v1/parcels", a.sf, downJSON("SF400001", "V1", "13812345678")), http.StatusCreated)
	for _, kind := range []string{"hub_inbound", "sorted", "loaded", "station_arrival"} {
		station := "HUB"
		if kind == "station_arrival" {
			station = "V1"
		}
		expect(t, a.do("POST", "/v1/scans", a.admin, scanJSON("SF400001", kind, station)), http.StatusOK)
	}
	expect(t, a.do("POST", "/v1/scans", a.admin, scanJSON("SF400001", "sorted", "HUB")), http.StatusOK) // refused: already arrived
	expect(t, a.do("GET", "/v1/stations", "", nil), http.StatusUnauthorized)

	w := a.do("GET", "/metrics", "", nil)
	expect(t, w, http.StatusOK)
	body := w.Body.String()
	for _, want := range []string{
		`tongpei_scans_total{kind="station_arrival",status="accepted"} 1`,
		`tongpei_scans_total{kind="sorted",status="rejected"} 1`,
		`tongpei_parcels_waiting{station="V1"} 1`,
		`tongpei_parcels_overdue{station="V1"} 0`,
		`tongpei_auth_failures_total{status="401"} 1`,
		`tongpei_dispatch_jobs_unacknowledged 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

package stations_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/internal/auth"
	"github.com/tongpei/tongpei/stations"
)

// The scan benchmarks run against the local PostgreSQL (a fresh database
// each): go test ./stations/ -run '^$' -bench Scan -benchtime 20x
// This external test package imports api only to drive the real HTTP
// handler; the stations package itself never knows about HTTP.

// BenchmarkScanBatch applies batches of 100 and 1,000 scans, each batch a
// mix of parcels walking hub → shelf, and reports scans per second: from one
// sender, and from four at once (stations sync in parallel) on disjoint
// parcels.
func BenchmarkScanBatch(b *testing.B) {
	for _, c := range []struct{ size, senders int }{{100, 1}, {1000, 1}, {100, 4}, {1000, 4}} {
		b.Run(fmt.Sprintf("%dx%d", c.size, c.senders), func(b *testing.B) {
			f := newCustody(b)
			perSender := (b.N*c.size + c.senders - 1) / c.senders
			streams := make([][]stations.Scan, c.senders)
			for g := range streams {
				streams[g] = downStream(f.downParcels(fmt.Sprintf("B%d-%d", c.size, g), (perSender+len(downPath)-1)/len(downPath)))[:perSender]
			}
			b.ResetTimer()
			var wg sync.WaitGroup
			for _, stream := range streams {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for lo := 0; lo < len(stream); lo += c.size {
						res, err := f.c.Scan(f.ctx, opsAdmin, stream[lo:min(lo+c.size, len(stream))])
						if err != nil {
							b.Error(err)
							return
						}
						for _, r := range res {
							if r.Status != stations.StatusAccepted {
								b.Errorf("%+v", r)
								return
							}
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(c.senders*perSender)/b.Elapsed().Seconds(), "scans/s")
		})
	}
}

// downStream walks parcels (registered for V1 and V2 in turn) step by step
// from hub_inbound to returned: all first steps, then all second steps...
func downStream(tns []string) []stations.Scan {
	var stream []stations.Scan
	at := time.Now().UTC()
	for _, kind := range downPath {
		for i, tn := range tns {
			where := "HUB"
			if kind == stations.StationArrival || kind == stations.Returned {
				where = []string{"V1", "V2"}[i%2]
			}
			stream = append(stream, stations.Scan{ID: uuid.New(), Carrier: "SF", TrackingNo: tn, Kind: kind, Station: where, At: at})
		}
	}
	return stream
}

// keepersLoad is 50 keepers at 50 village stations, each with parcels
// loaded for their station, and the real HTTP server in front.
type keepersLoad struct {
	srv     *httptest.Server
	client  *http.Client
	tokens  []string
	parcels [][]string // per keeper
}

const keepers = 50

func newKeepersLoad(b *testing.B, perKeeper int) *keepersLoad {
	f := newCustody(b)
	tokens := auth.NewStore(f.pool)
	l := &keepersLoad{parcels: make([][]string, keepers)}
	var ps []stations.Parcel
	for k := range keepers {
		code := fmt.Sprintf("K%02d", k)
		if _, err := f.pool.Exec(f.ctx, `INSERT INTO stations (code, name, tier, parent, township, lon, lat)
			VALUES ($1, $1, 'village', 'T1', 'T1', 101.8, 23.9)`, code); err != nil {
			b.Fatal(err)
		}
		secret, _, err := tokens.Create(f.ctx, auth.Keeper, code, "bench")
		if err != nil {
			b.Fatal(err)
		}
		l.tokens = append(l.tokens, secret)
		for i := range perKeeper {
			tn := fmt.Sprintf("SK%02d%06d", k, i)
			l.parcels[k] = append(l.parcels[k], tn)
			ps = append(ps, downParcel("SF", tn, code, fmt.Sprintf("137%08d", i)))
		}
	}
	f.register(ps...)
	if _, err := f.pool.Exec(f.ctx, `UPDATE parcels SET state = 'loaded'`); err != nil {
		b.Fatal(err)
	}
	handler := api.New(api.Deps{Tokens: tokens, Registry: stations.NewRegistry(f.pool), Custody: f.c})
	l.srv = httptest.NewServer(handler)
	b.Cleanup(l.srv.Close)
	l.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: keepers}}
	b.Cleanup(l.client.CloseIdleConnections)
	return l
}

// arrive sends keeper k's station_arrival scan of parcel tn, as a phone
// would, and fails unless it is accepted.
func (l *keepersLoad) arrive(b *testing.B, k int, tn string) {
	body, _ := json.Marshal(map[string]any{"id": uuid.NewString(), "carrier": "SF", "tracking_no": tn,
		"kind": stations.StationArrival, "at": time.Now().UTC()})
	req, _ := http.NewRequest("POST", l.srv.URL+"/v1/scans", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+l.tokens[k])
	req.Header.Set("Content-Type", "application/json")
	resp, err := l.client.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	defer resp.Body.Close()
	var out struct{ Results []stations.Result }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 || out.Results[0].Status != stations.StatusAccepted {
		b.Errorf("scan of %s: %d %v %+v", tn, resp.StatusCode, err, out)
	}
}

// The single-scan benchmarks run their load once, whatever b.N: the load
// is the measurement. Run them with the default -benchtime.

// BenchmarkSingleScansOpenLoop has 50 keepers send single scans at 200 per
// second in all, each on its own schedule (4 per second, staggered),
// whatever the answers' pace (open loop). Latency counts from each scan's
// scheduled time, so a keeper held up by a slow answer shows its backlog.
func BenchmarkSingleScansOpenLoop(b *testing.B) {
	const rate, duration = 200, 5 * time.Second
	n := int(duration.Seconds()) * rate
	l := newKeepersLoad(b, n/keepers)
	b.ResetTimer()
	lat := make([]time.Duration, n)
	var wg sync.WaitGroup
	start := time.Now()
	for k := range keepers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j, tn := range l.parcels[k] {
				i := j*keepers + k
				due := start.Add(time.Duration(i) * time.Second / rate)
				time.Sleep(time.Until(due))
				l.arrive(b, k, tn)
				lat[i] = time.Since(due)
			}
		}()
	}
	wg.Wait()
	reportLatency(b, lat, time.Since(start))
}

// BenchmarkSingleScansClosedLoop has 50 keepers send single scans back to
// back, each waiting for its answer: the most single scans per second.
func BenchmarkSingleScansClosedLoop(b *testing.B) {
	const duration = 4 * time.Second
	l := newKeepersLoad(b, 200)
	b.ResetTimer()
	{ // one run is the measurement, whatever b.N
		var mu sync.Mutex
		var lat []time.Duration
		var wg sync.WaitGroup
		start := time.Now()
		for k := range keepers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []time.Duration
				for _, tn := range l.parcels[k] {
					if time.Since(start) > duration {
						break
					}
					t0 := time.Now()
					l.arrive(b, k, tn)
					mine = append(mine, time.Since(t0))
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		reportLatency(b, lat, time.Since(start))
	}
}

func reportLatency(b *testing.B, lat []time.Duration, elapsed time.Duration) {
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "scans/s")
	b.ReportMetric(q(0.50), "p50_ms")
	b.ReportMetric(q(0.99), "p99_ms")
	b.ReportMetric(q(1), "max_ms")
}

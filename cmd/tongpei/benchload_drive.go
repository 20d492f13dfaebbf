package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/stations"
)

// scanLoad drives the server as the county's phones would.
type scanLoad struct {
	base, admin, hub, carrier string
	client                    *http.Client
	keepers                   []*keeper
	all                       []string // every tracking number
}

// keeper is one phone: its token, its station and the parcels it has still
// to scan with the kind each needs next. A refused scan goes back to the
// front of the queue, to be sent again; an accepted arrival comes back for
// its return after about 50 other parcels, so a shelf holds about 50.
type keeper struct {
	station, token string
	mu             sync.Mutex
	todo           []todo
}

type todo struct{ trackingNo, kind string }

func (k *keeper) take() (todo, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.todo) == 0 {
		return todo{}, false
	}
	t := k.todo[0]
	k.todo = k.todo[1:]
	return t, true
}

func (k *keeper) putBack(t todo, at int) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.todo = slices.Insert(k.todo, min(at, len(k.todo)), t)
}

// register registers n down parcels spread over the keepers' stations.
func (l *scanLoad) register(ctx context.Context, n int) ([]string, error) {
	var batch []map[string]any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var out struct{ Results []stations.RegisterResult }
		if _, err := l.post(ctx, l.admin, "/v1/parcels", map[string]any{"parcels": batch}, &out); err != nil {
			return err
		}
		for _, r := range out.Results {
			if r.Status != stations.StatusCreated {
				return fmt.Errorf("registering %s: %s %s", r.TrackingNo, r.Status, r.Detail)
			}
		}
		batch = batch[:0]
		return nil
	}
	run := time.Now().Unix()
	first := len(l.all)
	for i := first; i < first+n; i++ {
		k := l.keepers[i%len(l.keepers)]
		tn := fmt.Sprintf("BL%d%07d", run, i)
		l.all = append(l.all, tn)
		k.mu.Lock()
		k.todo = append(k.todo, todo{tn, stations.StationArrival})
		k.mu.Unlock()
		batch = append(batch, map[string]any{"carrier": l.carrier, "tracking_no": tn, "direction": "down", "station": k.station,
			"recipient": map[string]string{"name": "王芳", "phone": fmt.Sprintf("138%08d", i)},
			"weight_g":  1200, "size_cm": map[string]int{"l": 30, "w": 20, "h": 10}})
		if len(batch) == stations.MaxParcels {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	return l.all[first:], flush()
}

// remaining is the single scans the keepers have left to send.
func (l *scanLoad) remaining() int {
	n := 0
	for _, k := range l.keepers {
		k.mu.Lock()
		n += len(k.todo)
		k.mu.Unlock()
	}
	return n
}

// ensureWork registers and walks more parcels until the keepers hold at
// least singles scans, so that a phase never runs out of work: a keeper
// without a parcel sends nothing, and a phase measured so would show the
// load generator's limit, not the server's.
func (l *scanLoad) ensureWork(ctx context.Context, singles int, w io.Writer) error {
	short := singles - l.remaining()
	if short <= 0 {
		return nil
	}
	t0 := time.Now()
	tns, err := l.register(ctx, (short+1)/2) // two single scans each: arrival, return
	if err != nil {
		return err
	}
	if _, err := l.walk(ctx, tns); err != nil {
		return err
	}
	fmt.Fprintf(w, "# topped up %d parcels in %.1fs\n", len(tns), time.Since(t0).Seconds())
	return nil
}

// walkToStations scans every parcel hub_inbound, sorted and loaded at the
// hub in batches of 100 from one sender: the batch figure.
func (l *scanLoad) walkToStations(ctx context.Context) (*loadStats, error) { return l.walk(ctx, l.all) }

// walk scans tns hub → loaded in batches of 100 from one sender.
func (l *scanLoad) walk(ctx context.Context, tns []string) (*loadStats, error) {
	st := newLoadStats()
	for _, kind := range []string{stations.HubInbound, stations.Sorted, stations.Loaded} {
		for lo := 0; lo < len(tns); lo += 100 {
			var scans []map[string]any
			for _, tn := range tns[lo:min(lo+100, len(tns))] {
				scans = append(scans, map[string]any{"id": uuid.NewString(), "carrier": l.carrier, "tracking_no": tn,
					"kind": kind, "station": l.hub, "at": time.Now().UTC()})
			}
			t0 := time.Now()
			var out struct{ Results []stations.Result }
			status, err := l.post(ctx, l.admin, "/v1/scans", map[string]any{"scans": scans}, &out)
			if err != nil {
				return nil, err
			}
			st.add(status, time.Since(t0), 0)
			for _, r := range out.Results {
				if r.Status != stations.StatusAccepted {
					return nil, fmt.Errorf("batch scan %s: %s %s", kind, r.Code, r.Detail)
				}
				st.scans++
			}
		}
	}
	st.end()
	return st, nil
}

// openLoop sends single scans at rate for d whatever the answers' pace,
// keeper after keeper; latency counts from each scan's scheduled time.
//
// Like k6's constant-arrival-rate executor or wrk2, it sends from a bounded
// pool of senders, each on a keep-alive connection, enough for every
// request to take openLoopReach: a scan due while every sender is busy is
// counted "late" (not sent) rather than given a goroutine and a connection
// of its own. An unbounded generator on the server's own two cores spent
// more CPU than the server, dialled thousands of connections and measured
// its own collapse.
func (l *scanLoad) openLoop(ctx context.Context, rate int, d time.Duration) *loadStats {
	st := newLoadStats()
	n := int(d.Seconds() * float64(rate))
	senders := openLoopSenders(rate)
	type job struct {
		k   *keeper
		due time.Time
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				l.single(ctx, j.k, j.due, st) // open loop: a refusal's wait is not heeded
			}
		}()
	}
	for i := range n {
		due := st.start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		time.Sleep(time.Until(due))
		if ctx.Err() != nil {
			break
		}
		select {
		case jobs <- job{l.keepers[i%len(l.keepers)], due}:
		default:
			st.add(-3, 0, 0) // every sender busy: the server is that far behind
		}
	}
	close(jobs)
	wg.Wait()
	st.end()
	return st
}

// openLoopReach is the latency the open loop's senders cover at its rate:
// the bound for accepted requests under overload (p99 ≤ 1 s), so
// that a scan is "late" only when the server holds its senders longer than
// it may hold any request.
const openLoopReach = time.Second

// openLoopSenders is the senders an open loop at rate needs for requests
// answered within openLoopReach: at least 50, at most 2,000.
func openLoopSenders(rate int) int {
	return min(2000, max(50, int(float64(rate)*openLoopReach.Seconds())))
}

// closedLoop has every keeper send its next scan when the last is answered,
// and wait as told when the server refuses it (503 or 429 with
// Retry-After), as the console and the CLI do: the goodput of well-behaved
// keepers is the sustainable rate. A keeper that sent again at once would
// flood a server with a small in-flight budget with refusals and measure
// the refusals' cost instead.
func (l *scanLoad) closedLoop(ctx context.Context, d time.Duration) *loadStats {
	st := newLoadStats()
	var wg sync.WaitGroup
	for _, k := range l.keepers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(st.start) < d && ctx.Err() == nil {
				sent, wait := l.single(ctx, k, time.Now(), st)
				if !sent {
					return // out of parcels: spinning would steal the server's CPU
				}
				if wait > 0 {
					select {
					case <-ctx.Done():
					case <-time.After(min(wait, d-time.Since(st.start))):
					}
				}
			}
		}()
	}
	wg.Wait()
	st.end()
	return st
}

// single sends keeper k's next scan and records its outcome; false means
// k has no parcel left, and a refusal says how long it asked to wait.
func (l *scanLoad) single(ctx context.Context, k *keeper, due time.Time, st *loadStats) (bool, time.Duration) {
	t, ok := k.take()
	if !ok {
		st.add(-1, 0, 0)
		return false, 0
	}
	body := map[string]any{"id": uuid.NewString(), "carrier": l.carrier, "tracking_no": t.trackingNo, "kind": t.kind,
		"at": time.Now().UTC()}
	var out struct{ Results []stations.Result }
	status, wait, err := l.postAnswer(ctx, k.token, "/v1/scans", body, &out)
	if err != nil {
		status = 0
		st.fail(err)
	}
	accepted := 0
	switch {
	case status == http.StatusOK && len(out.Results) == 1 && out.Results[0].Status == stations.StatusAccepted:
		accepted = 1
		if t.kind == stations.StationArrival {
			k.putBack(todo{t.trackingNo, stations.Returned}, 50)
		}
	case status == http.StatusOK: // refused by the state machine: a bug of the load, shown as "rejected"
		status = -2
	default:
		k.putBack(t, 0)
	}
	st.add(status, time.Since(due), accepted)
	return true, wait
}

// post sends body as JSON and decodes a 200's answer into out; an error is
// a failure to talk at all.
func (l *scanLoad) post(ctx context.Context, token, path string, body, out any) (int, error) {
	status, _, err := l.postAnswer(ctx, token, path, body, out)
	return status, err
}

// postAnswer is post that also says how long a refusal (503 or 429) asked
// to wait before sending again.
func (l *scanLoad) postAnswer(ctx context.Context, token, path string, body, out any) (int, time.Duration, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, "POST", l.base+path, bytes.NewReader(b))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	wait, _ := retryAfterOf(resp)
	if resp.StatusCode/100 == 2 && out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return 0, 0, err
		}
	} else if resp.StatusCode >= 300 && path == "/v1/parcels" {
		return resp.StatusCode, wait, fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, data)
	}
	return resp.StatusCode, wait, nil
}

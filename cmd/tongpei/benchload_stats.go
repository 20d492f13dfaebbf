package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// loadStats counts one phase's outcomes: by HTTP status (0: no answer,
// -1: no parcel left to scan, -2: answered but refused by the state
// machine, -3: not sent, every sender busy), the latencies of accepted requests, and accepted scans.
type loadStats struct {
	mu       sync.Mutex
	start    time.Time
	elapsed  time.Duration
	byStatus map[int]int
	lat      []time.Duration
	refused  []time.Duration // of 503 and 429 answers: how early they came
	scans    int
	noAnswer map[string]int // why requests got no answer, by kind of error
}

func newLoadStats() *loadStats { return &loadStats{start: time.Now(), byStatus: map[int]int{}} }

func (s *loadStats) add(status int, lat time.Duration, accepted int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byStatus[status]++
	switch status {
	case 200:
		s.lat = append(s.lat, lat)
	case 503, 429:
		s.refused = append(s.refused, lat)
	}
	s.scans += accepted
}

// fail records why a request got no answer: a client timeout, a refused
// or reset connection, or no local port left to dial from tell a generator
// limit from a server one.
func (s *loadStats) fail(err error) {
	kind := "other"
	msg := err.Error()
	for _, k := range []struct{ needle, kind string }{
		{"Client.Timeout", "timeout"}, {"deadline exceeded", "timeout"}, {"connection refused", "refused"},
		{"connection reset", "reset"}, {"broken pipe", "reset"}, {"EOF", "closed"}, {"assign requested address", "no_port"},
	} {
		if strings.Contains(msg, k.needle) {
			kind = k.kind
			break
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.noAnswer == nil {
		s.noAnswer = map[string]int{}
	}
	s.noAnswer[kind]++
}

func (s *loadStats) end() { s.elapsed = time.Since(s.start) }

// goodput is accepted scans per second over the phase.
func (s *loadStats) goodput() float64 { return float64(s.scans) / s.elapsed.Seconds() }

func (s *loadStats) quantile(q float64) time.Duration { return quantile(s.lat, q) }

func quantile(lat []time.Duration, q float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	return lat[int(q*float64(len(lat)-1))]
}

func (s *loadStats) print(w io.Writer, phase string) {
	total := 0
	var parts []string
	keys := make([]int, 0, len(s.byStatus))
	for k := range s.byStatus {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		total += s.byStatus[k]
		name := map[int]string{0: "no_answer", -1: "no_parcel", -2: "rejected", -3: "late"}[k]
		if name == "" {
			name = fmt.Sprint(k)
		}
		parts = append(parts, fmt.Sprintf("%s=%d", name, s.byStatus[k]))
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Fprintf(w, "%-48s %6.1fs requests %6d (%s) scans %6d goodput %7.0f/s p50 %6.1fms p99 %7.1fms max %7.1fms",
		phase, s.elapsed.Seconds(), total, strings.Join(parts, " "), s.scans, s.goodput(),
		ms(s.quantile(.5)), ms(s.quantile(.99)), ms(s.quantile(1)))
	if len(s.refused) > 0 {
		fmt.Fprintf(w, " refusals p50 %.1fms p99 %.1fms", ms(quantile(s.refused, .5)), ms(quantile(s.refused, .99)))
	}
	if len(s.noAnswer) > 0 {
		kinds := make([]string, 0, len(s.noAnswer))
		for k, n := range s.noAnswer {
			kinds = append(kinds, fmt.Sprintf("%s=%d", k, n))
		}
		sort.Strings(kinds)
		fmt.Fprintf(w, " no answer: %s", strings.Join(kinds, " "))
	}
	fmt.Fprintln(w)
}

// serverCounters reads counters from the server's /metrics: the group
// commits and the pool's acquire wait, to tell how a phase used the
// database (group size should grow under load, not shrink).
func serverCounters(base string) map[string]float64 {
	out := map[string]float64{}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		switch name {
		case "tongpei_scan_groups_total", "tongpei_scan_grouped_total", "tongpei_db_pool_acquires_total",
			"tongpei_db_pool_acquire_wait_seconds_total", "tongpei_db_pool_empty_acquires_total":
		default:
			continue
		}
		if f, err := strconv.ParseFloat(val, 64); ok && err == nil {
			out[name] = f
		}
	}
	return out
}

// printServerDelta prints what a phase cost the database: mean group size
// and the mean wait for a pool connection.
func printServerDelta(w io.Writer, phase string, a, b map[string]float64) {
	d := func(k string) float64 { return b[k] - a[k] }
	groups, acq := d("tongpei_scan_groups_total"), d("tongpei_db_pool_acquires_total")
	fmt.Fprintf(w, "  %s: %.0f group commits, mean %.1f scans each; %.0f pool acquires (%.0f found it empty), mean wait %.2f ms\n",
		phase, groups, d("tongpei_scan_grouped_total")/max(groups, 1), acq, d("tongpei_db_pool_empty_acquires_total"),
		1000*d("tongpei_db_pool_acquire_wait_seconds_total")/max(acq, 1))
}

// cpuOf is a process's CPU time (user + system) in seconds, from /proc.
func cpuOf(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// the fields after the command name, which is in parentheses
	_, rest, ok := strings.Cut(string(b), ") ")
	if !ok {
		return 0
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100 // USER_HZ is 100 on Linux
}

// cpuMeter reports the cores the server and bench-load itself used over a
// phase: with both on one machine, bench-load must not be the bottleneck.
type cpuMeter struct {
	pid        int
	t0         time.Time
	srv0, own0 float64
}

func startCPU(pid int) cpuMeter {
	return cpuMeter{pid: pid, t0: time.Now(), srv0: cpuOf(pid), own0: cpuOf(os.Getpid())}
}

// print also divides the server's CPU time among the phase's requests: a
// refusal must cost a small part of an accepted scan, or the refusals at
// twice the sustainable rate eat the CPU the accepted ones need (with a
// share r of an accepted scan's cost, goodput at 2× is (1−2r)/(1−r) of
// the sustainable rate when the server's CPU is the bottleneck).
func (m cpuMeter) print(w io.Writer, phase string, st *loadStats) {
	s := time.Since(m.t0).Seconds()
	srv := cpuOf(m.pid) - m.srv0
	fmt.Fprintf(w, "  %s: server %.2f cores (%.0f µs per request answered, %.0f µs per accepted scan), bench-load %.2f cores\n",
		phase, srv/s, 1e6*srv/float64(max(st.answered(), 1)), 1e6*srv/float64(max(st.scans, 1)), (cpuOf(os.Getpid())-m.own0)/s)
}

// answered is the requests the server answered with a status.
func (s *loadStats) answered() int {
	n := 0
	for status, c := range s.byStatus {
		if status > 0 || status == -2 {
			n += c
		}
	}
	return n
}

package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/tongpei/tongpei/api"
	"github.com/tongpei/tongpei/stations"
)

// limitsFromEnv reads the admission limits (README, "Load limits") over
// api.DefaultLimits: TONGPEI_INFLIGHT_<CLASS> (0: unlimited),
// TONGPEI_QUEUE_WAIT, TONGPEI_QUEUE_TARGET (0: a first-come queue),
// TONGPEI_TOKEN_RATE (0: off) and TONGPEI_TOKEN_BURST.
func limitsFromEnv(getenv func(string) string) (api.Limits, error) {
	l := api.DefaultLimits()
	for class, name := range map[string]string{
		api.ClassScans: "TONGPEI_INFLIGHT_SCANS", api.ClassReads: "TONGPEI_INFLIGHT_READS",
		api.ClassWrites: "TONGPEI_INFLIGHT_WRITES", api.ClassPlanning: "TONGPEI_INFLIGHT_PLANNING",
	} {
		if v := getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return l, fmt.Errorf("%s=%q: give a whole number of requests, 0 for no limit", name, v)
			}
			l.InFlight[class] = n
		}
	}
	if v := getenv("TONGPEI_QUEUE_WAIT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return l, fmt.Errorf("TONGPEI_QUEUE_WAIT=%q: give a duration such as 200ms", v)
		}
		l.QueueWait = d
	}
	if v := getenv("TONGPEI_QUEUE_TARGET"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return l, fmt.Errorf("TONGPEI_QUEUE_TARGET=%q: give a duration such as 5ms, 0 to let every waiter wait TONGPEI_QUEUE_WAIT", v)
		}
		l.QueueTarget = d
	}
	if v := getenv("TONGPEI_TOKEN_RATE"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r < 0 {
			return l, fmt.Errorf("TONGPEI_TOKEN_RATE=%q: give requests per second per token, 0 for no limit", v)
		}
		l.TokenRate = r
	}
	if v := getenv("TONGPEI_MAX_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return l, fmt.Errorf("TONGPEI_MAX_CONNS=%q: give a whole number of connections, 0 for no limit", v)
		}
		l.MaxConns = n
	}
	if v := getenv("TONGPEI_TOKEN_BURST"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return l, fmt.Errorf("TONGPEI_TOKEN_BURST=%q: give a whole number of requests, at least 1", v)
		}
		l.TokenBurst = n
	}
	return l, nil
}

// groupWindowFromEnv is TONGPEI_GROUP_COMMIT_WINDOW: how long a single scan
// waits for others to share its transaction (0: each scan alone).
func groupWindowFromEnv(getenv func(string) string) (time.Duration, error) {
	v := getenv("TONGPEI_GROUP_COMMIT_WINDOW")
	if v == "" {
		return stations.DefaultGroupWindow, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 || d > time.Second {
		return 0, fmt.Errorf("TONGPEI_GROUP_COMMIT_WINDOW=%q: give a duration such as 1ms, 0 to commit each scan alone", v)
	}
	return d, nil
}

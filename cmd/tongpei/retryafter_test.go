package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestDoPolitely: the CLI sends again after a 503 or 429 that says when,
// and gives up on neither a refusal without Retry-After nor a real answer.
func TestDoPolitely(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		case 3:
			w.WriteHeader(http.StatusOK)
		default:
			w.WriteHeader(http.StatusServiceUnavailable) // no Retry-After: final
		}
	}))
	defer srv.Close()
	get := func() (*http.Request, error) { return http.NewRequest("GET", srv.URL, nil) }
	resp, err := doPolitely(context.Background(), srv.Client(), get)
	if err != nil || resp.StatusCode != 200 || calls.Load() != 3 {
		t.Fatalf("after 503 and 429: %v %v after %d calls, want 200 after 3", resp, err, calls.Load())
	}
	resp.Body.Close()
	resp, err = doPolitely(context.Background(), srv.Client(), get)
	if err != nil || resp.StatusCode != 503 || calls.Load() != 4 {
		t.Fatalf("503 without Retry-After: %v %v after %d calls, want it answered as is", resp, err, calls.Load())
	}
	resp.Body.Close()
}

package api_test

import (
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/tongpei/tongpei/api"
)

// TestLimitConnections holds the only connection slot open: the next
// connection gets a 503 with Retry-After at once; once the first closes,
// a connection is served again.
func TestLimitConnections(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })}
	go srv.Serve(api.LimitConnections(ln, 1))
	t.Cleanup(func() { srv.Close() })
	url := "http://" + ln.Addr().String() + "/"

	held := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	resp, err := held.Get(url) // keep-alive: the connection stays open
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("first: %v %v", resp, err)
	}
	resp.Body.Close()

	other := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	start := time.Now()
	resp, err = other.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "1" || time.Since(start) > time.Second {
		t.Fatalf("over the limit: %d Retry-After %q after %v, want 503 with Retry-After 1 at once",
			resp.StatusCode, resp.Header.Get("Retry-After"), time.Since(start))
	}
	held.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err = other.Get(url)
		if err == nil && resp.StatusCode == 204 {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the first closed: %v %v", resp, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

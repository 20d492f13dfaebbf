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

// TestServeLimitedEvictsIdleConnections fills the only slot with an idle
// keep-alive connection: a new connection takes its place and is served,
// while a slot busy with a request is never taken (the next gets 503).
func TestServeLimitedEvictsIdleConnections(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	release, arrived := make(chan struct{}), make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(arrived)
			<-release
		}
		w.WriteHeader(204)
	})}
	go api.ServeLimited(srv, ln, 1)
	t.Cleanup(func() { srv.Close() })
	url := "http://" + ln.Addr().String()

	idle := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	resp, err := idle.Get(url + "/")
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("first: %v %v", resp, err)
	}
	resp.Body.Close() // its connection is now idle, holding the slot

	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	slow := make(chan int, 1)
	go func() {
		// The server marks the first connection idle a moment after its
		// answer was read; until then the slot is busy and a new connection
		// is rightly refused, so a 503 here is asked again, briefly.
		for try := 0; ; try++ {
			resp, err := fresh.Get(url + "/slow")
			if err != nil {
				slow <- 0
				return
			}
			resp.Body.Close()
			if resp.StatusCode == 503 && try < 50 {
				time.Sleep(20 * time.Millisecond)
				continue
			}
			slow <- resp.StatusCode
			return
		}
	}()
	// The slow request took the idle connection's slot; while it runs, a
	// third connection finds no idle one to evict and is refused.
	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatalf("the request beyond an idle connection was not served: %d", <-slow)
	}
	resp, err = fresh.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Fatalf("a connection beyond a busy slot got %d, want 503", resp.StatusCode)
	}
	close(release)
	if got := <-slow; got != 204 {
		t.Fatalf("the connection that took the idle one's place got %d, want 204", got)
	}
}

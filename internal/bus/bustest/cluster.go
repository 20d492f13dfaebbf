package bustest

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Cluster is a JetStream cluster of real servers inside the test process,
// each with its own ports and store, joined by routes as nats-server's own
// tests do: every server is given the route addresses of all (JetStream
// refuses a clustered server without routes), on ports picked free first.
type Cluster struct {
	Servers []*server.Server
	// URL lists every client address, comma-separated, as nats.Connect
	// and bus.Config.URL take it.
	URL string
}

// StartCluster starts n servers (n ≥ 3 for R3 streams) and waits until
// JetStream has a meta leader that every server follows; they are shut
// down when t ends.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	c := &Cluster{}
	t.Cleanup(c.Shutdown)
	routes := make([]string, n)
	ports := make([]int, n)
	for i := range n {
		ports[i] = freePort(t)
		routes[i] = "nats://127.0.0.1:" + strconv.Itoa(ports[i])
	}
	urls := make([]string, 0, n)
	for i := range n {
		opts := &server.Options{
			ServerName: "tongpei-" + string(rune('a'+i)),
			Host:       "127.0.0.1",
			Port:       -1,
			JetStream:  true,
			StoreDir:   t.TempDir(),
			NoSigs:     true,
			NoLog:      true,
			Cluster:    server.ClusterOpts{Name: "tongpei-test", Host: "127.0.0.1", Port: ports[i]},
			Routes:     server.RoutesFromStr(strings.Join(routes, ",")),
		}
		srv, err := server.NewServer(opts)
		if err != nil {
			t.Fatalf("bustest: cluster server %d: %v", i, err)
		}
		go srv.Start()
		if !srv.ReadyForConnections(10 * time.Second) {
			t.Fatalf("bustest: cluster server %s did not start", opts.ServerName)
		}
		c.Servers = append(c.Servers, srv)
		urls = append(urls, srv.ClientURL())
	}
	c.URL = strings.Join(urls, ",")
	c.WaitJetStream(t, 30*time.Second)
	return c
}

// WaitJetStream waits until one running server leads JetStream's meta
// group and every running one is current with it, e.g. after a stop.
func (c *Cluster) WaitJetStream(t testing.TB, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		leader, current := false, true
		for _, s := range c.Servers {
			if !s.Running() {
				continue
			}
			leader = leader || s.JetStreamIsLeader()
			current = current && s.JetStreamIsCurrent()
		}
		if leader && current {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("bustest: the JetStream cluster has no meta leader after %v", within)
}

// Server is the running server named name, or nil.
func (c *Cluster) Server(name string) *server.Server {
	for _, s := range c.Servers {
		if s.Name() == name && s.Running() {
			return s
		}
	}
	return nil
}

// Shutdown stops every server and waits for them.
func (c *Cluster) Shutdown() {
	for _, s := range c.Servers {
		s.Shutdown()
		s.WaitForShutdown()
	}
}

// freePort is a TCP port nothing listens on now; the server takes it a
// moment later (the usual race of test helpers, rarely lost).
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("bustest: no free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

package bustest

import (
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Server is a JetStream server on a real TCP port that a test can stop and
// start again on the same port and store, to play a NATS outage. Connect to
// URL with bus.Open(bus.Config{URL: s.URL}) or nats.Connect: an in-process
// connection could not follow the restart.
type Server struct {
	t    testing.TB
	opts server.Options
	srv  *server.Server
	URL  string
}

// StartServer starts a server for t, without authentication; it is shut
// down when t ends.
func StartServer(t testing.TB) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("bustest: no free port: %v", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &Server{t: t, opts: server.Options{
		ServerName: "bustest",
		Host:       "127.0.0.1",
		Port:       port,
		JetStream:  true,
		StoreDir:   t.TempDir(),
		NoSigs:     true,
		NoLog:      true,
	}}
	s.URL = "nats://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Start starts the server (again), keeping port and store.
func (s *Server) Start() {
	s.t.Helper()
	if s.srv != nil {
		return
	}
	opts := s.opts // the server keeps and changes its options
	var err error
	for attempt := 0; attempt < 10; attempt++ {
		s.srv, err = server.NewServer(&opts)
		if err == nil {
			go s.srv.Start()
			if s.srv.ReadyForConnections(3 * time.Second) {
				return
			}
			s.srv.Shutdown()
			s.srv.WaitForShutdown()
		}
		time.Sleep(50 * time.Millisecond) // the port may linger a moment
		opts = s.opts
	}
	s.t.Fatalf("bustest: NATS did not start on port %d: %v", s.opts.Port, err)
}

// Stop shuts the server down and waits for it; connections see an outage.
func (s *Server) Stop() {
	if s.srv == nil {
		return
	}
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
	s.srv = nil
}

// StoreDir is where the server keeps JetStream's files; a test deletes it
// (while the server is stopped) to play a lost disk.
func (s *Server) StoreDir() string { return s.opts.StoreDir }

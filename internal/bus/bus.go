// Package bus is tongpei's connection to NATS JetStream: it starts an embedded
// server when no external one is configured, connects, and (in its other
// files) declares the streams and relays the transactional outbox.
package bus

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Config says where NATS is.
type Config struct {
	// URL of an external NATS server with JetStream; empty starts an
	// embedded one.
	URL string
	// DataDir holds the embedded server's JetStream store (DataDir/nats).
	DataDir string
	// Listen is the embedded server's client address, where carriers
	// connect; "127.0.0.1:-1" picks a free port (tests).
	Listen string
	// Auth, when set, authenticates every client of the embedded server
	// (carriers' credentials); the process's own connection always passes.
	Auth server.Authentication
	// SyncAlways makes the embedded JetStream fsync every message before
	// it acknowledges it, instead of every 2 minutes: a host crash then
	// loses no acknowledged event, at a cost README measures.
	SyncAlways bool
}

// DefaultListen avoids 4222, where a machine's own NATS usually listens.
const DefaultListen = "127.0.0.1:4223"

// Bus is an open connection, and the embedded server when there is one.
type Bus struct {
	Conn   *nats.Conn
	JS     jetstream.JetStream
	Server *server.Server // nil with an external NATS
}

// Open starts or reaches NATS and checks that JetStream answers.
func Open(ctx context.Context, cfg Config) (*Bus, error) {
	b := &Bus{}
	opts := []nats.Option{
		nats.Name("tongpei"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(500 * time.Millisecond),
	}
	url := cfg.URL
	if url == "" {
		srv, token, err := startEmbedded(cfg)
		if err != nil {
			return nil, err
		}
		b.Server = srv
		url = srv.ClientURL()
		opts = append(opts, nats.InProcessServer(srv), nats.Token(token))
	}
	conn, err := nats.Connect(url, opts...)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("cannot reach NATS at %s: %w; start it, or unset TONGPEI_NATS_URL to use the embedded server", url, err)
	}
	b.Conn = conn
	js, err := jetstream.New(conn)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("JetStream: %w", err)
	}
	b.JS = js
	if u, ok := cfg.Auth.(interface{ UseJetStream(jetstream.JetStream) }); ok && b.Server != nil {
		u.UseJetStream(js) // so carriers' consumers are made at their first login
	}
	if err := b.Ping(ctx); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// Ping checks that the connection is up and JetStream answers.
func (b *Bus) Ping(ctx context.Context) error {
	if b.Conn == nil || !b.Conn.IsConnected() {
		return errors.New("NATS is not connected")
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := b.JS.AccountInfo(ctx); err != nil {
		return fmt.Errorf("JetStream does not answer (%w); run nats-server with -js", err)
	}
	return nil
}

// Close drains the connection and shuts the embedded server down; it may be
// called more than once.
func (b *Bus) Close() {
	if b.Conn != nil {
		b.Conn.Drain()
		deadline := time.Now().Add(3 * time.Second)
		for !b.Conn.IsClosed() && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		b.Conn.Close()
		b.Conn = nil
	}
	if b.Server != nil {
		b.Server.Shutdown()
		b.Server.WaitForShutdown()
		b.Server = nil
	}
}

// startEmbedded runs a JetStream server in this process and returns the
// random token the process itself connects with; it never leaves the process.
func startEmbedded(cfg Config) (*server.Server, string, error) {
	listen := cfg.Listen
	if listen == "" {
		listen = DefaultListen
	}
	host, portStr, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, "", fmt.Errorf("NATS listen address %q is not host:port: %w", listen, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, "", fmt.Errorf("NATS listen port %q is not a number", portStr)
	}
	if port > 0 {
		// The server would only log a taken port; check first to fail clearly.
		l, err := net.Listen("tcp", net.JoinHostPort(host, portStr))
		if err != nil {
			return nil, "", fmt.Errorf("cannot start the embedded NATS on %s: %w; free the port or set TONGPEI_NATS_LISTEN", listen, err)
		}
		l.Close()
	}
	dir := cfg.DataDir
	if dir == "" {
		dir = "var"
	}
	opts := &server.Options{
		ServerName:             "tongpei-embedded",
		Host:                   host,
		Port:                   port,
		JetStream:              true,
		StoreDir:               filepath.Join(dir, "nats"),
		NoSigs:                 true,
		NoLog:                  true,
		DisableJetStreamBanner: true,
		SyncAlways:             cfg.SyncAlways,
	}
	token := randomToken()
	if cfg.Auth != nil {
		opts.CustomClientAuthentication = &withInternal{token: token, next: cfg.Auth}
	} else {
		opts.Authorization = token
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, "", fmt.Errorf("cannot start the embedded NATS: %w", err)
	}
	if b, ok := cfg.Auth.(interface{ bind(*server.Server) error }); ok {
		if err := b.bind(srv); err != nil {
			return nil, "", fmt.Errorf("cannot set up carriers' accounts on the embedded NATS: %w", err)
		}
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, "", fmt.Errorf("the embedded NATS did not start on %s within 10 s; check %s is writable", listen, opts.StoreDir)
	}
	return srv, token, nil
}

package api

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// LimitConnections bounds the connections the server holds open at once.
// Under overload a client that times out dials again, and every open
// connection costs a goroutine and its buffers: without a bound, a
// flood of connections takes the memory and the CPU before any request
// reaches the admission gates. A connection beyond max is answered at once
// with a bare 503 and Retry-After, and closed, without parsing anything.
// max ≤ 0 leaves ln as it is.
//
// Wire the limiter's ConnState into the http.Server (ServeLimited does) and
// a connection beyond max first takes the place of the longest idle
// keep-alive connection, as nginx does when it runs out of connections:
// idle connections are cheap to reopen, and without this a client's idle
// pool holds every slot while its new requests are refused, and each
// refusal costs it a fresh connection (at twice the sustainable rate that
// churn, not the work, took the server: 4 % goodput).
func LimitConnections(ln net.Listener, max int) net.Listener {
	if max <= 0 {
		return ln
	}
	return newConnLimiter(ln, max)
}

// ServeLimited serves srv on ln with at most max connections, idle ones
// closed to make room; max ≤ 0 serves ln unbounded.
func ServeLimited(srv *http.Server, ln net.Listener, max int) error {
	if max <= 0 {
		return srv.Serve(ln)
	}
	l := newConnLimiter(ln, max)
	srv.ConnState = l.ConnState
	return srv.Serve(l)
}

func newConnLimiter(ln net.Listener, max int) *connLimiter {
	return &connLimiter{Listener: ln, slots: make(chan struct{}, max), refusers: make(chan struct{}, max),
		idle: map[net.Conn]time.Time{}}
}

type connLimiter struct {
	net.Listener
	slots    chan struct{}
	refusers chan struct{} // bounds the connections being refused

	mu   sync.Mutex
	idle map[net.Conn]time.Time // keep-alive connections between requests, since when
}

// evictWait is how long a new connection waits for the slot an evicted idle
// connection gives back (its server goroutine sees the close and returns).
const evictWait = 50 * time.Millisecond

// busyReply is the whole answer to a connection over the limit.
const busyReply = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: application/problem+json\r\n" +
	"Connection: close\r\nContent-Length: 115\r\n\r\n" +
	`{"type":"https://tongpei.dev/problems/unavailable","title":"Service Unavailable","status":503,"code":"unavailable"}`

func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.take() || (l.evictIdle() && l.takeWithin(evictWait)) {
			return &limitedConn{Conn: c, release: func() { <-l.slots }}, nil
		}
		select {
		case l.refusers <- struct{}{}:
			go func() { refuse(c); <-l.refusers }()
		default:
			c.Close() // even refusing is over its bound: drop
		}
	}
}

func (l *connLimiter) take() bool {
	select {
	case l.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

func (l *connLimiter) takeWithin(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	}
}

// evictIdle closes the longest idle keep-alive connection; false when none is
// idle. Its server goroutine then returns and the slot comes free.
func (l *connLimiter) evictIdle() bool {
	l.mu.Lock()
	var oldest net.Conn
	var since time.Time
	for c, t := range l.idle {
		if oldest == nil || t.Before(since) {
			oldest, since = c, t
		}
	}
	if oldest != nil {
		delete(l.idle, oldest)
	}
	l.mu.Unlock()
	if oldest == nil {
		return false
	}
	oldest.Close()
	return true
}

// ConnState tracks the idle connections for http.Server.ConnState.
func (l *connLimiter) ConnState(c net.Conn, s http.ConnState) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s == http.StateIdle {
		l.idle[c] = time.Now()
	} else {
		delete(l.idle, c)
	}
}

// refuse waits for the request's head (a client treats an answer before
// its request as a broken connection), answers 503 and closes gracefully:
// the rest is read and dropped, so that closing does not reset the
// connection before the client has read the answer.
func refuse(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if !readHead(c) {
		return
	}
	if _, err := io.WriteString(c, busyReply); err != nil {
		return
	}
	if tc, ok := c.(*net.TCPConn); ok {
		tc.CloseWrite()
	}
	io.Copy(io.Discard, io.LimitReader(c, 64<<10))
}

// readHead reads until the blank line that ends a request's head, at most
// 16 KiB.
func readHead(c net.Conn) bool {
	buf := make([]byte, 16<<10)
	n := 0
	for n < len(buf) {
		m, err := c.Read(buf[n:])
		n += m
		if bytes.Contains(buf[:n], []byte("\r\n\r\n")) {
			return true
		}
		if err != nil {
			return false
		}
	}
	return false
}

// limitedConn gives its slot back once when closed.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

package api

import (
	"bytes"
	"io"
	"net"
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
func LimitConnections(ln net.Listener, max int) net.Listener {
	if max <= 0 {
		return ln
	}
	return &connLimiter{Listener: ln, slots: make(chan struct{}, max), refusers: make(chan struct{}, max)}
}

type connLimiter struct {
	net.Listener
	slots    chan struct{}
	refusers chan struct{} // bounds the connections being refused
}

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
		select {
		case l.slots <- struct{}{}:
			return &limitedConn{Conn: c, release: func() { <-l.slots }}, nil
		default:
		}
		select {
		case l.refusers <- struct{}{}:
			go func() { refuse(c); <-l.refusers }()
		default:
			c.Close() // even refusing is over its bound: drop
		}
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

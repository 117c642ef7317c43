package sqldbtest

import (
	"net"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// Stalling returns the DSN of dsn's PostgreSQL database reached through a
// proxy, and stall: once it is set, what either side sends is held, as a
// server stopped (SIGSTOP) holds it — connections stay open, nothing is
// answered — until it is cleared. The proxy closes when the test ends.
func Stalling(t testing.TB, dsn string) (string, *atomic.Bool) {
	t.Helper()
	proxy, stall, _ := StallingHeld(t, dsn)
	return proxy, stall
}

// StallingHeld is Stalling, and held, which receives once the proxy holds
// what a side sent while stall is set (it keeps one such signal until it
// is received): so that a test acts only once, say, a COMMIT is on the
// wire, held.
func StallingHeld(t testing.TB, dsn string) (string, *atomic.Bool, <-chan struct{}) {
	t.Helper()
	held := make(chan struct{}, 1)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var stall atomic.Bool
	t.Cleanup(func() { stall.Store(false) })
	pipe := func(dst, src net.Conn) {
		defer dst.Close()
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 && stall.Load() {
				select {
				case held <- struct{}{}:
				default:
				}
			}
			for n > 0 && stall.Load() {
				time.Sleep(time.Millisecond)
			}
			if n > 0 {
				if _, err := dst.Write(buf[:n]); err != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}
	addr := u.Host
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			pg, err := net.Dial("tcp", addr)
			if err != nil {
				c.Close()
				continue
			}
			go pipe(pg, c)
			go pipe(c, pg)
		}
	}()
	u.Host = ln.Addr().String()
	return u.String(), &stall, held
}

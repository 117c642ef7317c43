package main

import (
	"context"
	"net"
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestStartingOpening: while serve connects to its database, /readyz
// says it is opening the database, not that it migrates: against a
// PostgreSQL address that accepts and never answers, it said "starting:
// migrating the database schema" for as long as the connection waited.
func TestStartingOpening(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan struct{})
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if held = append(held, c); len(held) == 1 {
				close(accepted)
			}
		}
	}()
	defer ln.Close()

	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out testlog.Buffer
	done := make(chan error, 1)
	go func() {
		dsn := "postgres://hutong@" + ln.Addr().String() + "/hutong?sslmode=disable&connect_timeout=0"
		done <- run(ctx, []string{"serve", "-db", dsn, "-addr", addr}, func(string) string { return "" }, &out, &out)
	}()
	select {
	case <-accepted:
	case err := <-done:
		t.Fatalf("serve returned before it connected: %v\n%s", err, out.String())
	}
	if a := probe(t, "http://"+addr, "/readyz"); a.status != http.StatusServiceUnavailable || a.body != "starting: opening the database\n" {
		t.Errorf("/readyz while connecting: %d %q, want 503 starting: opening the database", a.status, a.body)
	}
	cancel()
	<-done
}

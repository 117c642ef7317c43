package sqldb_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIsUnavailableNotForClientConnection: a request whose client cut its
// connection (reset mid-body, as a request cut off by a shutdown or a
// client gone) fails reading the body with a network error of the
// client's connection, which is not the database's failure: it is not
// answered 503 database_unavailable.
func TestIsUnavailableNotForClientConnection(t *testing.T) {
	bodyErr := make(chan error, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.Copy(io.Discard, r.Body)
		bodyErr <- err
	}))
	defer ts.Close()
	c, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, "POST /push HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n"+strings.Repeat("x", 1000))
	time.Sleep(50 * time.Millisecond)
	c.(*net.TCPConn).SetLinger(0) // closing resets the connection
	c.Close()
	var got error
	select {
	case got = <-bodyErr:
	case <-time.After(10 * time.Second):
		t.Fatal("the handler did not end")
	}
	for name, err := range map[string]error{"client reset": got,
		"client write": &net.OpError{Op: "write", Net: "tcp", Err: errors.New("broken pipe")}} {
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		if sqldb.IsUnavailable(err) || sqldb.Unavailable(err) != nil {
			t.Errorf("%s (%T %v) taken for an unavailable database", name, err, err)
		}
	}
}

// TestIsUnavailableConnectionReset: a connection to PostgreSQL reset while
// a statement waits for its answer is an unavailable database, as before
// network errors were told apart by whose connection they came from.
func TestIsUnavailableConnectionReset(t *testing.T) {
	u, err := url.Parse(sqldbtest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	pgAddr := u.Host
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	var clients []*net.TCPConn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			pg, err := net.Dial("tcp", pgAddr)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			clients = append(clients, c.(*net.TCPConn))
			mu.Unlock()
			go func() { io.Copy(pg, c); pg.Close() }()
			go func() { io.Copy(c, pg); c.Close() }()
		}
	}()
	u.Host = ln.Addr().String()
	db, err := sqldb.Open(t.Context(), u.String(), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	done := make(chan error, 1)
	go func() {
		_, err := db.Read().ExecContext(context.Background(), `SELECT pg_sleep(5)`)
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	ln.Close()
	mu.Lock()
	for _, c := range clients {
		c.SetLinger(0)
		c.Close()
	}
	mu.Unlock()
	err = <-done
	var oe *net.OpError
	if !errors.As(err, &oe) {
		t.Fatalf("statement on a reset connection: %T %v, want a network error", err, err)
	}
	if !sqldb.IsUnavailable(err) || sqldb.Unavailable(err) == nil {
		t.Errorf("%v: not taken for an unavailable database", err)
	}
}

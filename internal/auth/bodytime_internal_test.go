package auth

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// slowBodyServer serves the authentication middleware before a handler
// that reads the body and answers 400 when it cannot, 200 otherwise, with
// anonymousBodyTime 200 ms.
func slowBodyServer(t *testing.T) string {
	t.Helper()
	old := anonymousBodyTime
	anonymousBodyTime = 200 * time.Millisecond
	t.Cleanup(func() { anonymousBodyTime = old })
	a := &Authenticator{Log: slog.New(slog.DiscardHandler), Now: time.Now}
	srv := httptest.NewServer(a.Middleware(func(w http.ResponseWriter, r *http.Request, err error) {
		http.Error(w, err.Error(), http.StatusBadRequest)
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	})))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// TestAnonymousBodyCut: an anonymous request's body that does not arrive
// within anonymousBodyTime is cut: a login whose Content-Length promises
// 100,000 bytes and which sends a few is answered 400 once its time has
// passed, where it held its connection for the server's read timeout (5
// minutes) however many such requests came. The bound of the test, 10
// seconds, is generous: the cut comes after 200 ms.
func TestAnonymousBodyCut(t *testing.T) {
	addr := slowBodyServer(t)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
		"Content-Length: 100000\r\n\r\n{\"username\""); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("a slow anonymous body was not cut: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a slow anonymous body: %d, want 400", resp.StatusCode)
	}
}

package web_test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/reqlog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// statusWriter records the status a handler sent, 0 for none.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// firstRead closes read when its body is first read.
type firstRead struct {
	io.ReadCloser
	once sync.Once
	read chan struct{}
}

func (b *firstRead) Read(p []byte) (int, error) {
	b.once.Do(func() { close(b.read) })
	return b.ReadCloser.Read(p)
}

// TestImportClientResetMidUpload: a client that resets its connection
// halfway through sending a console catalog import, its CSRF token in the
// header (as the console's script sends it), so that the form is first
// read by the import, left: its page and its stream are logged as 499
// client_left with nothing sent, not as a 400 bad_form the import's work,
// detached from the connection before its form was whole, answered.
func TestImportClientResetMidUpload(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		type result struct {
			sent, logged int
			clientLeft   bool
		}
		results := make(chan result, 1)
		reading := make(chan struct{}, 1)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := &statusWriter{ResponseWriter: w}
			e := &reqlog.Entry{ID: "reset"}
			r = r.WithContext(reqlog.With(r.Context(), e))
			body := &firstRead{ReadCloser: r.Body, read: make(chan struct{})}
			r.Body = body
			go func() {
				select {
				case <-body.read:
					reading <- struct{}{}
				case <-r.Context().Done():
				}
			}()
			defer func() {
				logged, _, attrs := e.Line(sw.status)
				left := false
				for _, a := range attrs {
					if a.Key == "client_left" {
						left = a.Value.Bool()
					}
				}
				results <- result{sw.status, logged, left}
			}()
			f.h.ServeHTTP(sw, r)
		}))
		defer srv.Close()
		u, err := url.Parse(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		for _, accept := range []string{"", "application/x-ndjson"} {
			req := uploadRequest(t, srv.URL+"/catalog/import", "", "big.csv", flatCSV(3000))
			req.Header.Set("X-CSRF-Token", tok)
			req.Header.Del("Accept")
			if accept != "" {
				req.Header.Set("Accept", accept)
			}
			for _, k := range c.http.Jar.Cookies(u) {
				req.AddCookie(k)
			}
			var raw bytes.Buffer
			if err := req.Write(&raw); err != nil {
				t.Fatal(err)
			}
			conn, err := net.Dial("tcp", u.Host)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Write(raw.Bytes()[:raw.Len()/2]); err != nil {
				t.Fatal(err)
			}
			select {
			case <-reading:
			case <-time.After(10 * time.Second):
				t.Fatalf("accept %q: the import did not read its body", accept)
			}
			conn.(*net.TCPConn).SetLinger(0) // close resets the connection
			conn.Close()
			var res result
			select {
			case res = <-results:
			case <-time.After(10 * time.Second):
				t.Fatalf("accept %q: the import did not end", accept)
			}
			if res.sent != 0 || res.logged != reqlog.StatusClientClosed || !res.clientLeft {
				t.Errorf("accept %q: reset mid-upload sent %d, logged %d client_left %v; want nothing sent, logged %d client_left",
					accept, res.sent, res.logged, res.clientLeft, reqlog.StatusClientClosed)
			}
		}
	})
}

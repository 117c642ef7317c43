package catalogio_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/reqlog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestServeExportDeadline: an export whose answer outlasts the
// connection's write deadline, its first bytes sent, is cut by a panic
// (logged by the server as aborted, an error), not ended as if its client
// had left: net/http ends the request's context when a write fails, for
// a deadline as for a client gone, and the export was logged as a 200
// that no client got (the full catalog export outlasting the server's
// 5-minute WriteTimeout on PostgreSQL). A real server answers, its write
// deadline set in the past before the export; the file is larger than
// net/http's buffers.
func TestServeExportDeadline(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		r := resources()[0]
		for i := range 60 {
			r.Name = fmt.Sprintf("户籍人口基本信息%02d", i)
			create(t, w, w.gaj, r)
		}
		type outcome struct {
			panic      any
			status     int
			clientLeft bool
			returned   bool
		}
		got := make(chan outcome, 1)
		srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
			rl := &reqlog.Entry{ID: "test"}
			req = req.WithContext(reqlog.With(req.Context(), rl))
			var o outcome
			defer func() {
				o.panic = recover()
				status, _, attrs := rl.Line(http.StatusOK)
				o.status = status
				for _, a := range attrs {
					o.clientLeft = o.clientLeft || a.Key == "client_left"
				}
				got <- o
			}()
			if err := http.NewResponseController(rw).SetWriteDeadline(time.Now().Add(-time.Second)); err != nil {
				t.Error(err)
			}
			err := catalogio.ServeExport(rw, req, db, w.gaj, catalogio.JSONL, catalogio.ExportOptions{}, "catalog.jsonl", "catalog.jsonl")
			o.returned = err == nil
		}))
		defer srv.Close()
		resp, err := http.Get(srv.URL)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		o := <-got
		if o.panic == nil {
			t.Errorf("write past the deadline: returned (%v), logged %d client_left=%v; want the answer cut by a panic",
				o.returned, o.status, o.clientLeft)
		}
	})
}

// deadlineWriter is a ResponseWriter that notes the deadlines set on its
// connection (http.ResponseController).
type deadlineWriter struct {
	*httptest.ResponseRecorder
	read, write time.Time
}

func (w *deadlineWriter) SetReadDeadline(t time.Time) error  { w.read = t; return nil }
func (w *deadlineWriter) SetWriteDeadline(t time.Time) error { w.write = t; return nil }

// TestServeExportLong: an export by an authenticated caller gets
// auth.LongRequest to be answered, as an upload does, where it had the
// server's 5-minute write timeout, which a full catalog export on
// PostgreSQL outlasted (the client got nothing); an anonymous request
// keeps the server's timeouts.
func TestServeExportLong(t *testing.T) {
	db := sqldbtest.SQLite(t)
	w := newWorld(t, db)
	create(t, w, w.gaj, resources()[0])
	for _, p := range []*auth.Principal{{User: &org.User{ID: 1, DepartmentID: w.gaj.DepartmentID}}, nil} {
		rw := &deadlineWriter{ResponseRecorder: httptest.NewRecorder()}
		req := httptest.NewRequest("GET", "/catalog/export?format=jsonl", nil)
		if p != nil {
			req = req.WithContext(auth.With(req.Context(), p))
		}
		start := time.Now()
		if err := catalogio.ServeExport(rw, req, db, w.gaj, catalogio.JSONL, catalogio.ExportOptions{}, "catalog.jsonl", "catalog.jsonl"); err != nil {
			t.Fatal(err)
		}
		long := !rw.write.Before(start.Add(auth.LongRequest))
		if p != nil && !long {
			t.Errorf("authenticated: write deadline %v, want auth.LongRequest (%v) from the start", rw.write, auth.LongRequest)
		}
		if p == nil && !rw.write.IsZero() {
			t.Errorf("anonymous: write deadline set to %v, want the server's", rw.write)
		}
	}
}

package catalogio_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// failingWriter is the ResponseWriter of a client whose connection fails
// after the first bytes of the answer; leave, when set, is called then, as
// when the client went away and its request's context ended.
type failingWriter struct {
	*httptest.ResponseRecorder
	leave  func()
	writes int
}

func (w *failingWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes > 1 {
		return 0, errors.New("write: broken pipe")
	}
	n, err := w.ResponseRecorder.Write(p)
	if w.leave != nil {
		w.leave()
	}
	return n, err
}

// TestServeExportCut: an export whose client leaves in its middle ends
// quietly (no panic logged with its stack as a server error); one whose
// connection fails while the client is still there is cut by a panic, so
// that it does not end as if the file were whole. The file is larger than
// one write of the spooled copy, so the failure comes after the first
// bytes were sent.
func TestServeExportCut(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		r := resources()[0]
		for i := range 60 {
			r.Name = fmt.Sprintf("户籍人口基本信息%02d", i)
			create(t, w, w.gaj, r)
		}
		serve := func(leave bool) (p any, writes int) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rw := &failingWriter{ResponseRecorder: httptest.NewRecorder()}
			if leave {
				rw.leave = cancel
			}
			req := httptest.NewRequestWithContext(ctx, "GET", "/catalog/export?format=jsonl", nil)
			defer func() { p, writes = recover(), rw.writes }()
			if err := catalogio.ServeExport(rw, req, db, w.gaj, catalogio.JSONL, catalogio.ExportOptions{}, "catalog.jsonl", "catalog.jsonl"); err != nil {
				t.Fatalf("ServeExport: %v", err)
			}
			return nil, rw.writes
		}
		if p, writes := serve(true); p != nil || writes < 2 {
			t.Errorf("client gone: panic %v after %d writes, want none after 2 or more", p, writes)
		}
		if p, writes := serve(false); p == nil || writes < 2 {
			t.Errorf("connection failed: panic %v after %d writes, want one after 2 or more", p, writes)
		}
	})
}

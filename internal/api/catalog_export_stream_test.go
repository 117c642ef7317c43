package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// writeCounter is a ResponseWriter that counts the handler's writes.
type writeCounter struct {
	*httptest.ResponseRecorder
	writes int
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	return w.ResponseRecorder.Write(p)
}

// TestCatalogExportStreams: GET /api/v1/catalog/export sends a JSON lines
// or CSV file of every entry through the handler's writer. The file is
// spooled to a temporary file within the export's snapshot and copied to
// the client after it (catalogio's TestExportSpooled); 4f42482 wrote it
// entry by entry from inside the snapshot.
func TestCatalogExportStreams(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		names := []string{"婚姻登记信息", "收养登记信息", "殡葬服务信息"}
		for _, name := range names {
			body := strings.Replace(marriageEntry, "婚姻登记信息", name, 1)
			if r := f.do(t, "POST", "/api/v1/catalog/entries", "", body, admin...); r.status != 201 {
				t.Fatalf("create %s: %d %v", name, r.status, r.body)
			}
		}
		for _, format := range []string{"jsonl", "csv"} {
			req := httptest.NewRequest("GET", "/api/v1/catalog/export?format="+format, nil)
			req.Header.Set("Authorization", "Bearer "+f.readKey)
			rec := &writeCounter{ResponseRecorder: httptest.NewRecorder()}
			f.srv.Config.Handler.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "catalog."+format) {
				t.Fatalf("%s: %d %v %s", format, rec.Code, rec.Header(), body)
			}
			for _, name := range names {
				if !strings.Contains(body, name) {
					t.Errorf("%s: the file lacks %s", format, name)
				}
			}
			if rec.writes == 0 {
				t.Errorf("%s: the handler wrote nothing", format)
			}
		}
	})
}

// goneWriter is the ResponseWriter of a client that goes away after the
// first bytes of the answer: it cancels the request and fails every later
// write.
type goneWriter struct {
	*httptest.ResponseRecorder
	cancel context.CancelFunc
	writes int
}

func (w *goneWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes > 1 {
		return 0, errors.New("write: broken pipe")
	}
	n, err := w.ResponseRecorder.Write(p)
	w.cancel()
	return n, err
}

// TestCatalogExportClientGone: a client that leaves in the middle of an
// export ends it quietly, where the failed write panicked to cut a
// connection already gone, logged with its stack as a server error.
func TestCatalogExportClientGone(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		for _, name := range []string{"婚姻登记信息", "收养登记信息", "殡葬服务信息"} {
			body := strings.Replace(marriageEntry, "婚姻登记信息", name, 1)
			if r := f.do(t, "POST", "/api/v1/catalog/entries", "", body, admin...); r.status != 201 {
				t.Fatalf("create %s: %d %v", name, r.status, r.body)
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req := httptest.NewRequestWithContext(ctx, "GET", "/api/v1/catalog/export?format=jsonl", nil)
		req.Header.Set("Authorization", "Bearer "+f.readKey)
		rec := &goneWriter{ResponseRecorder: httptest.NewRecorder(), cancel: cancel}
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("the export panicked after its client left: %v", p)
			}
		}()
		f.srv.Config.Handler.ServeHTTP(rec, req)
		if rec.writes == 0 {
			t.Fatal("the export wrote nothing: the client did not leave in its middle")
		}
	})
}

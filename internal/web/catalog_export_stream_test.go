package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// countingWriter is a ResponseWriter that counts the handler's writes.
type countingWriter struct {
	*httptest.ResponseRecorder
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.ResponseRecorder.Write(p)
}

// TestCatalogExportStreams: the console's 导出 sends a JSON lines or CSV
// file of every entry through the handler's writer. The file is spooled
// to a temporary file within the export's snapshot and copied to the
// browser after it (catalogio's TestExportSpooled); 4f42482 wrote it
// entry by entry from inside the snapshot.
func TestCatalogExportStreams(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		var names []string
		for i := range 3 {
			names = append(names, fmt.Sprintf("户籍档案%02d", i))
			createEntry(t, c, entryForm(tok, names[i], "公民身份号码", "C", "18", "yes"))
		}
		base, _ := url.Parse(f.srv.URL)
		for _, format := range []string{"jsonl", "csv"} {
			req := httptest.NewRequest("GET", f.srv.URL+"/catalog/export?format="+format, nil)
			for _, ck := range c.http.Jar.Cookies(base) {
				req.AddCookie(ck)
			}
			rec := &countingWriter{ResponseRecorder: httptest.NewRecorder()}
			f.h.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "."+format) {
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

// leavingWriter is the ResponseWriter of a browser that goes away after
// the first bytes of a download: it cancels the request and fails every
// later write.
type leavingWriter struct {
	*httptest.ResponseRecorder
	cancel context.CancelFunc
	writes int
}

func (w *leavingWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes > 1 {
		return 0, errors.New("write: broken pipe")
	}
	n, err := w.ResponseRecorder.Write(p)
	w.cancel()
	return n, err
}

// TestCatalogExportClientGone: a browser that leaves in the middle of the
// console's 导出 ends it quietly, where the failed write panicked to cut a
// connection already gone, logged with its stack as a server error.
func TestCatalogExportClientGone(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		for i := range 3 {
			createEntry(t, c, entryForm(tok, fmt.Sprintf("户籍档案%02d", i), "公民身份号码", "C", "18", "yes"))
		}
		base, _ := url.Parse(f.srv.URL)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req := httptest.NewRequestWithContext(ctx, "GET", f.srv.URL+"/catalog/export?format=jsonl", nil)
		for _, ck := range c.http.Jar.Cookies(base) {
			req.AddCookie(ck)
		}
		rec := &leavingWriter{ResponseRecorder: httptest.NewRecorder(), cancel: cancel}
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("the export panicked after its browser left: %v", p)
			}
		}()
		f.h.ServeHTTP(rec, req)
		if rec.writes == 0 {
			t.Fatal("the export wrote nothing: the browser did not leave in its middle")
		}
	})
}

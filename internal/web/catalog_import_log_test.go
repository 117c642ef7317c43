package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hutong-gov/hutong/internal/reqlog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// loggedLine is what the server's request log line of a request says
// (reqlog.Entry.Line).
type loggedLine struct {
	status int
	level  slog.Level
	attrs  map[string]string
}

// TestCatalogImportStreamFailureLogged: a streamed import that fails
// after its progress began (the audit log down, its 200 sent) records its
// error once for the request's log line, which says the result's 503, not
// the 200 sent (status_sent), at error level with the error.
func TestCatalogImportStreamFailureLogged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		var mu sync.Mutex
		var got []loggedLine
		// The console behind a request log as the server's (observe).
		logged := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rl := &reqlog.Entry{ID: "req-1"}
			sw := &sentWriter{ResponseWriter: w}
			f.h.ServeHTTP(sw, r.WithContext(reqlog.With(r.Context(), rl)))
			status, level, attrs := rl.Line(sw.status)
			l := loggedLine{status: status, level: level, attrs: map[string]string{}}
			for _, a := range attrs {
				l.attrs[a.Key] = a.Value.String()
			}
			mu.Lock()
			got = append(got, l)
			mu.Unlock()
		}))
		defer logged.Close()
		bad := strings.ReplaceAll(string(flatCSV(100)), ",无条件共享,", ",随便,")
		good := strings.ReplaceAll(string(flatCSV(5)), "批量资源", "合格资源")
		late := bad + good[strings.Index(good, "\n")+1:]
		unblock := sqldbtest.BlockAudit(t, db)
		defer unblock()
		status, lines := streamedImport(t, c, uploadRequest(t, logged.URL+"/catalog/import", tok, "catalog.csv", []byte(late), "good_only", "yes"), nil)
		if status != http.StatusOK || len(lines) < 2 || lines[len(lines)-1].Status != http.StatusServiceUnavailable {
			t.Fatalf("got %d with %+v, want 200 with progress, then a result of 503", status, lines)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(got) != 1 {
			t.Fatalf("%d requests logged, want 1", len(got))
		}
		l := got[0]
		if l.status != http.StatusServiceUnavailable || l.level != slog.LevelError || l.attrs["status_sent"] != "200" || l.attrs["err"] == "" {
			t.Errorf("log line: status %d, level %v, %v; want 503 at error level, status_sent 200, with the error", l.status, l.level, l.attrs)
		}
	})
}

// sentWriter keeps the status a handler sent.
type sentWriter struct {
	http.ResponseWriter
	status int
}

func (w *sentWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *sentWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *sentWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

package web_test

import (
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

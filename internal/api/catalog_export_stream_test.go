package api_test

import (
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

// TestCatalogExportStreams: GET /api/v1/catalog/export writes a JSON
// lines or CSV file as the entries are read, a write for each line of
// JSON, where it built the whole file in memory first and wrote it once.
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
			want := 2 // the CSV's byte order mark, then its rows
			if format == "jsonl" {
				want = len(names)
			}
			if rec.writes < want {
				t.Errorf("%s: %d writes, want at least %d: the file was built whole before it was sent", format, rec.writes, want)
			}
		}
	})
}

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

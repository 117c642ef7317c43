package api_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogImportMultipartCut: a multipart catalog import whose client
// stops sending before the closing boundary (its connection half-closed,
// the Content-Length it announced not reached) is refused 400
// body_incomplete, as a cut body is on every other route, where it was
// refused 400 malformed_multipart (and cut inside the mapping part, 400
// malformed_json of the mapping): cut inside the file part, and after a
// whole file part cut inside the headers of the mapping part and inside
// its JSON. Nothing is imported. (A body received whole but lacking its closing boundary
// stays malformed_multipart: TestCatalogImportMultipartParts.) On both
// engines.
func TestCatalogImportMultipartCut(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		key := catalogKey(t, f)
		const file = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"目录.csv\"\r\n\r\n"
		for i, part := range []string{
			file + importCSV[:len(importCSV)/2],
			file + importCSV + "\r\n--b\r\nContent-Disposition: form-da",
			file + importCSV + "\r\n--b\r\nContent-Disposition: form-data; name=\"mapping\"\r\n\r\n{\"columns\":{",
		} {
			status, body := cutBody(t, f.srv.URL, "/api/v1/catalog/import", key, "multipart/form-data; boundary=b", part)
			if status != http.StatusBadRequest || body["code"] != "body_incomplete" || body["detail"] == "" {
				t.Errorf("multipart import cut short, case %d: %d %v, want 400 body_incomplete", i, status, body)
			}
		}
		if n := countEntries(t, db); n != 0 {
			t.Errorf("cut imports stored %d entries", n)
		}
	})
}

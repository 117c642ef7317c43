package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpenAPIUnavailableWithoutHeader: the public catalog's reads read the
// database themselves, so with the database down they answer 503
// database_unavailable to a request without any Authorization header, and
// their documented 503 says so, where the shared Unavailable response
// said database_unavailable came only of checking such a header. The
// database is stopped on PostgreSQL (SQLite's stand-in, a held write lock,
// leaves reads served); the document is checked on both.
func TestOpenAPIUnavailableWithoutHeader(t *testing.T) {
	doc := openAPIDoc(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ops := []struct{ docPath, path string }{
			{"/api/v1/public/catalog", "/api/v1/public/catalog"},
			{"/api/v1/public/catalog/{code}", "/api/v1/public/catalog/440605001/000001"},
		}
		if db.Dialect == sqldb.Postgres {
			unblock := sqldbtest.Unavailable(t, db)
			for _, op := range ops {
				if r := f.do(t, "GET", op.path, "", ""); r.status != 503 || r.body["code"] != "database_unavailable" {
					t.Errorf("GET %s without a header, database down: %d %v, want 503 database_unavailable", op.path, r.status, r.body)
				}
			}
			unblock()
		}
		for _, op := range ops {
			desc, _ := documentedResponse(t, doc, "GET", op.docPath, 503)["description"].(string)
			if !strings.Contains(desc, "database_unavailable") || !strings.Contains(desc, op.docPath) {
				t.Errorf("GET %s: its 503 does not say the read itself answers database_unavailable, header or not: %q", op.docPath, desc)
			}
		}
	})
}

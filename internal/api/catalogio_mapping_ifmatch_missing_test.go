package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportMappingIfMatchMissing: POST /api/v1/catalog/import-mappings
// with an If-Match tag, for a name the department has no mapping of, is
// refused 404 mapping_not_found (field name) and creates nothing: the
// tag names a mapping as read, and with none stored the condition is
// false (RFC 9110 §13.1.1), where it created one. The tag of another
// mapping of the department does not help; without If-Match the mapping
// is created as ever. On both engines.
func TestImportMappingIfMatchMissing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f, key, other := withMapping(t, db)
		const path = "/api/v1/catalog/import-mappings"
		count := func() int {
			t.Helper()
			return len(mappings(t, f, key))
		}
		for _, tag := range []string{`"2f477592d96f7b1f67ed7815"`, other.header.Get("ETag")} {
			r := f.do(t, "POST", path, key, `{"name":"户籍","columns":{"名称":"name"}}`, "If-Match", tag)
			if r.status != 404 || r.body["code"] != "mapping_not_found" || r.body["field"] != "name" || count() != 1 {
				t.Errorf("If-Match %s on a name with no mapping: %d %v, %d mappings; want 404 mapping_not_found on name, 1 mapping",
					tag, r.status, r.body, count())
			}
		}
		if r := f.do(t, "POST", path, key, `{"name":"户籍","columns":{"名称":"name"}}`); r.status != 200 || count() != 2 {
			t.Errorf("without If-Match: %d %v, %d mappings; want 200, 2 mappings", r.status, r.body, count())
		}
	})
}

// TestImportMappingIfMatchStarMissing: POST
// /api/v1/catalog/import-mappings with If-Match: * for a name the
// department has no mapping of is refused 404 mapping_not_found (field
// name) and creates nothing: * matches a mapping that is stored, and with
// none the condition is false (RFC 9110 §13.1.1), where it created one.
// On a name the department has a mapping of, * replaces it whatever it
// holds. On both engines.
func TestImportMappingIfMatchStarMissing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f, key, saved := withMapping(t, db)
		const path = "/api/v1/catalog/import-mappings"
		r := f.do(t, "POST", path, key, `{"name":"户籍","columns":{"名称":"name"}}`, "If-Match", "*")
		if n := len(mappings(t, f, key)); r.status != 404 || r.body["code"] != "mapping_not_found" || r.body["field"] != "name" || n != 1 {
			t.Errorf("If-Match * on a name with no mapping: %d %v, %d mappings; want 404 mapping_not_found on name, 1 mapping", r.status, r.body, n)
		}
		r = f.do(t, "POST", path, key, `{"name":"民政","columns":{"摘要":"abstract"}}`, "If-Match", "*")
		items := mappings(t, f, key)
		if r.status != 200 || r.header.Get("ETag") == saved.header.Get("ETag") || len(items) != 1 ||
			items[0].(map[string]any)["etag"] != r.header.Get("ETag") {
			t.Errorf("If-Match * on a stored mapping: %d %v, mappings %v; want 200, the mapping replaced", r.status, r.body, items)
		}
	})
}

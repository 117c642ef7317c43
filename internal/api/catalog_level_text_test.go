package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSecurityLevelText: a security level named or described with a control
// character (JSON replaces invalid UTF-8) is 400 invalid_characters, with its field,
// and nothing changes. A NUL was 500 on PostgreSQL and stored on SQLite.
func TestSecurityLevelText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.session(t, "nh.op")
		for _, c := range []struct{ body, field string }{
			{`{"name":"一\u0000级","description":"公开"}`, "name"},
			{`{"name":"一级","description":"公\u0007开"}`, "description"},
			{`{"name":"一\u0085级","description":"公开"}`, "name"},
		} {
			r := f.do(t, "PUT", "/api/v1/catalog/security-levels/1", "", c.body, op...)
			if r.status != 400 || r.body["code"] != "invalid_characters" || r.body["field"] != c.field {
				t.Errorf("PUT %s: got %d %v, want 400 invalid_characters of %s", c.body, r.status, r.body, c.field)
			}
		}
		var n int
		if err := db.Read().QueryRowContext(t.Context(), `SELECT count(*) FROM catalog_security_levels WHERE level = 1 AND name = '1级'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("level 1 changed by a refused PUT (%v)", err)
		}
	})
}

package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSecurityLevelPath: a {level} that names no security level — not an
// integer, or one outside 1 to 4 — is 404 not_found with one message naming
// it, as pathID answers a malformed {id}, where abc said 安全级别应为1至4
// (404) and 9 安全级别应为1至4级 (400).
func TestSecurityLevelPath(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.session(t, "nh.op")
		const level = `{"name":"一级","description":"公开"}`
		for _, l := range []string{"abc", "0", "-1", "5", "9", "1.5"} {
			r := f.do(t, "PUT", "/api/v1/catalog/security-levels/"+l, "", level, op...)
			if r.status != 404 || r.body["code"] != "not_found" || r.body["detail"] != "安全级别应为1至4级："+l {
				t.Errorf("PUT level %s: got %d %v, want 404 not_found 安全级别应为1至4级：%s", l, r.status, r.body, l)
			}
		}
		if r := f.do(t, "PUT", "/api/v1/catalog/security-levels/4", "", level, op...); r.status != 200 {
			t.Errorf("PUT level 4: got %d %v, want 200", r.status, r.body)
		}
	})
}

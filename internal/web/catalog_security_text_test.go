package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSecurityLevelTextForm: the security level form refuses a name or
// description with control characters or invalid UTF-8, or too long, with
// 400 and the reason beside its field, and saves nothing. A NUL was 500 on
// PostgreSQL, and stored on SQLite.
func TestSecurityLevelTextForm(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		tok := op.login("operator")
		for _, c := range []struct{ name, description, want string }{
			{"一\x00级", "公开", `id="level-2-name-error">安全级别名称含有控制字符或无效的字符编码`},
			{"一级", "公\x1b开", `id="level-2-description-error">安全级别说明含有控制字符（换行和制表符除外）或无效的字符编码`},
			{"一级", "公\xff开", `id="level-2-description-error">安全级别说明含有控制字符（换行和制表符除外）或无效的字符编码`},
			{strings.Repeat("级", 101), "公开", `id="level-2-name-error">安全级别名称不能超过 100 个字`},
		} {
			r := op.post("/catalog/security-levels", url.Values{"csrf_token": {tok}, "level": {"2"}, "name": {c.name},
				"description": {c.description}})
			wantStatus(t, c.want, r, http.StatusBadRequest)
			wantBody(t, c.want, r, c.want)
		}
		if n := count(t, db, `SELECT count(*) FROM catalog_security_levels WHERE level = 2 AND name = '2级'`); n != 1 {
			t.Errorf("level 2 changed by a refused form")
		}
	})
}

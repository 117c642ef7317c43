package web_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPublicErrorPages: an error on the public catalog (an entry not
// published, a sort it does not have, a path it does not route) is shown
// in the public catalog's layout, leading back to /public/catalog, with
// its footer; "/" would send an anonymous visitor to the staff login. The
// console's errors keep 返回首页. On both engines.
func TestPublicErrorPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		anon := f.client(t)
		for _, c := range []struct {
			path   string
			status int
		}{
			{"/public/catalog/101001/999999", http.StatusNotFound},
			{"/public/catalog?sort=x", http.StatusBadRequest},
		} {
			r := anon.get(c.path)
			wantStatus(t, c.path, r, c.status)
			wantBody(t, c.path, r, `class="error-message"`, `<a class="btn" href="/public/catalog">返回共享互认目录</a>`,
				"共享互认目录仅列示已发布且可共享的政务数据资源", "工作人员登录")
			wantNoBody(t, c.path, r, "返回首页", "工作人员控制台")
		}
		op := f.loggedIn(t, "operator")
		r := op.get("/catalog/999999")
		wantStatus(t, "console missing", r, http.StatusNotFound)
		wantBody(t, "console missing", r, `<a class="btn" href="/">返回首页</a>`, "工作人员控制台")
		wantNoBody(t, "console missing", r, "返回共享互认目录")
	})
}

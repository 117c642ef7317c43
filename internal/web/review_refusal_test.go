package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReviewRefusalWording: whoever may not review the catalog is refused
// approve, reject and a source's decision in the catalog's words (只有平台
// 主管部门或其审核员可以审核数据资源目录), as the API refuses them and as a
// reviewer of another department is refused, where a department
// administrator read that the roles 平台管理员、审核员 may, which a
// reviewer of their own department is. On both engines.
func TestReviewRefusalWording(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, user := range []string{"police.admin", "auditor"} {
			c := f.client(t)
			token := c.login(user)
			for _, path := range []string{"/catalog/1/approve", "/catalog/1/reject", "/catalog/1/conflicts/1"} {
				r := c.post(path, url.Values{"csrf_token": {token}, "reason": {"不符合要求"}})
				wantStatus(t, user+" "+path, r, http.StatusForbidden)
				wantBody(t, user+" "+path, r, "只有平台管理员或政务数据主管部门的审核员可以审核数据资源目录")
				wantNoBody(t, user+" "+path, r, "仅限")
			}
		}
	})
}

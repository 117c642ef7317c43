package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogReviewRefusalsAudited: a department's reviewer, who reviews
// nothing of the catalog, refused (403) the approval or rejection of a
// revision or of a retirement request, or a source's decision, on the
// console leaves a denied row of the action on the entry, with the
// refusal's code, as the API's review routes and the console's other
// refused actions do. Before, these refusals left no row.
func TestCatalogReviewRefusalsAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		path := "/catalog/" + strconv.FormatInt(id, 10)
		police, rev := f.client(t), f.client(t)
		ptok, rtok := police.login("police.admin"), rev.login("reviewer")
		postOK(t, police, path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"并入居住登记信息"}, "confirm": {"yes"}},
			path+"?msg=retire_requested")
		for _, c := range []struct{ path, action string }{
			{"/approve", "catalog.approve"},
			{"/reject", "catalog.reject"},
			{"/retire/approve", "catalog.retire.approve"},
			{"/retire/reject", "catalog.retire.reject"},
			{"/conflicts/1", "catalog.source.decide"},
		} {
			r := rev.post(path+c.path, url.Values{"csrf_token": {rtok}, "reason": {"不同意"}})
			wantStatus(t, "department reviewer "+c.path, r, http.StatusForbidden)
			n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = 'denied'
				AND object_type = 'catalog_entry' AND object_id = $2 AND actor_name = 'reviewer' AND detail = '{"reason":"forbidden"}'`,
				c.action, strconv.FormatInt(id, 10))
			if n != 1 {
				t.Errorf("%d denied rows of %s by reviewer on entry %d, want 1", n, c.action, id)
			}
		}
	})
}

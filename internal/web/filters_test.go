package web_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBadFilterValues: a filter value no option has is refused 400 with
// a Chinese message on the page itself, as the audit page refuses one and
// as the API refuses it (invalid_filter, invalid_status), where the public
// catalog found nothing and the discrepancies showed the open ones: the
// public catalog's coded filters and department, and the discrepancies'
// status. Parameters a page does not know it refuses (the staff catalog
// list and /org: TestConsoleListParams, the public catalog:
// TestPublicCatalogParams, the discrepancies:
// TestDiscrepanciesRefuseUnknownParams). On both engines.
func TestBadFilterValues(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		publish(t, f, "公安分局", "居住登记信息", "01", "002", id, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		anon := f.client(t)
		for _, c := range []struct{ query, label, value string }{
			{"domain=zz", "所属领域", "zz"},
			{"share_type=bogus", "共享类型", "bogus"},
			{"share_method=fax&q=居住", "共享方式", "fax"},
			{"update_frequency=hourly", "更新周期", "hourly"},
			{"open_attribute=maybe", "开放属性", "maybe"},
			{"department_id=-1", "数源部门", "-1"},
		} {
			r := anon.get("/public/catalog?" + c.query)
			wantStatus(t, "public catalog ?"+c.query, r, http.StatusBadRequest)
			wantBody(t, "public catalog ?"+c.query, r, `id="filter-error"`, "筛选条件“"+c.label+"”的取值“"+c.value+"”无效",
				"筛选条件有误", `action="/public/catalog"`)
			wantNoBody(t, "public catalog ?"+c.query, r, "居住登记信息", `class="error-message"`)
		}
		// The refused filter is listed with its link to remove it, and the
		// search form does not carry it on.
		r := anon.get("/public/catalog?domain=zz&share_type=conditional")
		wantBody(t, "refused domain", r, `href="/public/catalog?share_type=conditional"`, `name="share_type" value="conditional"`)
		wantNoBody(t, "refused domain", r, `name="domain" value="zz"`)
		for _, query := range []string{"share_type=conditional&domain=18", "q=居住"} {
			r := anon.get("/public/catalog?" + query)
			wantStatus(t, "public catalog ?"+query, r, http.StatusOK)
			wantBody(t, "public catalog ?"+query, r, "居住登记信息")
			wantNoBody(t, "public catalog ?"+query, r, `id="filter-error"`)
		}

		op := f.loggedIn(t, "operator")
		r = op.get("/records/discrepancies?status=x")
		wantStatus(t, "status=x", r, http.StatusBadRequest)
		wantBody(t, "status=x", r, `id="filter-error"`, "差异状态“x”无效，请选择待处理、有争议待协调、待更正、已办结或全部")
		for _, query := range []string{"", "?status=open", "?status=awaiting_correction", "?status=resolved", "?status=all"} {
			r := op.get("/records/discrepancies" + query)
			wantStatus(t, "discrepancies"+query, r, http.StatusOK)
			wantNoBody(t, "discrepancies"+query, r, `id="filter-error"`)
		}
	})
}

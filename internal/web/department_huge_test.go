package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentFormHugeValue: a department form (新增部门, 修改部门)
// posted with a value near the 1 MB form limit in one field is refused
// 400 beside that field, the page under 16 KB: the value is not shown
// again, its refusal says so (所填内容过长，未保留), and a region code is
// refused before it is folded (行政区划代码过长), a code that is none
// named with what is wrong. Before, the page sent the value back whole
// (334 KB to 1 MB) and the region was told 行政区划不存在 after folding
// it (1.3 s for U+FDFA). On both engines.
func TestDepartmentFormHugeValue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		token := op.login("operator")
		huge := map[string]string{"CJK": strings.Repeat("\ufdfa", 110000), "ASCII": strings.Repeat("4", 999000)}
		const kept = "（所填内容过长，未保留，请重新填写）"
		for _, c := range []struct{ field, says string }{
			{"name", "部门名称不能超过 100 个字" + kept},
			{"short_name", "部门简称不能超过 50 个字" + kept},
			{"uscc", kept},
			{"region", "行政区划代码过长"},
			{"parent", "上级部门不能超过 100 个字" + kept},
		} {
			for kind, v := range huge {
				form := url.Values{"csrf_token": {token}, "name": {"南海区教育局"}, "uscc": {uscc(t, "MB2E0001")}, "region": {"440605"}}
				form.Set(c.field, v)
				r := op.post("/org/departments/new", form)
				wantStatus(t, "new, "+c.field+" "+kind, r, http.StatusBadRequest)
				wantBody(t, "new, "+c.field+" "+kind, r, c.says)
				if len(r.Body) >= 16<<10 {
					t.Errorf("new, %s %s: a page of %d bytes, want under 16 KB", c.field, kind, len(r.Body))
				}
			}
		}
		r := op.post("/org/departments/new", url.Values{"csrf_token": {token}, "name": {"南海区教育局"}, "uscc": {uscc(t, "MB2E0001")},
			"region": {"４４０６Ｏ５"}})
		wantStatus(t, "new, region 4406O5", r, http.StatusBadRequest)
		wantBody(t, "new, region 4406O5", r, "行政区划代码“4406O5”的第5个字符“O”不是数字：应为6位数字（乡镇为9位）")

		d := f.depts["公安分局"]
		path := "/org/departments/" + strconv.FormatInt(d.ID, 10) + "/edit"
		for _, c := range []struct{ field, says string }{
			{"name", "部门名称不能超过 100 个字" + kept},
			{"short_name", "部门简称不能超过 50 个字" + kept},
			{"uscc", kept},
			{"edit_tag", "部门名称不能超过 100 个字"},
		} {
			for kind, v := range huge {
				form := url.Values{"csrf_token": {token}, "name": {d.Name}, "short_name": {""}, "uscc": {d.USCC}, "edit_tag": {d.Tag()}}
				form.Set(c.field, v)
				if c.field == "edit_tag" {
					form.Set("name", strings.Repeat("名", 101))
				}
				r := op.post(path, form)
				wantStatus(t, "edit, "+c.field+" "+kind, r, http.StatusBadRequest)
				wantBody(t, "edit, "+c.field+" "+kind, r, c.says)
				if len(r.Body) >= 16<<10 {
					t.Errorf("edit, %s %s: a page of %d bytes, want under 16 KB", c.field, kind, len(r.Body))
				}
			}
		}
	})
}

package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRetireReasonShown: the reason an entry was retired with, required to
// retire it, is shown on the entry's page with when and by whom — who
// asked and who approved, as a department's retirement is a request the
// operator reviews — to its department and to the operator, as it was
// only in the audit log; a published entry shows none.
func TestRetireReasonShown(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		path := "/catalog/" + strconv.FormatInt(id, 10)
		police, op := f.client(t), f.client(t)
		ptok := police.login("police.admin")
		otok := op.login("operator")
		wantNoBody(t, "published", police.get(path), `id="retired-reason"`, "注销原因：")

		reason := "已并入居住登记信息 <统一管理>"
		postOK(t, police, path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {reason}, "confirm": {"yes"}}, path+"?msg=retire_requested")
		wantNoBody(t, "requested", police.get(path), `id="retired-reason"`)
		postOK(t, op, path+"/retire/approve", url.Values{"csrf_token": {otok}}, path+"?msg=retire_approved")
		at := f.clock.Now().In(calendar.Location()).Format("2006-01-02 15:04")
		for who, c := range map[string]*client{"department": police, "operator": op} {
			r := c.get(path)
			wantStatus(t, who, r, http.StatusOK)
			wantBody(t, who, r, `id="retired-reason"`, "注销原因：已并入居住登记信息 &lt;统一管理&gt;", at, "，由 李管理 申请注销，王主管 审核通过）")
		}
	})
}

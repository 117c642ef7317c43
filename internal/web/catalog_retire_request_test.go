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

// TestRetireRequestConsole: a department's 注销 of its published entry on
// the console is a request (申请注销) for the operator's review
// (requirement 4): the entry stays published and in the public catalog,
// the page says the request waits and offers its withdrawal, not a
// submission; the operator finds it in the 待审核 queue (counted in the
// tab and on the home page) and approves it or sends it back with a reason, which the
// department reads on the entry. Before, the department's 注销 retired the
// entry at once.
func TestRetireRequestConsole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		path := "/catalog/" + strconv.FormatInt(id, 10)
		police, op, anon := f.client(t), f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")

		r := police.get(path)
		wantBody(t, "published", r, `id="retire-entry" aria-describedby="retire-asks">申请注销</button>`, "注销须经政务数据主管部门审核")
		postOK(t, police, path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"并入居住登记信息"}, "confirm": {"yes"}},
			path+"?msg=retire_requested")
		r = police.get(path + "?msg=retire_requested")
		wantBody(t, "requested", r, "已提交注销申请，等待政务数据主管部门审核", `id="retire-request"`, "注销申请待审核：并入居住登记信息",
			"由 李管理 申请", `id="withdraw-retire"`, "已发布")
		wantNoBody(t, "requested", r, `id="retire-entry"`, `id="approve-retire"`)
		wantBody(t, "public while requested", anon.get("/public/catalog"), "暂住人口登记信息")

		// The operator's queue lists it, and the home page counts it; the
		// entry offers the review.
		wantBody(t, "home", op.get("/"), `<div class="stat-value">1</div>
    <div class="stat-label"><a href="/catalog?view=submitted">待审核</a>`)
		r = op.get("/catalog?view=submitted")
		wantBody(t, "queue", r, `id="retire-requests"`, `id="retire-request-`+strconv.FormatInt(id, 10)+`"`, "并入居住登记信息", "李管理",
			`待审核 <span class="badge">1</span>`)
		r = op.get(path)
		wantBody(t, "operator's page", r, `id="review-retire"`, `id="approve-retire"`, `id="reject-retire"`)
		wantStatus(t, "department approves", police.post(path+"/retire/approve", url.Values{"csrf_token": {ptok}}), http.StatusForbidden)
		r = op.post(path+"/retire/reject", url.Values{"csrf_token": {otok}, "reason": {" "}})
		wantStatus(t, "reject without reason", r, http.StatusBadRequest)
		wantBody(t, "reject without reason", r, `id="reject-retire-error"`, "退回时必须说明理由")
		postOK(t, op, path+"/retire/reject", url.Values{"csrf_token": {otok}, "reason": {"仍有部门在用"}}, path+"?msg=retire_rejected")
		r = police.get(path)
		wantBody(t, "rejected", r, `id="retire-request-rejected"`, "注销申请已退回：仍有部门在用", "由 王主管 退回", `id="retire-entry"`)
		wantNoBody(t, "rejected", r, `id="withdraw-retire"`)
		wantNoBody(t, "queue after the rejection", op.get("/catalog?view=submitted"), `id="retire-requests"`)

		// Asked again and withdrawn; asked again and approved.
		postOK(t, police, path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"并入居住登记信息"}, "confirm": {"yes"}},
			path+"?msg=retire_requested")
		postOK(t, police, path+"/retire/withdraw", url.Values{"csrf_token": {ptok}}, path+"?msg=retire_withdrawn")
		r = police.get(path)
		wantNoBody(t, "withdrawn", r, `id="retire-request"`, `id="withdraw-retire"`)
		postOK(t, police, path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"并入居住登记信息"}, "confirm": {"yes"}},
			path+"?msg=retire_requested")
		postOK(t, op, path+"/retire/approve", url.Values{"csrf_token": {otok}}, path+"?msg=retire_approved")
		r = police.get(path)
		wantBody(t, "retired", r, "已注销", "注销原因：并入居住登记信息", "由 李管理 申请注销，王主管 审核通过")
		// Every request and its outcome stay in the entry's 审核记录, with
		// who and the reason. Before, none of them did.
		wantBody(t, "retired: history", r, `<td>申请注销</td>`, `<td>注销申请退回</td>`, `<td>仍有部门在用</td>`,
			`<td>撤回注销申请</td>`, `<td>注销申请通过</td>`, `<td>王主管</td>`)
		wantNoBody(t, "public once retired", anon.get("/public/catalog"), "暂住人口登记信息")

		// The operator retires at once.
		other := publish(t, f, "公安分局", "流动人口签注信息", "01", "003",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "签注日期", Type: "D"})
		opath := "/catalog/" + strconv.FormatInt(other, 10)
		wantBody(t, "operator's retire form", op.get(opath), `id="retire-entry">注销</button>`)
		postOK(t, op, opath+"/retire", url.Values{"csrf_token": {otok}, "reason": {"清理重复目录"}, "confirm": {"yes"}}, opath+"?msg=retired")
		wantBody(t, "retired by the operator", police.get(opath), "已注销", "由 王主管 注销")
	})
}

// TestRetireRequestTabCount: the 待审核 tab counts what its list shows
// under the list's filters, whatever the tab open. Before, a reviewer's
// count was every revision under review plus every retirement request,
// whatever the department or text filtered the list by.
func TestRetireRequestTabCount(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		path := "/catalog/" + strconv.FormatInt(id, 10)
		police, market, op := f.client(t), f.client(t), f.client(t)
		ptok, mtok := police.login("police.admin"), market.login("market.admin")
		op.login("operator")
		postOK(t, police, path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"并入居住登记信息"}, "confirm": {"yes"}},
			path+"?msg=retire_requested")
		mpath := createEntry(t, market, entryForm(mtok, "企业登记信息", "公民身份号码", "C", "18", "yes", "企业名称", "C", "50", "no"))
		postOK(t, market, mpath+"/submit", url.Values{"csrf_token": {mtok}}, mpath+"?msg=submitted")

		pid, mid := strconv.FormatInt(f.depts["公安分局"].ID, 10), strconv.FormatInt(f.depts["市场监管局"].ID, 10)
		for _, c := range []struct {
			page string
			want int
		}{
			{"/catalog", 2},
			{"/catalog?view=submitted", 2},
			{"/catalog?department_id=" + mid, 1},
			{"/catalog?view=submitted&department_id=" + mid, 1},
			{"/catalog?department_id=" + pid, 1},
			{"/catalog?view=submitted&department_id=" + pid, 1},
			{"/catalog?view=retired&department_id=" + pid, 1},
			{"/catalog?q=" + url.QueryEscape("暂住人口"), 1},
			{"/catalog?view=submitted&q=" + url.QueryEscape("暂住人口"), 1},
		} {
			r := op.get(c.page)
			wantStatus(t, c.page, r, http.StatusOK)
			wantBody(t, c.page, r, `待审核 <span class="badge">`+strconv.Itoa(c.want)+`</span>`)
		}
		wantBody(t, "the queue of 公安分局", op.get("/catalog?view=submitted&department_id="+pid), `id="retire-request-`+strconv.FormatInt(id, 10)+`"`)
		wantNoBody(t, "the queue of 市场监管局", op.get("/catalog?view=submitted&department_id="+mid), `id="retire-requests"`)
		wantNoBody(t, "the queue of 暂住人口 found", op.get("/catalog?view=submitted&q="+url.QueryEscape("企业登记")), `id="retire-requests"`)
	})
}

// TestReasonMaxLength: the reason fields of the entry's page let as many
// characters be typed as the server takes (catalog.MaxReasonChars): their
// maxlength is twice it, as the browser counts UTF-16 units and a
// character beyond the Basic Multilingual Plane is two; the server
// refuses a longer reason.
func TestReasonMaxLength(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		path := "/catalog/" + strconv.FormatInt(id, 10)
		police, op := f.client(t), f.client(t)
		ptok := police.login("police.admin")
		op.login("operator")
		max := `maxlength="` + strconv.Itoa(2*catalog.MaxReasonChars) + `"`
		wantBody(t, "the retire form", police.get(path), `id="retire-reason" name="reason" placeholder="注销原因" `+max)
		postOK(t, police, path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"并入居住登记信息"}, "confirm": {"yes"}},
			path+"?msg=retire_requested")
		wantBody(t, "the reject-retirement form", op.get(path), `id="reject-retire-reason" name="reason" rows="2" `+max)
		mpath := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no"))
		postOK(t, police, mpath+"/submit", url.Values{"csrf_token": {ptok}}, mpath+"?msg=submitted")
		wantBody(t, "the reject form", op.get(mpath), `id="reject-reason-input" name="reason" rows="2" `+max)
	})
}

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
		wantBody(t, "published", r, `id="retire-entry" aria-describedby="retire-asks">申请注销</button>`, "注销须经平台主管部门审核")
		postOK(t, police, path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"并入居住登记信息"}, "confirm": {"yes"}},
			path+"?msg=retire_requested")
		r = police.get(path + "?msg=retire_requested")
		wantBody(t, "requested", r, "已提交注销申请，等待平台主管部门审核", `id="retire-request"`, "注销申请待审核：并入居住登记信息",
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
		wantNoBody(t, "public once retired", anon.get("/public/catalog"), "暂住人口登记信息")

		// The operator retires at once.
		other := publish(t, f, "公安分局", "居住证签注信息", "01", "003",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "签注日期", Type: "D"})
		opath := "/catalog/" + strconv.FormatInt(other, 10)
		wantBody(t, "operator's retire form", op.get(opath), `id="retire-entry">注销</button>`)
		postOK(t, op, opath+"/retire", url.Values{"csrf_token": {otok}, "reason": {"清理重复目录"}, "confirm": {"yes"}}, opath+"?msg=retired")
		wantBody(t, "retired by the operator", police.get(opath), "已注销", "由 王主管 注销")
	})
}

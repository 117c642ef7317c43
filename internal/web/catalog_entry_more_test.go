package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRetireFormKeepsReason: a retirement refused for want of the
// confirmation keeps the reason typed in the retire form, as the reject
// form keeps its own, and marks the field at fault; a refusal for want of
// a reason marks the reason box.
func TestRetireFormKeepsReason(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true})
		path := "/catalog/" + strconv.FormatInt(id, 10)
		police := f.client(t)
		ptok := police.login("police.admin")

		r := police.post(path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"已并入 <居住登记>"}})
		wantStatus(t, "unconfirmed", r, http.StatusBadRequest)
		wantBody(t, "unconfirmed", r, "请勾选“确认注销”后再提交", `value="已并入 &lt;居住登记&gt;"`, `name="confirm" value="yes" required aria-invalid="true"`)
		if tag := regexp.MustCompile(`<input[^>]* id="retire-reason"[^>]*>`).FindString(r.Body); tag == "" || strings.Contains(tag, "aria-invalid") {
			t.Errorf("unconfirmed: the reason box %q is missing or marked at fault", tag)
		}

		r = police.post(path+"/retire", url.Values{"csrf_token": {ptok}, "reason": {"  "}, "confirm": {"yes"}})
		wantStatus(t, "no reason", r, http.StatusBadRequest)
		wantBody(t, "no reason", r, "注销时必须说明理由", `aria-invalid="true" aria-describedby="retire-reason-error"`, `id="retire-reason-error"`)
	})
}

// TestConflictPanelWording: the one-source panel lists as candidates the
// published entries of other departments and the item's recorded one
// source, which may be the department's own entry: it says the items
// duplicate other published entries, not other departments' only. A
// retired entry, no longer a source of anything, shows no panel.
func TestConflictPanelWording(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		_, other := publishNamePair(t, f) // 姓名's one source is 公安分局's entry
		police, market := f.client(t), f.client(t)
		ptok := police.login("police.admin")
		mtok := market.login("market.admin")
		path := createEntry(t, police, entryForm(ptok, "流动人口登记信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no"))
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		r := police.get(path)
		wantStatus(t, "submitted", r, http.StatusOK)
		wantBody(t, "submitted", r, `id="conflicts"`, "以下信息项与已发布的其他数据资源重复",
			"权威数源："+f.depts["公安分局"].Name+"《居住登记信息》")
		wantNoBody(t, "submitted", r, "其他部门已发布")

		otherPath := "/catalog/" + strconv.FormatInt(other, 10)
		wantBody(t, "published", market.get(otherPath), `id="conflicts"`)
		postOK(t, market, otherPath+"/retire", url.Values{"csrf_token": {mtok}, "reason": {"停止采集"}, "confirm": {"yes"}}, otherPath+"?msg=retire_requested")
		op := f.client(t)
		postOK(t, op, otherPath+"/retire/approve", url.Values{"csrf_token": {op.login("operator")}}, otherPath+"?msg=retire_approved")
		r = market.get(otherPath)
		wantStatus(t, "retired", r, http.StatusOK)
		wantBody(t, "retired", r, "注销原因：停止采集")
		wantNoBody(t, "retired", r, `id="conflicts"`, "一数一源冲突")
	})
}

// TestReviewHistoryShown: a rejection and its reason stay on the entry's
// page after the version is resubmitted and approved, which clears the
// version's reject_reason: the 审核记录 lists every submission, rejection
// and approval with who and when, to the department and the reviewers;
// another department, which sees only published versions, sees none.
func TestReviewHistoryShown(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op, market := f.client(t), f.client(t), f.client(t)
		ptok := police.login("police.admin")
		otok := op.login("operator")
		market.login("market.admin")
		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "出生日期", "D", "8", "no"))
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		postOK(t, op, path+"/reject", url.Values{"csrf_token": {otok}, "reason": {"摘要过于简单 <请补充>"}}, path+"?msg=rejected")
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}}, path+"?msg=approved")

		for who, c := range map[string]*client{"department": police, "operator": op} {
			r := c.get(path)
			wantStatus(t, who, r, http.StatusOK)
			i := strings.Index(r.Body, `id="reviews"`)
			if i < 0 {
				t.Fatalf("%s: no review history\n%s", who, r.Body)
			}
			h := r.Body[i:]
			for _, want := range []string{"提交审核", "退回", "摘要过于简单 &lt;请补充&gt;", "审核通过"} {
				j := strings.Index(h, want)
				if j < 0 {
					t.Fatalf("%s: review history lacks %q in order\n%s", who, want, r.Body[i:])
				}
				h = h[j+len(want):]
			}
			wantBody(t, who, r, f.clock.Now().In(calendar.Location()).Format("2006-01-02 15:04"))
		}
		r := market.get(path)
		wantStatus(t, "another department", r, http.StatusOK)
		wantNoBody(t, "another department", r, `id="reviews"`, "摘要过于简单")
	})
}

// section returns the part of body from the element with id to the end of
// its table or paragraph, or "" when there is none.
func section(body, id, end string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	s := body[i:]
	if j := strings.Index(s, end); j >= 0 {
		s = s[:j]
	}
	return s
}

// TestPeopleByName: the entry page and the version diff say who compiled,
// reviewed and retired by the account's name (姓名), not its username,
// and the retirement note reads “（time，由 name 注销）”; an actor that is
// no account keeps its name.
func TestPeopleByName(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok := police.login("police.admin") // 李管理
		otok := op.login("operator")         // 王主管
		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "出生日期", "D", "8", "no"))
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}}, path+"?msg=approved")
		v2 := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "出生日期", "D", "8", "no")
		v2.Set("update_frequency", "daily")
		postOK(t, police, path+"/edit", v2, path+"?view=working&msg=saved")
		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}}, path+"?msg=approved")

		r := police.get(path)
		wantStatus(t, "entry", r, http.StatusOK)
		for _, s := range []struct{ id, end string }{{"versions", "</table>"}, {"reviews", "</table>"}} {
			got := section(r.Body, s.id, s.end)
			for _, want := range []string{"李管理", "王主管"} {
				if !strings.Contains(got, want) {
					t.Errorf("%s lacks %q:\n%s", s.id, want, got)
				}
			}
			for _, user := range []string{"police.admin", "operator"} {
				if strings.Contains(got, user) {
					t.Errorf("%s shows username %q:\n%s", s.id, user, got)
				}
			}
		}
		r = police.get(path + "/versions/2/diff")
		wantStatus(t, "diff", r, http.StatusOK)
		wantBody(t, "diff", r, "李管理 编制于")
		wantNoBody(t, "diff", r, "police.admin 编制于")

		postOK(t, op, path+"/retire", url.Values{"csrf_token": {otok}, "reason": {"停止采集"}, "confirm": {"yes"}}, path+"?msg=retired")
		at := f.clock.Now().In(calendar.Location()).Format("2006-01-02 15:04:05")
		wantBody(t, "retired", police.get(path), "（"+at+"，由 王主管 注销）")

		// An entry published by a system actor (no account) shows its name.
		id := publish(t, f, "公安分局", "暂住人口登记信息", "01", "002", catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true})
		got := section(police.get("/catalog/"+strconv.FormatInt(id, 10)).Body, "versions", "</table>")
		if !strings.Contains(got, "<td>test</td>") {
			t.Errorf("versions of a system actor's entry lack its name:\n%s", got)
		}
	})
}

package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// publish compiles, submits and approves a person entry through the
// catalog lifecycle; the earlier entry becomes the one source of shared items.
// publishNamePair publishes the two entries of the discrepancy tests, which
// hold the same fact of a citizen: 公安分局's 居住登记信息 and 市场监管局's
// 个体工商户经营者信息, each of 公民身份号码 (identifying) and 姓名.
func publishNamePair(t *testing.T, f *fixture) (a, b int64) {
	t.Helper()
	id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
	name := catalog.Item{Name: "姓名", Type: "C", Length: 50}
	return publish(t, f, "公安分局", "居住登记信息", "01", "002", id, name), publish(t, f, "市场监管局", "个体工商户经营者信息", "02", "001", id, name)
}

// nameDiscrepancy is the open discrepancy openNameDiscrepancy makes, with
// the first of publishNamePair's entries and the console clients of the
// two departments' admins that uploaded its two values.
type nameDiscrepancy struct {
	id, a          int64 // the discrepancy; 公安分局's entry
	police, market *client
	ptok, mtok     string // their CSRF tokens
}

// openNameDiscrepancy publishes publishNamePair's entries and uploads on
// the console, as police.admin and then market.admin, 张三 and 张叁 as the
// 姓名 of subject, produced an hour ago, and returns the open discrepancy
// they make.
func openNameDiscrepancy(t *testing.T, f *fixture, subject string) nameDiscrepancy {
	t.Helper()
	a, b := publishNamePair(t, f)
	d := nameDiscrepancy{a: a, police: f.client(t), market: f.client(t)}
	produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
	add := func(value string) []byte {
		return []byte(`{"op":"add","subject_id":"` + subject + `","produced_at":"` + produced + `","values":{"姓名":"` + value + `"}}`)
	}
	d.ptok = d.police.login("police.admin")
	wantStatus(t, "police upload", d.police.upload("/records/upload", d.ptok, "a.jsonl", add("张三"), "entry", strconv.FormatInt(a, 10)), http.StatusOK)
	d.mtok = d.market.login("market.admin")
	wantStatus(t, "market upload", d.market.upload("/records/upload", d.mtok, "b.jsonl", add("张叁"), "entry", strconv.FormatInt(b, 10)), http.StatusOK)
	if err := f.db.Read().QueryRowContext(t.Context(), `SELECT id FROM record_discrepancies WHERE status = 'open'`).Scan(&d.id); err != nil {
		t.Fatal(err)
	}
	return d
}

// pushNameDiscrepancy publishes publishNamePair's entries and pushes into
// each its department's short name as the 姓名 of subject, and returns
// 公安分局's entry and the discrepancy they make.
func pushNameDiscrepancy(t *testing.T, f *fixture, subject string) (a, id int64) {
	t.Helper()
	a, b := publishNamePair(t, f)
	pushNames(t, f, "公安分局", a, "公安分局", []string{subject})
	pushNames(t, f, "市场监管局", b, "市场监管局", []string{subject})
	if err := f.db.Read().QueryRowContext(t.Context(), `SELECT id FROM record_discrepancies`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return a, id
}

func publish(t *testing.T, f *fixture, dept string, name, cat, sub string, items ...catalog.Item) int64 {
	t.Helper()
	ctx, now := context.Background(), f.clock.Now().Add(-time.Hour)
	by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: f.depts[dept].ID}, Editor: true}
	op := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "op", Name: "test", DepartmentID: f.depts["数管局"].ID}, Operator: true}
	r := catalog.Resource{Name: name, Abstract: name + "，供各部门核验使用", Format: "database", ShareType: catalog.Conditional,
		ShareConditions: "仅向依法履行职责的政务部门共享", ShareScope: "全区政务部门",
		Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: cat, CategoryName: "部门", SubcategoryCode: sub, SubcategoryName: "业务"},
		ShareMethods:   []catalog.ShareMethod{"query"}, OpenAttribute: catalog.NotOpen, UpdateFrequency: "daily", SecurityLevel: 3,
		NetworkZone: "egov_extranet", Domain: "18", SubjectKind: catalog.Person, Timeliness: "2个工作日内", Items: items}
	id, err := demo.PublishEntry(ctx, f.db, by, op, r, now)
	if err != nil {
		t.Fatalf("publish %s: %v", name, err)
	}
	return id
}

func count(t *testing.T, db *sqldb.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRecordsConsole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		name := catalog.Item{Name: "姓名", Type: "C", Length: 50}
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002", id, name, catalog.Item{Name: "居住地址", Type: "C", Length: 200})
		b := publish(t, f, "市场监管局", "个体工商户经营者信息", "02", "001", id, name, catalog.Item{Name: "字号名称", Type: "C", Length: 100})
		as, bs := strconv.FormatInt(a, 10), strconv.FormatInt(b, 10)
		p1, p2 := recordstest.CitizenID(11), recordstest.CitizenID(12)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)

		police := f.client(t)
		ptok := police.login("police.admin")
		r := police.get("/records")
		wantStatus(t, "GET /records", r, http.StatusOK)
		wantBody(t, "records overview", r, "数据归集", "居住登记信息", "未推送", `href="/records/upload"`, "完整性", "一致性")
		wantNoBody(t, "records overview", r, "个体工商户经营者信息", "各部门归集概况")
		r = police.get("/records/upload")
		wantStatus(t, "upload form", r, http.StatusOK)
		wantBody(t, "upload form", r, `id="upload-entry"`, `hx-get="/records/entries?upload=1"`, `enctype="multipart/form-data"`)
		wantNoBody(t, "upload form", r, "<select")

		// A good JSON-lines file is applied whole; the same file again is not applied twice.
		good := `{"op":"add","subject_id":"` + p1 + `","produced_at":"` + produced + `","values":{"姓名":"张三","居住地址":"桂城街道1号"}}` + "\n" +
			`{"op":"add","subject_id":"` + p2 + `","produced_at":"` + produced + `","values":{"姓名":"李四"}}` + "\n"
		r = police.upload("/records/upload", ptok, "good.jsonl", []byte(good), "entry", as)
		wantStatus(t, "good upload", r, http.StatusOK)
		wantBody(t, "good upload", r, `id="upload-done"`, "已导入 2 条操作")
		r = police.upload("/records/upload", ptok, "good.jsonl", []byte(good), "entry", as)
		wantStatus(t, "repeated upload", r, http.StatusOK)
		wantBody(t, "repeated upload", r, `id="upload-replayed"`, "未重复导入")
		versions := count(t, db, `SELECT count(*) FROM record_versions`)
		if versions != 2 {
			t.Fatalf("versions after uploads: %d, want 2", versions)
		}

		// A bad CSV file: every bad line with its reason, nothing applied.
		bad := "op,subject_id,produced_at,姓名\n" +
			"change," + p1 + "," + produced + ",张三丰\n" +
			"add,123," + produced + ",错号\n" +
			"cancel," + recordstest.CitizenID(13) + "," + produced + ",\n" +
			"add," + recordstest.CitizenID(14) + ",not-a-time,某\n" +
			"add,124,not-a-time,某\n" // two errors on one line
		r = police.upload("/records/upload", ptok, "bad.csv", []byte(bad), "entry", as)
		wantStatus(t, "bad upload", r, http.StatusUnprocessableEntity)
		wantBody(t, "bad upload", r, `id="upload-rejected"`, "共 5 行，其中 4 行有错误（共 5 处），整批未导入任何数据",
			`<td class="num">3</td>`, `<td class="num">4</td>`, `<td class="num">5</td>`, `<td class="num">6</td>`, "record_not_found", "invalid_produced_at")
		wantNoBody(t, "bad upload", r, `<td class="num">2</td>`)
		if n := count(t, db, `SELECT count(*) FROM record_versions`); n != versions {
			t.Errorf("bad upload applied something: %d versions, want %d", n, versions)
		}
		r = police.upload("/records/upload", ptok, "data.txt", []byte(good), "entry", as)
		wantStatus(t, "wrong extension", r, http.StatusUnprocessableEntity)
		wantBody(t, "wrong extension", r, "只能上传")
		// Another department's entry, and a forged token.
		r = police.upload("/records/upload", ptok, "good.jsonl", []byte(good), "entry", bs)
		wantStatus(t, "upload to another department's entry", r, http.StatusForbidden)
		wantBody(t, "not provider", r, "不是数据资源")
		wantStatus(t, "forged upload", police.upload("/records/upload", "forged", "good.jsonl", []byte(good), "entry", as), http.StatusForbidden)

		// Roles: the department's reviewer reads its aggregation pages, as
		// data.read lets it in the API, and pushes nothing; the auditor has none.
		rev := f.client(t)
		rtok := rev.login("reviewer")
		r = rev.get("/records")
		wantStatus(t, "reviewer /records", r, http.StatusOK)
		wantBody(t, "reviewer /records", r, "本部门数据资源", "居住登记信息", `href="/records/batches"`, `href="/records/discrepancies"`)
		wantNoBody(t, "reviewer /records", r, "个体工商户经营者信息", "各部门归集概况", `href="/records/upload"`)
		r = rev.get("/records/upload")
		wantStatus(t, "reviewer upload form", r, http.StatusForbidden)
		wantBody(t, "reviewer upload form", r, "您的角色（审核员）无权访问此页面（仅限部门管理员）")
		wantStatus(t, "reviewer upload", rev.upload("/records/upload", rtok, "good.jsonl", []byte(good), "entry", as), http.StatusForbidden)
		r = rev.get("/records/entries/" + as + "/subjects/" + p1 + "?purpose=" + url.QueryEscape("核查"))
		wantStatus(t, "reviewer record page", r, http.StatusOK)
		wantBody(t, "reviewer record page", r, "张三", "桂城街道1号")
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action = 'records.read' AND actor_name = 'reviewer'`, p1); n != 1 {
			t.Errorf("audited reads by the reviewer: %d, want 1", n)
		}
		aud := f.loggedIn(t, "auditor")
		wantStatus(t, "auditor /records/discrepancies", aud.get("/records/discrepancies"), http.StatusForbidden)

		// 市场监管局 says 张叁 where 公安 (the one source of 姓名) says 张三.
		market := f.client(t)
		mtok := market.login("market.admin")
		other := `{"op":"add","subject_id":"` + p1 + `","produced_at":"` + produced + `","values":{"姓名":"张叁","字号名称":"张记小食"}}`
		wantStatus(t, "market upload", market.upload("/records/upload", mtok, "m.jsonl", []byte(other), "entry", bs), http.StatusOK)
		// The applied batches: each department its own, the operator all.
		r = police.get("/records/batches")
		wantStatus(t, "police batches", r, http.StatusOK)
		wantBody(t, "police batches", r, "本部门已导入的批次", "居住登记信息", `<td class="num">2</td>`, "工作人员")
		wantNoBody(t, "police batches", r, "个体工商户经营者信息", "<th>数源部门</th>")
		op := f.loggedIn(t, "operator")
		// The overview counts the discrepancy open against both sides.
		wantDiscrepancyCells(t, "open", op.get("/records"), map[int64]string{f.depts["公安分局"].ID: "1 0", f.depts["市场监管局"].ID: "1 0"},
			map[int64]string{a: "1 0", b: "1 0"})
		r = op.get("/records/batches")
		wantStatus(t, "operator batches", r, http.StatusOK)
		wantBody(t, "operator batches", r, "各部门已导入的批次", "居住登记信息", "个体工商户经营者信息", "<th>数源部门</th>")
		r = rev.get("/records/batches")
		wantStatus(t, "reviewer batches", r, http.StatusOK)
		wantBody(t, "reviewer batches", r, "本部门已导入的批次", "居住登记信息")
		wantNoBody(t, "reviewer batches", r, "个体工商户经营者信息")
		r = market.get("/records/discrepancies?" + checking)
		wantStatus(t, "discrepancies", r, http.StatusOK)
		// 公安分局's value, shared on conditions, is withheld from 市场监管局.
		wantBody(t, "discrepancies", r, p1, "（无权查看）", "张叁", "待处理", "反馈期限 <span class=\"nowrap\">2026年10月13日 星期二（当日 24 时前）</span>", "剩余 5 个工作日", "权威数源", `name="feedback"`)
		wantNoBody(t, "discrepancies", r, "<strong>张三</strong>")
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.read' AND subject_id = $1`, p1); n != 1 {
			t.Errorf("audited discrepancy reads: %d, want 1", n)
		}
		wantNoBody(t, "market sees no resolve form", r, "/resolve")
		var did string
		if i := strings.Index(r.Body, `action="/records/discrepancies/`); i >= 0 {
			rest := r.Body[i+len(`action="/records/discrepancies/`):]
			did = rest[:strings.Index(rest, "/")]
		} else {
			t.Fatalf("no feedback form:\n%s", r.Body)
		}
		base := "/records/discrepancies/" + did
		// The reviewer sees its department's differences and acts on none.
		r = rev.get("/records/discrepancies?" + checking)
		wantStatus(t, "reviewer discrepancies", r, http.StatusOK)
		wantBody(t, "reviewer discrepancies", r, p1, "张三", "（无权查看）", "待处理")
		wantNoBody(t, "reviewer discrepancies", r, base+"/feedback", base+"/resolve")
		for _, action := range []string{"feedback", "resolve"} {
			r = rev.post(base+"/"+action, url.Values{"csrf_token": {rtok}, "feedback": {"已核实"}})
			wantStatus(t, "reviewer "+action, r, http.StatusForbidden)
			wantBody(t, "reviewer "+action, r, "您的角色（审核员）无权执行此操作（仅限平台管理员、部门管理员）")
		}
		wantStatus(t, "forged feedback", market.post(base+"/feedback", url.Values{"csrf_token": {"x"}, "feedback": {"已核实"}}), http.StatusForbidden)
		r = market.post(base+"/feedback", url.Values{"csrf_token": {mtok}, "feedback": {" "}})
		wantStatus(t, "empty feedback", r, http.StatusBadRequest)
		wantBody(t, "empty feedback", r, "反馈内容不能为空")
		r = market.post(base+"/feedback?"+checking, url.Values{"csrf_token": {mtok}, "feedback": {"经核实，本局登记有误"}})
		if r.Status != http.StatusSeeOther || r.Location != "/records/discrepancies?msg=feedback&"+checking {
			t.Fatalf("feedback: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		wantBody(t, "after feedback", market.get(r.Location), "反馈已提交", "经核实，本局登记有误")
		// A second feedback does not hide the first: both show, in order.
		r = market.post(base+"/feedback?"+checking, url.Values{"csrf_token": {mtok}, "feedback": {"经复核，本局登记无误"}})
		wantStatus(t, "second feedback", r, http.StatusSeeOther)
		r = market.get(r.Location)
		if first, second := strings.Index(r.Body, "经核实，本局登记有误"), strings.Index(r.Body, "经复核，本局登记无误"); first < 0 || second < first {
			t.Errorf("after a second feedback, the first at %d, the second at %d:\n%s", first, second, r.Body)
		}
		wantStatus(t, "resolve by the other source", market.post(base+"/resolve", url.Values{"csrf_token": {mtok}}), http.StatusForbidden)
		// 居住登记信息 is shared on conditions: another department reads it
		// only once the source consents; the operator hosts it.
		r = market.get("/records/entries/" + as + "/subjects/" + p1 + "?purpose=" + url.QueryEscape("核查"))
		wantStatus(t, "another department reads a conditional entry", r, http.StatusForbidden)
		wantBody(t, "another department reads a conditional entry", r, "须经数源部门审核同意")
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action = 'records.read' AND outcome = 'denied'
			AND detail = $2`, p1, `{"reason":"share_consent_required"}`); n != 1 {
			t.Errorf("audited refused reads: %d, want 1", n)
		}
		wantStatus(t, "the operator reads it", op.get("/records/entries/"+as+"/subjects/"+p1+"?purpose="+url.QueryEscape("核查")), http.StatusOK)

		// The record page shows the disputed value and the history; the read is audited.
		r = police.get("/records/entries/" + as + "/subjects/" + p1 + "?purpose=" + url.QueryEscape("核查差异"))
		wantStatus(t, "record page", r, http.StatusOK)
		wantBody(t, "record page", r, "张三", "桂城街道1号", "差异待处理", "与另一数源的取值不一致", "新增", "历史", "核查差异")
		wantNoBody(t, "record page", r, "张叁")
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action = 'records.read' AND purpose = $2
			AND fields = $3`, p1, "核查差异", "姓名,居住地址"); n != 1 {
			t.Errorf("audited record reads: %d, want 1", n)
		}
		r = police.get("/records/lookup?entry=" + as + "&subject=" + p2 + "&purpose=" + url.QueryEscape("核查"))
		if r.Status != http.StatusSeeOther || r.Location != "/records/entries/"+as+"/subjects/"+p2+"?purpose="+url.QueryEscape("核查") {
			t.Errorf("lookup: %d to %q", r.Status, r.Location)
		}
		// A missing record: the lookup form again, what was typed kept, the miss beside the subject.
		r = police.get("/records/entries/" + as + "/subjects/" + recordstest.CitizenID(99) + "?purpose=" + url.QueryEscape("核查"))
		wantStatus(t, "missing record", r, http.StatusNotFound)
		wantBody(t, "missing record", r, `action="/records/lookup"`, `value="`+recordstest.CitizenID(99)+`"`, `value="核查"`,
			`aria-invalid="true" aria-describedby="lookup-subject-error"`, "中没有此主体的记录："+recordstest.CitizenID(99))
		wantNoBody(t, "missing record", r, "页面不存在")
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action = 'records.read' AND outcome = 'failed'`,
			recordstest.CitizenID(99)); n != 1 {
			t.Errorf("audited lookups of a missing record: %d, want 1", n)
		}

		// 市场监管局 answered without disputing (its feedback names no
		// dispute): the authoritative source resolves.
		r = police.get("/records/discrepancies?" + checking)
		wantBody(t, "police discrepancies", r, base+"/resolve", "经核实，本局登记有误")
		wantNoBody(t, "police discrepancies", r, "由政务数据主管部门协调核实后处理")
		wantStatus(t, "forged resolve", police.post(base+"/resolve", url.Values{"csrf_token": {"x"}}), http.StatusForbidden)
		r = police.post(base+"/resolve", url.Values{"csrf_token": {ptok}, "note": {"以户籍登记为准"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("resolve: %d\n%s", r.Status, r.Body)
		}
		wantBody(t, "open after resolve", police.get("/records/discrepancies?"+checking), "没有待处理的差异")
		// 市场监管局's value stays marked until it pushes the correction.
		wantBody(t, "awaiting list", police.get("/records/discrepancies?status=awaiting_correction&"+checking), `id="discrepancy-`+did+`"`,
			"待更正", "以户籍登记为准", "更正为“张三”<span class=\"muted withheld\">（其原值无权查看）</span>")
		// 市场监管局 may still explain while it corrects.
		wantBody(t, "market's awaiting list", market.get("/records/discrepancies?status=awaiting_correction&"+checking), base+"/feedback")
		r = market.get("/records/entries/" + bs + "/subjects/" + p1 + "?purpose=" + url.QueryEscape("核查"))
		wantStatus(t, "market's record awaiting the correction", r, http.StatusOK)
		wantBody(t, "market's record awaiting the correction", r, `id="disputed"`, "待更正", "以另一数源的取值为准")
		wantNoBody(t, "market's record awaiting the correction", r, "“张三”")
		// The overview counts it 待更正 against 市场监管局's entry alone.
		wantDiscrepancyCells(t, "awaiting", op.get("/records"), map[int64]string{f.depts["公安分局"].ID: "0 0", f.depts["市场监管局"].ID: "0 1"},
			map[int64]string{a: "0 0", b: "0 1"})
		fixed := `{"op":"change","subject_id":"` + p1 + `","produced_at":"` + produced + `","values":{"姓名":"张三"}}`
		wantStatus(t, "market correction", market.upload("/records/upload", mtok, "fix.jsonl", []byte(fixed), "entry", bs), http.StatusOK)
		wantBody(t, "closed list", police.get("/records/discrepancies?status=resolved&"+checking), `id="discrepancy-`+did+`"`, "已办结",
			"以户籍登记为准；两个数源的值已一致")
		// A resolved discrepancy takes no more feedback: no form, and a post is refused.
		r = market.get("/records/discrepancies?status=resolved&" + checking)
		wantBody(t, "market's closed list", r, `id="discrepancy-`+did+`"`)
		wantNoBody(t, "market's closed list", r, base+"/feedback")
		r = market.post(base+"/feedback", url.Values{"csrf_token": {mtok}, "feedback": {"已更正"}})
		wantStatus(t, "feedback on a resolved discrepancy", r, http.StatusConflict)
		wantBody(t, "feedback on a resolved discrepancy", r, "该差异已办结，不能再提交反馈")
		wantNoBody(t, "market's record after the correction", market.get("/records/entries/"+bs+"/subjects/"+p1+"?purpose="+url.QueryEscape("核查")), `id="disputed"`)

		// The operator sees every department.
		r = op.get("/records")
		wantStatus(t, "operator /records", r, http.StatusOK)
		wantBody(t, "operator overview", r, "各部门归集概况", "佛山市公安局南海分局", "佛山市南海区市场监督管理局",
			"居住登记信息", "个体工商户经营者信息", "<meter")
	})
}

// TestRecordsUploadWarnings: a company's credit code whose check
// character is wrong (a real early code) is uploaded with the rest, and the
// result lists its warning by line, item and reason, as it lists rejected
// lines; a batch without one shows none.
func TestRecordsUploadWarnings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		firms := recordstest.Entry(t, db, f.depts["市场监管局"].ID, recordstest.Spec{Code: "102001/000001", Name: "企业登记信息",
			SubjectKind: "legal_entity", Items: []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "企业名称", Type: "C", Length: 50}}})
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		line := func(code, name string) string {
			return `{"op":"add","subject_id":"` + code + `","produced_at":"` + produced + `","values":{"企业名称":"` + name + `"}}` + "\n"
		}
		market := f.client(t)
		mtok := market.login("market.admin")
		r := market.upload("/records/upload", mtok, "firms.jsonl", []byte(line(recordstest.USCC(1), "甲公司")+line("91350100M0001TGQXM", "乙公司")),
			"entry", strconv.FormatInt(firms, 10))
		wantStatus(t, "upload with a warning", r, http.StatusOK)
		wantBody(t, "upload with a warning", r, `id="upload-done"`, "已导入 2 条操作", `id="upload-warned"`, "共 1 条注意事项",
			`<td class="num">2</td><td class="mono small">913501**********XM</td><td>subject_id</td><td class="mono small">uscc_check_digit</td>`,
			"统一社会信用代码 913501**********XM 的校验码不符")
		wantNoBody(t, "upload with a warning", r, `id="upload-rejected"`, "只列出前", "<th>操作键</th>")
		csv := "op,key,subject_id,produced_at,企业名称\nchange,firm-7,91350100M0001TGQXM," + produced + ",乙公司\n"
		r = market.upload("/records/upload", mtok, "keyed.csv", []byte(csv), "entry", strconv.FormatInt(firms, 10))
		wantStatus(t, "keyed upload with a warning", r, http.StatusOK)
		wantBody(t, "keyed upload with a warning", r, "<th>操作键</th>",
			`<td class="num">2</td><td class="mono small">firm-7</td><td class="mono small">913501**********XM</td><td>subject_id</td>`)
		r = market.upload("/records/upload", mtok, "more.jsonl", []byte(line(recordstest.USCC(2), "丙公司")), "entry", strconv.FormatInt(firms, 10))
		wantStatus(t, "upload without a warning", r, http.StatusOK)
		wantNoBody(t, "upload without a warning", r, `id="upload-warned"`)
	})
}

// wantDiscrepancyCells checks the 待处理差异 and 待更正 cells ("open
// awaiting") of the rows of /records' departments' and entries' tables.
func wantDiscrepancyCells(t *testing.T, when string, r response, depts, entries map[int64]string) {
	t.Helper()
	wantStatus(t, when+": GET /records", r, http.StatusOK)
	for _, table := range []struct {
		name  string
		re    *regexp.Regexp
		first int // of the two cells among the row's numbers
		want  map[int64]string
	}{{"department", deptRowRE, 5, depts}, {"entry", entryRowRE, 2, entries}} {
		got := map[int64]string{}
		for _, m := range table.re.FindAllStringSubmatch(r.Body, -1) {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			if cells := matches(numCellRE, m[2]); len(cells) >= table.first+2 {
				got[id] = strings.Join(cells[table.first:table.first+2], " ")
			}
		}
		for id, w := range table.want {
			if got[id] != w {
				t.Errorf("%s: /records shows %s %d with open and awaiting %q, want %q", when, table.name, id, got[id], w)
			}
		}
	}
}

// TestDiscrepancyPages: more open discrepancies than any one query used to
// return are all counted, and listed page by page down to the newest, which
// can be resolved from its page.
func TestDiscrepancyPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := publishNamePair(t, f)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		const n = 1001
		lines := func(value string) []byte {
			var sb strings.Builder
			for i := range n {
				sb.WriteString(`{"op":"add","subject_id":"` + recordstest.CitizenID(100+i) + `","produced_at":"` + produced +
					`","values":{"姓名":"` + value + `"}}` + "\n")
			}
			return []byte(sb.String())
		}
		police, market := f.client(t), f.client(t)
		ptok, mtok := police.login("police.admin"), market.login("market.admin")
		wantStatus(t, "police upload", police.upload("/records/upload", ptok, "p.jsonl", lines("张三"), "entry", strconv.FormatInt(a, 10)), http.StatusOK)
		wantStatus(t, "market upload", market.upload("/records/upload", mtok, "m.jsonl", lines("张叁"), "entry", strconv.FormatInt(b, 10)), http.StatusOK)
		if got := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE status = 'open'`); got != n {
			t.Fatalf("open discrepancies: %d, want %d", got, n)
		}
		newest := count(t, db, `SELECT max(id) FROM record_discrepancies`)

		wantBody(t, "records badge", police.get("/records"), `<span class="badge">1001</span>`)
		wantNoBody(t, "records before the deadline", police.get("/records"), `id="overdue"`)
		f.clock.Add(20 * 24 * time.Hour)
		ptok = police.login("police.admin") // the session has expired meanwhile
		wantBody(t, "records after the deadline", police.get("/records"), `<span class="badge">1001</span>`, "有 1001 条多源校核差异已超过")

		nextRE := regexp.MustCompile(`<a href="([^"]+)" class="btn" id="next-page">`)
		r := police.get("/records/discrepancies?" + checking)
		wantBody(t, "first page", r, "第 1–50 条 / 共 1001 条，其中 1001 条已逾期")
		wantNoBody(t, "first page", r, "第一页")
		pages := 1
		for {
			m := nextRE.FindStringSubmatch(r.Body)
			if m == nil {
				break
			}
			r = police.get(html.UnescapeString(m[1]))
			wantStatus(t, "next page", r, http.StatusOK)
			if pages++; pages > 30 {
				t.Fatal("more than 30 pages")
			}
		}
		if pages != 21 {
			t.Errorf("pages: %d, want 21", pages)
		}
		wantBody(t, "last page", r, "第 1001–1001 条 / 共 1001 条", `id="discrepancy-`+strconv.Itoa(newest)+`"`, "第一页")

		// Resolved from its page, the newest is gone and the page is shown again.
		m := regexp.MustCompile(`action="(/records/discrepancies/` + strconv.Itoa(newest) + `/resolve[^"]*)"`).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no resolve form on the last page:\n%s", r.Body)
		}
		action := html.UnescapeString(m[1])
		if !strings.Contains(action, "?after=") {
			t.Errorf("resolve form %q does not come back to its page", action)
		}
		r = police.post(action, url.Values{"csrf_token": {ptok}, "note": {"以户籍登记为准"}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/records/discrepancies?after=") ||
			!strings.HasSuffix(r.Location, "&msg=resolved&"+checking) {
			t.Fatalf("resolve: %d to %q\n%s", r.Status, r.Location, r.Body)
		}
		r = police.get(r.Location)
		wantBody(t, "after resolve", r, "差异已处理", "共 1000 条", "本页没有差异")
		wantBody(t, "awaiting list", police.get("/records/discrepancies?status=awaiting_correction&"+checking), "第 1–1 条 / 共 1 条",
			`id="discrepancy-`+strconv.Itoa(newest)+`"`, "待更正")
	})
}

// personResource is a yearly, unconditionally shared resource of persons
// in subcategory 01/sub of the department's catalog, with items.
func personResource(name, abstract, sub, subName string, items ...catalog.Item) catalog.Resource {
	return catalog.Resource{Name: name, Abstract: abstract, Format: "database", ShareType: catalog.Unconditional,
		ShareScope: "全区政务部门", Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: "01",
			CategoryName: "部门", SubcategoryCode: sub, SubcategoryName: subName},
		ShareMethods: []catalog.ShareMethod{"query"}, OpenAttribute: catalog.NotOpen, UpdateFrequency: "yearly",
		SecurityLevel: 1, NetworkZone: "egov_extranet", Domain: "18", SubjectKind: catalog.Person, Items: items}
}

// TestRecordsPaging: the aggregation page lists the published entries 50
// at a time by name, with 下一页 and 第一页 and the number of all, every
// entry on one page (it stopped at 10,000, on one page); a search narrows
// it. The entry fields of the upload and lookup forms take a resource code
// or a whole name, with suggestions as the user types, instead of a select
// of every entry.
func TestRecordsPaging(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		idItem := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002", idItem, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		b := publish(t, f, "市场监管局", "个体工商户经营者信息", "02", "001", idItem, catalog.Item{Name: "字号名称", Type: "C", Length: 100})
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 120 {
				r := personResource(fmt.Sprintf("批量资源%03d", i), "分页测试用的数据资源", "003", "批量", idItem)
				if _, err := catalog.PublishGenerated(ctx, tx, f.depts["公安分局"].ID, r, f.clock.Now().Add(-time.Hour)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		code := func(id int64) string {
			var c string
			if err := db.Read().QueryRowContext(ctx, `SELECT code FROM catalog_entries WHERE id = $1`, id).Scan(&c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		codeA, codeB := code(a), code(b)
		rowRE := regexp.MustCompile(`<tr id="entry-(\d+)">`)

		police := f.client(t)
		ptok := police.login("police.admin")
		r := police.get("/records")
		wantStatus(t, "GET /records", r, http.StatusOK)
		wantBody(t, "GET /records", r, `<span class="count" id="entries-total">121</span>`, `id="entries-q"`)
		var seen []string
		for i, want := range []int{50, 50, 21} {
			rows := matches(rowRE, r.Body)
			if len(rows) != want {
				t.Fatalf("page %d: %d entries, want %d", i+1, len(rows), want)
			}
			for _, id := range rows {
				if slices.Contains(seen, id) || id == strconv.FormatInt(b, 10) {
					t.Errorf("page %d: entry %s shown twice or another department's", i+1, id)
				}
			}
			seen = append(seen, rows...)
			if i > 0 && !strings.Contains(r.Body, `<a href="/records#entries" class="btn btn-light">第一页</a>`) {
				t.Errorf("page %d: no first-page link", i+1)
			}
			next := link(r, "next-page")
			if i == 2 {
				if next != "" {
					t.Errorf("last page: next link %q", next)
				}
				break
			}
			if next == "" {
				t.Fatalf("page %d: no next link", i+1)
			}
			r = police.get(next)
			wantStatus(t, "GET "+next, r, http.StatusOK)
		}
		if !slices.Contains(seen, strconv.FormatInt(a, 10)) {
			t.Errorf("居住登记信息 (%d) on no page", a)
		}
		wantStatus(t, "bad cursor", police.get("/records?cursor=xyz"), http.StatusBadRequest)

		// Upload by resource code and by whole name; another department's
		// entry is refused as before.
		p1, p2 := recordstest.CitizenID(21), recordstest.CitizenID(22)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		line := func(p string) []byte {
			return []byte(`{"op":"add","subject_id":"` + p + `","produced_at":"` + produced + `","values":{"姓名":"张三"}}` + "\n")
		}
		r = police.upload("/records/upload", ptok, "a.jsonl", line(p1), "entry", codeA)
		wantStatus(t, "upload by code", r, http.StatusOK)
		wantBody(t, "upload by code", r, "已导入 1 条操作")
		r = police.upload("/records/upload", ptok, "b.jsonl", line(p2), "entry", "居住登记信息")
		wantStatus(t, "upload by name", r, http.StatusOK)
		wantBody(t, "upload by name", r, "已导入 1 条操作")
		r = police.upload("/records/upload", ptok, "c.jsonl", line(p2), "entry", "批量资源")
		wantStatus(t, "upload by a part of a name", r, http.StatusUnprocessableEntity)
		wantBody(t, "upload by a part of a name", r, "没有资源代码或名称为“批量资源”的已发布数据资源", `value="批量资源"`)
		r = police.upload("/records/upload", ptok, "d.jsonl", line(p2), "entry", codeB)
		wantStatus(t, "upload to another department's entry", r, http.StatusForbidden)

		// The search finds it, with its data.
		r = police.get("/records?q=" + url.QueryEscape("居住登记"))
		wantStatus(t, "search", r, http.StatusOK)
		if rows := matches(rowRE, r.Body); !slices.Equal(rows, []string{strconv.FormatInt(a, 10)}) {
			t.Errorf("search 居住登记: entries %v, want [%d]", rows, a)
		}
		wantBody(t, "search", r, `id="entries-total">1</span>`, `value="居住登记"`, `id="entries-clear"`, `<span class="tag tag-ok">正常</span>`)
		wantNoBody(t, "search", r, `id="next-page"`)

		// Suggestions: of the department's entries for an upload, at most 20.
		r = police.get("/records/entries?upload=1&entry="+url.QueryEscape("批量资源"), "HX-Request", "true")
		wantStatus(t, "suggestions", r, http.StatusOK)
		if n := strings.Count(r.Body, "<option "); n != 20 || strings.Contains(r.Body, "<html") {
			t.Errorf("suggestions: %d options, want 20 alone:\n%s", n, r.Body)
		}
		r = police.get("/records/entries?upload=1&entry="+url.QueryEscape("个体工商户"), "HX-Request", "true")
		wantNoBody(t, "another department's entry suggested", r, codeB)

		// The operator: every department's entries, and the lookup by code.
		op := f.loggedIn(t, "operator")
		wantBody(t, "operator's /records", op.get("/records"), `id="entries-total">122</span>`)
		r = op.get("/records/entries?entry="+url.QueryEscape("个体工商户"), "HX-Request", "true")
		wantBody(t, "operator's suggestions", r, `<option value="`+codeB+`">个体工商户经营者信息 · `)
		r = op.get("/records/lookup?entry=" + url.QueryEscape(codeA) + "&subject=" + p1 + "&purpose=" + url.QueryEscape("核查"))
		if want := fmt.Sprintf("/records/entries/%d/subjects/%s?purpose=%s", a, p1, url.QueryEscape("核查")); r.Status != http.StatusSeeOther || r.Location != want {
			t.Errorf("lookup by code: %d to %q, want %s", r.Status, r.Location, want)
		}

		// A whole name is found however many entries the search ranks
		// before it (their abstracts name it), and one that two
		// departments' entries share is refused with both codes.
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 25 {
				r := personResource(fmt.Sprintf("A资源%03d", i), "引用居住登记信息的数据资源", "004", "引用", idItem)
				if _, err := catalog.PublishGenerated(ctx, tx, f.depts["公安分局"].ID, r, f.clock.Now().Add(-time.Hour)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		byName := "/records/lookup?entry=" + url.QueryEscape("居住登记信息") + "&subject=" + p1 + "&purpose=" + url.QueryEscape("核查")
		r = op.get(byName)
		if want := fmt.Sprintf("/records/entries/%d/subjects/%s?purpose=%s", a, p1, url.QueryEscape("核查")); r.Status != http.StatusSeeOther || r.Location != want {
			t.Errorf("lookup by name behind 25 entries naming it: %d to %q, want %s", r.Status, r.Location, want)
		}
		twin := publish(t, f, "市场监管局", "居住登记信息", "02", "002", idItem, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		r = op.get(byName)
		wantStatus(t, "lookup by a shared name", r, http.StatusBadRequest)
		wantBody(t, "lookup by a shared name", r, "不止一个", codeA, code(twin))
		r = police.upload("/records/upload", ptok, "e.jsonl", line(recordstest.CitizenID(23)), "entry", "居住登记信息")
		wantBody(t, "upload by a name another department shares", r, "已导入 1 条操作")
	})
}

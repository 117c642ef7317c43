package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// checking is the purpose of the tests' reads of discrepancies, as a
// query parameter.
var checking = "purpose=" + url.QueryEscape("核查")

// TestDiscrepanciesPurpose: the console's list of discrepancies shows
// citizens' values only with a purpose, as the record lookup does. Without
// one (the page as linked) the form asks for it, with the filter kept, and
// nothing is read or audited; a blank one, one too long or with control
// characters is refused beside its field (400), nothing read. With one,
// each difference's read row carries it, and the tabs, the pages, 清除筛选
// and the feedback and resolution forms keep it, as the redirect after
// them does. On both engines.
func TestDiscrepanciesPurpose(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := publishNamePair(t, f)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		var subjects []string
		for i := range 51 {
			subjects = append(subjects, recordstest.CitizenID(500+i))
		}
		for dept, c := range map[string]struct {
			entry int64
			value string
		}{"公安分局": {a, "张三"}, "市场监管局": {b, "张叁"}} {
			var sb strings.Builder
			for _, s := range subjects {
				sb.WriteString(`{"op":"add","subject_id":"` + s + `","produced_at":"` + produced + `","values":{"姓名":"` + c.value + `"}}` + "\n")
			}
			res, err := records.Ingest(t.Context(), db, recordstest.Pusher(f.depts[dept].ID), c.entry,
				records.JSONLines(strings.NewReader(sb.String())), f.clock.Now(), records.Options{})
			if err != nil || res.Applied != len(subjects) {
				t.Fatalf("push %s: %+v %v", dept, res, err)
			}
		}
		reads := func(purpose string) int {
			return count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.read' AND purpose = $1`, purpose)
		}
		allReads := func() int {
			return count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.read'`)
		}
		police := f.client(t)
		ptok := police.login("police.admin")

		// Without a purpose: the form asks for it, nothing personal shown
		// or audited, whatever the filter.
		for _, path := range []string{"/records/discrepancies", "/records/discrepancies?status=all&subject=" + subjects[0],
			"/records/discrepancies?entry=" + url.QueryEscape("居住登记信息")} {
			r := police.get(path)
			wantStatus(t, path, r, http.StatusOK)
			wantBody(t, path, r, `id="filter-purpose"`, `id="purpose-needed"`)
			wantNoBody(t, path, r, subjects[1], subjects[50], "张三", "张叁", `class="card discrepancy`, `id="result-count"`, "/feedback", "/resolve")
		}
		wantBody(t, "kept filter", police.get("/records/discrepancies?status=all&subject="+subjects[0]),
			`<input type="hidden" name="status" value="all">`, `value="`+subjects[0]+`"`)
		for _, c := range []struct{ query, want string }{
			{"purpose=", "请填写查询用途"}, {"purpose=%20%20", "请填写查询用途"}, {"purpose=%E3%85%A4", "请填写查询用途"}, // U+3164
			{"purpose=" + strings.Repeat("%E6%A0%B8", 201), "查询用途不能超过 200 个字"},
			{"purpose=%E6%A0%B8%0A%E9%AA%8C", "查询用途含有控制字符"},
		} {
			r := police.get("/records/discrepancies?" + c.query)
			wantStatus(t, c.query, r, http.StatusBadRequest)
			wantBody(t, c.query, r, `id="filter-purpose-error"`, c.want, `aria-invalid="true"`)
			wantNoBody(t, c.query, r, subjects[0], "张三", `class="card discrepancy`, `id="purpose-needed"`)
		}
		if n := allReads(); n != 0 {
			t.Fatalf("reads without a purpose left %d rows, want none", n)
		}

		// With a purpose: every row shown is audited with it, trimmed.
		const purpose = "核查多源差异"
		q := url.QueryEscape(purpose)
		r := police.get("/records/discrepancies?purpose=" + url.QueryEscape(" "+purpose+" "))
		wantStatus(t, "with a purpose", r, http.StatusOK)
		// 市场监管局's value, shared on conditions, is withheld from 公安分局.
		wantBody(t, "with a purpose", r, "第 1–50 条 / 共 51 条", "张三", "（无权查看）", `value="`+purpose+`"`, "（用途："+purpose+"）")
		if n, all := reads(purpose), allReads(); n != 50 || all != 50 {
			t.Errorf("read rows with the purpose: %d of %d, want 50 of 50", n, all)
		}
		// The tabs, the next page and 第一页 keep it.
		for _, tab := range []string{"awaiting_correction", "resolved", "all"} {
			wantBody(t, "tab "+tab, r, `href="/records/discrepancies?purpose=`+q+`&amp;status=`+tab+`"`)
		}
		next := link(r, "next-page")
		if next != "/records/discrepancies?after="+regexp.MustCompile(`after=(\d+)`).FindStringSubmatch(next)[1]+"&purpose="+q {
			t.Fatalf("next page %q drops the purpose", next)
		}
		r = police.get(next)
		wantBody(t, "page 2", r, "第 51–51 条 / 共 51 条", `<a href="/records/discrepancies?purpose=`+q+`" class="btn btn-light">第一页</a>`)
		if n := reads(purpose); n != 51 {
			t.Errorf("read rows with the purpose after page 2: %d, want 51", n)
		}
		// A filter keeps it, and 清除筛选 drops the filter only.
		r = police.get("/records/discrepancies?status=all&purpose=" + q + "&subject=" + subjects[0])
		wantBody(t, "filtered", r, "共 1 条", `href="/records/discrepancies?purpose=`+q+`&amp;status=all"`,
			`href="/records/discrepancies?purpose=`+q+`&amp;status=resolved&amp;subject=`+subjects[0]+`"`)
		if got := link(r, "filter-clear"); got != "/records/discrepancies?purpose="+q+"&status=all" {
			t.Errorf("清除筛选 links to %q, want the purpose and status kept", got)
		}

		// The forms carry it, and come back to the list with it.
		m := regexp.MustCompile(`action="(/records/discrepancies/(\d+)/feedback[^"]*)"`).FindStringSubmatch(r.Body)
		if m == nil || !strings.Contains(m[1], "purpose="+q) {
			t.Fatalf("feedback form without the purpose: %v", m)
		}
		r = police.post(strings.ReplaceAll(m[1], "&amp;", "&"), url.Values{"csrf_token": {ptok}, "feedback": {"经核实，本部门数据有误"}})
		if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "purpose="+q) {
			t.Fatalf("feedback: %d to %q, want back to the list with the purpose", r.Status, r.Location)
		}
		wantBody(t, "after feedback", police.get(r.Location), "反馈已提交", "经核实，本部门数据有误")
		// The catalog names no authoritative source: the operator resolves.
		op := f.client(t)
		optok := op.login("operator")
		resolve := "/records/discrepancies/" + m[2] + "/resolve?purpose=" + q + "&status=all&subject=" + subjects[0]
		wantBody(t, "resolve form", op.get("/records/discrepancies?status=all&purpose="+q+"&subject="+subjects[0]),
			`action="`+strings.ReplaceAll(resolve, "&", "&amp;")+`"`)
		r = op.post(resolve, url.Values{"csrf_token": {optok}, "authority": {strconv.FormatInt(a, 10)}, "note": {"以户籍为准"}})
		if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "purpose="+q) {
			t.Fatalf("resolve: %d to %q, want back to the list with the purpose", r.Status, r.Location)
		}
		if n, all := reads(purpose), allReads(); n != all {
			t.Errorf("read rows: %d with the purpose of %d, want all", n, all)
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.read' AND purpose = ''`); n != 0 {
			t.Errorf("%d read rows without a purpose, want none", n)
		}
	})
}

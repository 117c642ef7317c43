package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyFilter: the console's list of discrepancies is filtered
// by subject (a citizen ID validated: trimmed, or its 15 digits),
// by entry (code or name) and, for the operator, by department, as the
// API's is; the status tabs, the pages and the actions keep the filter,
// and a filter it cannot read shows the form again with the reason next
// to its field.
func TestDiscrepancyFilter(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		name := catalog.Item{Name: "姓名", Type: "C", Length: 50}
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002", id, name)
		b := publish(t, f, "市场监管局", "个体工商户经营者信息", "02", "001", id, name)
		c := publish(t, f, "数管局", "人口基础信息", "03", "001", id, name)
		var codeC string
		if err := db.Read().QueryRowContext(t.Context(), `SELECT code FROM catalog_entries WHERE id = $1`, c).Scan(&codeC); err != nil {
			t.Fatal(err)
		}
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		push := func(dept string, entry int64, value string, subjects ...string) {
			t.Helper()
			var sb strings.Builder
			for _, s := range subjects {
				sb.WriteString(`{"op":"add","subject_id":"` + s + `","produced_at":"` + produced + `","values":{"姓名":"` + value + `"}}` + "\n")
			}
			res, err := records.Ingest(t.Context(), db, recordstest.Pusher(f.depts[dept].ID), entry,
				records.JSONLines(strings.NewReader(sb.String())), f.clock.Now(), records.Options{})
			if err != nil || res.Applied != len(subjects) {
				t.Fatalf("push %s: %+v %v", dept, res, err)
			}
		}
		// 51 subjects differ between 公安分局 and 市场监管局, one more between
		// 公安分局 and 数管局.
		var ab []string
		for i := range 51 {
			ab = append(ab, recordstest.CitizenID(200+i))
		}
		other := recordstest.CitizenID(300)
		push("公安分局", a, "张三", append(ab, other)...)
		push("市场监管局", b, "张叁", ab...)
		push("数管局", c, "王伍", other)
		if n := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE status = 'open'`); n != 52 {
			t.Fatalf("open discrepancies: %d, want 52", n)
		}
		idRE := regexp.MustCompile(`<section class="card discrepancy[^"]*" id="discrepancy-(\d+)">`)
		subjectOf := func(s string) string {
			var id string
			if err := db.Read().QueryRowContext(t.Context(), `SELECT id FROM record_discrepancies WHERE subject_id = $1`, s).Scan(&id); err != nil {
				t.Fatal(err)
			}
			return id
		}

		op := f.client(t)
		optok := op.login("operator")
		wantBody(t, "unfiltered", op.get("/records/discrepancies?"+checking), "共 52 条", `id="filter-subject"`, `id="filter-entry"`, `id="filter-department"`)

		// By subject: the citizen ID with spaces around it, or its 15
		// digits, is the stored one.
		r := op.get("/records/discrepancies?" + checking + "&subject=" + url.QueryEscape(" "+other+" "))
		wantStatus(t, "by subject", r, http.StatusOK)
		wantBody(t, "by subject", r, "共 1 条", `value="`+other+`"`)
		if got := matches(idRE, r.Body); len(got) != 1 || got[0] != subjectOf(other) {
			t.Errorf("by subject: discrepancies %v, want [%s]", got, subjectOf(other))
		}
		r = op.get("/records/discrepancies?" + checking + "&subject=" + other[:6] + other[8:17])
		wantBody(t, "by a 15-digit citizen ID", r, "共 1 条")

		// A subject that is no identifier: the form again, the reason
		// beside it, nothing listed.
		bad := other[:17] + map[bool]string{true: "1", false: "2"}[other[17] != '1']
		r = op.get("/records/discrepancies?" + checking + "&status=all&subject=" + bad)
		wantStatus(t, "bad subject", r, http.StatusBadRequest)
		wantBody(t, "bad subject", r, `id="filter-error"`, "校验码", `value="`+bad+`"`, `name="subject" value="`+bad+`" maxlength="64" autocomplete="off" aria-invalid="true"`,
			`<input type="hidden" name="status" value="all">`)
		wantNoBody(t, "bad subject", r, `class="card discrepancy`, `id="no-discrepancies"`, "共 52 条")

		// By entry, its code or its name; either side of a difference.
		for _, e := range []string{codeC, "人口基础信息", strconv.FormatInt(c, 10)} {
			r = op.get("/records/discrepancies?" + checking + "&entry=" + url.QueryEscape(e))
			wantStatus(t, "by entry "+e, r, http.StatusOK)
			wantBody(t, "by entry "+e, r, "共 1 条", `value="`+e+`"`)
		}
		r = op.get("/records/discrepancies?" + checking + "&entry=" + url.QueryEscape("户口迁移"))
		wantStatus(t, "unknown entry", r, http.StatusBadRequest)
		wantBody(t, "unknown entry", r, "没有资源代码或名称为“户口迁移”的已发布数据资源", `value="户口迁移"`)

		// By department, for the operator: 51, paged with the filter.
		r = op.get("/records/discrepancies?" + checking + "&department=" + url.QueryEscape("市场监管局"))
		wantBody(t, "by department", r, "第 1–50 条 / 共 51 条")
		next := link(r, "next-page")
		if !strings.Contains(next, "department=") {
			t.Fatalf("next page %q drops the filter", next)
		}
		r = op.get(next)
		wantBody(t, "by department, page 2", r, "第 51–51 条 / 共 51 条", "第一页")
		wantBody(t, "first page keeps the filter", r, `<a href="/records/discrepancies?department=`+url.QueryEscape("市场监管局")+`&amp;`+checking+`" class="btn btn-light">第一页</a>`)
		wantBody(t, "unknown department", op.get("/records/discrepancies?"+checking+"&department="+url.QueryEscape("不存在的局")),
			"没有 ID、名称、简称或统一社会信用代码为“不存在的局”的部门")

		// The status tabs keep the filter.
		r = op.get("/records/discrepancies?" + checking + "&entry=" + url.QueryEscape(codeC))
		wantBody(t, "tabs", r, `href="/records/discrepancies?entry=`+url.QueryEscape(codeC)+`&amp;`+checking+`&amp;status=all"`)

		// An action comes back to the filtered list.
		did := subjectOf(other)
		m := regexp.MustCompile(`action="(/records/discrepancies/` + did + `/resolve[^"]*)"`).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no resolve form:\n%s", r.Body)
		}
		r = op.post(strings.ReplaceAll(m[1], "&amp;", "&"), url.Values{"csrf_token": {optok}, "authority": {strconv.FormatInt(a, 10)}, "note": {"以户籍为准"}})
		if r.Status != http.StatusSeeOther || !strings.Contains(r.Location, "entry="+url.QueryEscape(codeC)) {
			t.Fatalf("resolve: %d to %q", r.Status, r.Location)
		}
		wantBody(t, "after resolving", op.get(r.Location), "差异已处理", "没有符合条件的差异")

		// A department filters its own: no department field, and one in
		// the address is refused (unknown_parameter), not read.
		police := f.loggedIn(t, "police.admin")
		r = police.get("/records/discrepancies?" + checking + "&status=all&entry=" + url.QueryEscape("人口基础信息"))
		wantBody(t, "police by entry", r, "共 1 条")
		wantNoBody(t, "police", r, `id="filter-department"`)
		market := f.loggedIn(t, "market.admin")
		r = market.get("/records/discrepancies?" + checking + "&department=" + url.QueryEscape("数管局"))
		wantStatus(t, "market with a department", r, http.StatusBadRequest)
		wantBody(t, "market with a department", r, "本页不支持查询参数“department”")
	})
}

// TestDiscrepancyReadItems: the audit row of a difference read names each
// item once (two sources' 姓名 is 姓名, not 姓名,姓名), and the audit page
// shows a row's items each once, joined with 、, rows written before with
// an item twice too. On both engines.
func TestDiscrepancyReadItems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		name := catalog.Item{Name: "姓名", Type: "C", Length: 50}
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002", id, name)
		b := publish(t, f, "市场监管局", "个体工商户经营者信息", "02", "001", id, name)
		p1 := recordstest.CitizenID(400)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		for dept, entry := range map[string]int64{"公安分局": a, "市场监管局": b} {
			line := `{"op":"add","subject_id":"` + p1 + `","produced_at":"` + produced + `","values":{"姓名":"` + dept + `"}}` + "\n"
			res, err := records.Ingest(t.Context(), db, recordstest.Pusher(f.depts[dept].ID), entry,
				records.JSONLines(strings.NewReader(line)), f.clock.Now(), records.Options{})
			if err != nil || res.Applied != 1 {
				t.Fatalf("push %s: %+v %v", dept, res, err)
			}
		}
		op := f.loggedIn(t, "operator")
		wantBody(t, "discrepancies", op.get("/records/discrepancies?"+checking), "共 1 条")
		var fields string
		if err := db.Read().QueryRowContext(t.Context(), `SELECT fields FROM audit_log WHERE action = 'records.discrepancy.read'`).Scan(&fields); err != nil {
			t.Fatal(err)
		}
		if fields != "姓名" {
			t.Errorf("read row's fields %q, want 姓名", fields)
		}
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		err := db.Tx(t.Context(), func(tx *sqldb.Tx) error {
			return audit.Record(t.Context(), tx, audit.Event{Actor: by, Action: "records.discrepancy.read", ObjectType: "record_discrepancy",
				ObjectID: "1", SubjectID: p1, Fields: "姓名,姓名"}, f.clock.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		aud := f.loggedIn(t, "auditor")
		r := aud.get("/audit?action=records.discrepancy.read")
		wantAuditRows(t, "difference reads", r, 2, `<td class="small">姓名</td>`)
	})
}

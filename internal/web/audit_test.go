package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var auditRowRE = regexp.MustCompile(`(?s)<tr id="audit-\d+">(.*?)</tr>`)

// auditRows are the rows of an audit page's table.
func auditRows(r response) []string {
	var out []string
	for _, m := range auditRowRE.FindAllStringSubmatch(r.Body, -1) {
		out = append(out, m[1])
	}
	return out
}

// wantAuditRows wants the page to list n rows, each containing every one
// of subs.
func wantAuditRows(t *testing.T, what string, r response, n int, subs ...string) {
	t.Helper()
	wantStatus(t, what, r, http.StatusOK)
	rows := auditRows(r)
	if len(rows) != n {
		t.Errorf("%s: %d rows, want %d\n%s", what, len(rows), n, strings.Join(rows, "\n"))
	}
	for _, row := range rows {
		for _, s := range subs {
			if !strings.Contains(row, s) {
				t.Errorf("%s: a row lacks %q:\n%s", what, s, row)
			}
		}
	}
}

// TestAuditFilters: an auditor finds in the console who read whose data,
// when and why: reads are labelled in Chinese with their data items and
// purpose, the action filter offers every action by area and each area as
// a whole, and the page filters by subject, actor, department and dates,
// keeping the filter from page to page.
func TestAuditFilters(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		e := publish(t, f, "公安分局", "居住登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
			catalog.Item{Name: "姓名", Type: "C", Length: 50}, catalog.Item{Name: "居住地址", Type: "C", Length: 200})
		es, p1 := strconv.FormatInt(e, 10), recordstest.CitizenID(41)
		f.client(t).post("/login", url.Values{"username": {"operator"}, "password": {"not-the-password"}})

		// 10-01: 公安分局 pushes and reads p1's record with a purpose.
		police := f.client(t)
		tok := police.login("police.admin")
		line := `{"op":"add","subject_id":"` + p1 + `","produced_at":"` + f.clock.Now().Add(-time.Hour).Format(time.RFC3339) +
			`","values":{"姓名":"张三","居住地址":"桂城街道1号"}}` + "\n"
		wantStatus(t, "upload", police.upload("/records/upload", tok, "p1.jsonl", []byte(line), "entry", es), http.StatusOK)
		wantStatus(t, "police read", police.get("/records/entries/"+es+"/subjects/"+p1+"?purpose="+url.QueryEscape("核查户籍")), http.StatusOK)
		// 10-03: 市场监管局 tries to read it and is refused.
		f.clock.Add(48 * time.Hour)
		market := f.loggedIn(t, "market.admin")
		wantStatus(t, "market read", market.get("/records/entries/"+es+"/subjects/"+p1+"?purpose="+url.QueryEscape("登记核验")), http.StatusForbidden)

		aud := f.loggedIn(t, "auditor")
		r := aud.get("/audit")
		wantStatus(t, "GET /audit", r, http.StatusOK)
		wantBody(t, "GET /audit", r, `查询记录 <span class="muted mono small">records.read</span>`, "姓名、居住地址", "核查户籍", "登录与账号",
			`推送数据 <span class="muted mono small">records.batch</span>`)
		// Every area, each as a whole and action by action.
		for _, g := range []string{"登录与账号", "部门与应用", "目录", "数据读取", "数据推送", "比对与纠错"} {
			wantBody(t, "action filter", r, `<optgroup label="`+g+`">`)
		}
		wantBody(t, "action filter", r, `<option value="group:read">数据读取（全部）</option>`,
			`<option value="records.history">查询记录历史（records.history）</option>`,
			`<option value="records.feed">读取变更流（records.feed）</option>`,
			`<option value="catalog.approve">审核通过（catalog.approve）</option>`,
			`<option value="records.discrepancy.resolve">处理差异（records.discrepancy.resolve）</option>`)

		// Reads of any kind, and nothing else.
		r = aud.get("/audit?action=group:read")
		wantAuditRows(t, "reads", r, 3, "查询记录", p1)
		wantBody(t, "reads", r, `<option value="group:read" selected>`)
		// Whose data: the read (its record and its history) and the refused
		// attempt.
		r = aud.get("/audit?subject=" + p1)
		wantAuditRows(t, "by subject", r, 3, p1)
		wantBody(t, "by subject", r, "核查户籍", "登记核验", "拒绝")
		// Who: an account's rows, its failed logins too.
		wantAuditRows(t, "by actor", aud.get("/audit?actor=police.admin"), 4, "police.admin")
		wantAuditRows(t, "by actor kind", aud.get("/audit?actor_kind=anonymous"), 1, "operator", "登录", "拒绝")
		// Which department, by id, short name, name or credit code.
		for _, d := range []string{strconv.FormatInt(f.depts["市场监管局"].ID, 10), "市场监管局", "佛山市南海区市场监督管理局", f.depts["市场监管局"].USCC} {
			wantAuditRows(t, "by department "+d, aud.get("/audit?department="+url.QueryEscape(d)), 2, "market.admin", "佛山市南海区市场监督管理局")
		}
		// When, in Beijing time, the last day included.
		wantAuditRows(t, "since 10-03", aud.get("/audit?action=group:read&since=2026-10-03"), 1, "market.admin", "登记核验")
		wantAuditRows(t, "until 10-01", aud.get("/audit?action=group:read&until=2026-10-01"), 2, "police.admin", "核查户籍")
		wantAuditRows(t, "10-02 alone", aud.get("/audit?since=2026-10-02&until=2026-10-02"), 0)
		// A prefix typed into the URL stays selected.
		r = aud.get("/audit?action=records.")
		wantAuditRows(t, "prefix", r, 4, "records.")
		wantBody(t, "prefix", r, `<option value="records." selected>以 records. 开头的操作</option>`)

		// A filter the page cannot read: the form again, with the reason, and no rows.
		for _, c := range []struct{ query, field, msg string }{
			{"department=" + url.QueryEscape("不存在的局"), "department", "没有 ID、名称、简称或统一社会信用代码为“不存在的局”的部门"},
			{"since=2026-10-03&until=2026-10-01", "until", "截止日期不能早于起始日期"},
			{"since=10%2F3", "since", "起始日期应为年-月-日"},
			{"actor_kind=robot", "actor_kind", "操作者类型应为"},
			{"action=group:nothing", "action", "没有这一类操作"},
		} {
			r = aud.get("/audit?" + c.query)
			wantStatus(t, c.query, r, http.StatusBadRequest)
			wantBody(t, c.query, r, `id="filter-error">`+html.EscapeString(c.msg), `id="audit-filter"`)
			if !regexp.MustCompile(`name="` + c.field + `"[^>]*aria-invalid="true"`).MatchString(r.Body) {
				t.Errorf("%s: %s not marked invalid", c.query, c.field)
			}
			if n := len(auditRows(r)); n != 0 {
				t.Errorf("%s: %d rows, want none", c.query, n)
			}
		}
		wantBody(t, "a department not found", aud.get("/audit?department="+url.QueryEscape("不存在的局")), `value="不存在的局"`)

		// Paging keeps the filter.
		ctx := context.Background()
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := range 60 {
				if err := audit.Record(ctx, tx, audit.Event{Actor: audit.Actor{Kind: audit.ActorApp, ID: "k1", Name: "一窗受理系统"},
					Action: "records.feed", ObjectType: "catalog_entry", ObjectID: es, SubjectID: recordstest.CitizenID(100 + i),
					Fields: "姓名"}, f.clock.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		r = aud.get("/audit?action=group:read&actor=" + url.QueryEscape("一窗受理系统"))
		wantAuditRows(t, "first page", r, 50, "读取变更流", "一窗受理系统")
		next := regexp.MustCompile(`href="([^"]+)" class="btn" id="next-page"`).FindStringSubmatch(r.Body)
		if next == nil {
			t.Fatal("no next page link")
		}
		link := html.UnescapeString(next[1])
		r = aud.get(link)
		wantAuditRows(t, fmt.Sprintf("second page (%s)", link), r, 10, "读取变更流", "一窗受理系统")
		first := regexp.MustCompile(`href="([^"]+)" class="btn btn-light">第一页`).FindStringSubmatch(r.Body)
		if first == nil || html.UnescapeString(first[1]) != "/audit?action=group%3Aread&actor=%E4%B8%80%E7%AA%97%E5%8F%97%E7%90%86%E7%B3%BB%E7%BB%9F" {
			t.Errorf("first page link: %q", first)
		}
	})
}

// TestAuditObjects: the 对象 cell names a catalog entry by its code and
// name and an account by its username, its type:id kept below; an entry or
// account no longer there, and a login refused for a username typed that
// reads as an account's id, show the kind alone; every kind of object is
// named in Chinese (the log itself, a batch). On both engines.
func TestAuditObjects(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		market := f.users["market.admin"]
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, ev := range []audit.Event{
				{Actor: by, Action: "catalog.update", ObjectType: "catalog_entry", ObjectID: strconv.FormatInt(people, 10)},
				{Actor: by, Action: "records.batch", ObjectType: "catalog_entry", ObjectID: strconv.FormatInt(people, 10), Detail: `{"applied":3}`},
				{Actor: by, Action: "catalog.update", ObjectType: "catalog_entry", ObjectID: "999999"},
				{Actor: by, Action: "user.disable", ObjectType: "user", ObjectID: strconv.FormatInt(market.ID, 10)},
				{Actor: by, Action: "records.batch.read", ObjectType: "record_batch", ObjectID: "7", Fields: "姓名"},
				{Actor: audit.Actor{Kind: audit.ActorAnonymous, Name: "00" + strconv.FormatInt(market.ID, 10)}, Action: "auth.login",
					ObjectType: "user", ObjectID: "00" + strconv.FormatInt(market.ID, 10), Outcome: audit.Denied},
			} {
				if err := audit.Record(ctx, tx, ev, f.clock.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c := f.loggedIn(t, "auditor")
		entry := "数据资源：101001/000001 户籍人口信息"
		wantAuditRows(t, "catalog entry", c.get("/audit?action=records.batch"), 1, entry, "catalog_entry:"+strconv.FormatInt(people, 10),
			`<dt>已导入 <span class="muted mono">applied</span></dt><dd>3</dd>`)
		r := c.get("/audit?action=catalog.update&actor=test")
		wantAuditRows(t, "entries updated", r, 2, `<td class="small">数据资源`)
		if rows := auditRows(r); len(rows) == 2 && (strings.Contains(rows[0], "：") || !strings.Contains(rows[1], entry)) {
			t.Errorf("an entry not there shows a name, or one there none:\n%s", strings.Join(rows, "\n"))
		}
		wantAuditRows(t, "account", c.get("/audit?action=user.disable"), 1, "账号：market.admin",
			"user:"+strconv.FormatInt(market.ID, 10))
		r = c.get("/audit?action=auth.login&outcome=denied")
		wantAuditRows(t, "refused login", r, 1, "user:00"+strconv.FormatInt(market.ID, 10))
		wantNoBody(t, "refused login", r, "账号：")
		// The reads of the log itself, and a batch's warnings read.
		wantAuditRows(t, "log reads", c.get("/audit?action=audit.read"), 4, `<td class="small">审计日志<div`, ">audit_log</div>")
		wantAuditRows(t, "batch read", c.get("/audit?action=records.batch.read"), 1, `<td class="small">归集批次<div`, ">record_batch:7</div>")
	})
}

// TestAuditDetails: the audit page shows what a row's detail holds, in the
// order it was written, under Chinese labels where the key has one: a
// department's rename names the old and new name, a refusal its reason,
// and a long value is cut at maxDetailValue characters. On both engines.
func TestAuditDetails(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		police := f.depts["公安分局"]
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := org.UpdateDepartment(ctx, tx, by, police.ID, org.DepartmentChange{Name: "南海区公安分局（新）", USCC: police.USCC}, f.clock.Now())
			if err != nil {
				return err
			}
			return audit.Record(ctx, tx, audit.Event{Actor: by, Action: "catalog.update", ObjectType: "catalog_entry", ObjectID: "1",
				Outcome: audit.Denied, Detail: audit.Detail("reason", strings.Repeat("长", 300), "count", "3")}, f.clock.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
		c := f.loggedIn(t, "auditor")
		r := c.get("/audit?action=department.update")
		wantAuditRows(t, "rename", r, 1, "<dt>名称 <span class=\"muted mono\">name</span></dt><dd>南海区公安分局（新）</dd>"+
			"<dt>原名称 <span class=\"muted mono\">old_name</span></dt><dd>"+police.Name+"</dd>")
		r = c.get("/audit?action=catalog.update&outcome=denied")
		wantAuditRows(t, "refusal", r, 1, "<dt>原因 <span class=\"muted mono\">reason</span></dt><dd>"+strings.Repeat("长", 200)+"…</dd>",
			"<dt>count</dt><dd>3</dd>")
		wantNoBody(t, "refusal", r, strings.Repeat("长", 201))
	})
}

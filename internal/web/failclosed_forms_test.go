package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// failClosedTables are the tables a console form writes, compared row for
// row (snapshot) before and after the forms refused with the audit log down.
var failClosedTables = []string{"audit_log", "record_versions", "record_batches", "record_discrepancies",
	"record_discrepancy_feedback", "catalog_entries", "catalog_entry_versions", "catalog_source_conflicts",
	"catalog_import_mappings", "catalog_security_levels", "departments", "users", "apps", "app_keys"}

// snapshot returns every row of failClosedTables, in order, as text.
func snapshot(t *testing.T, db *sqldb.DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range failClosedTables {
		rows := sqldbtest.TableRows(t, db.Read(), table)
		for _, r := range rows {
			fmt.Fprintln(&b, table, r)
		}
		fmt.Fprintln(&b, table, len(rows), "rows")
	}
	return b.String()
}

// lineDiff returns the lines of before missing from after (-) and those of
// after missing from before (+).
func lineDiff(before, after string) string {
	b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
	var out strings.Builder
	for _, l := range b {
		if !slices.Contains(a, l) {
			out.WriteString("- " + l + "\n")
		}
	}
	for _, l := range a {
		if !slices.Contains(b, l) {
			out.WriteString("+ " + l + "\n")
		}
	}
	return out.String()
}

// TestFailClosedForms: every form of the console is sent while the audit
// log cannot be written. A form whose action leaves an audit row is
// refused with 503 and the audit log's message, on the error page or on
// the form itself, and changes nothing; a form that leaves none (reading a
// file's headers) answers as it does with the log working. Once the log is
// back, the same forms succeed and the audited ones leave their row. The
// forms are kept against the POST patterns of Register: a new form without
// a case fails.
func TestFailClosedForms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		name := catalog.Item{Name: "姓名", Type: "C", Length: 50}
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002", id, name)
		b := publish(t, f, "市场监管局", "个体工商户经营者信息", "02", "001", id, name)
		retired := publish(t, f, "公安分局", "待注销信息", "01", "003", id, catalog.Item{Name: "注销事由", Type: "C", Length: 50})
		married := publish(t, f, "公安分局", "婚姻登记信息", "01", "004", id, catalog.Item{Name: "婚姻状况", Type: "C", Length: 10})
		revised := publish(t, f, "公安分局", "待放弃修订信息", "01", "005", id, catalog.Item{Name: "修订事由", Type: "C", Length: 50})
		reviseEntry(t, f, "公安分局", revised)
		// Entries whose retirement 公安分局 asked for: approved, rejected,
		// withdrawn.
		var retiring [3]int64
		for i, n := range []string{"待审注销信息甲", "待审注销信息乙", "待审注销信息丙"} {
			retiring[i] = publish(t, f, "公安分局", n, "01", "00"+itoa(int64(6+i)), id, catalog.Item{Name: "事由" + n, Type: "C", Length: 50})
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := catalog.Retire(ctx, tx, catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test",
					DepartmentID: f.depts["公安分局"].ID}, Editor: true}, retiring[i], "停止采集", f.clock.Now())
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}

		police, market, op := f.client(t), f.client(t), f.client(t)
		ptok, mtok, otok := police.login("police.admin"), market.login("market.admin"), op.login("operator")

		// Records: a subject in both entries with different names.
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		line := func(n int, value string) []byte {
			return []byte(`{"op":"add","subject_id":"` + recordstest.CitizenID(n) + `","produced_at":"` + produced +
				`","values":{"姓名":"` + value + `"}}` + "\n")
		}
		wantStatus(t, "police upload", police.upload("/records/upload", ptok, "p.jsonl", line(1, "张三"), "entry", itoa(a)), http.StatusOK)
		wantStatus(t, "market upload", market.upload("/records/upload", mtok, "m.jsonl", line(1, "张叁"), "entry", itoa(b)), http.StatusOK)
		if count(t, db, `SELECT count(*) FROM record_discrepancies`) != 1 {
			t.Fatal("no discrepancy")
		}
		disc := "/records/discrepancies/" + strconv.Itoa(count(t, db, `SELECT max(id) FROM record_discrepancies`))

		// Catalog: drafts, submitted entries, a conflict, a saved mapping.
		draft := func(c *client, tok, name, item string) string {
			t.Helper()
			return createEntry(t, c, entryForm(tok, name, "公民身份号码", "C", "18", "yes", item, "C", "20", "no"))
		}
		submitted := func(name, item string) string {
			t.Helper()
			path := draft(police, ptok, name, item)
			postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
			return path
		}
		edited, toSubmit := draft(police, ptok, "待修改信息", "修改项"), draft(police, ptok, "待提交信息", "提交项")
		toDelete := draft(police, ptok, "待删除信息", "删除项")
		toApprove, toReject := submitted("待通过信息", "通过项"), submitted("待退回信息", "退回项")
		conflicting := draft(market, mtok, "婚姻状况核验信息", "婚姻状况")
		postOK(t, market, conflicting+"/submit", url.Values{"csrf_token": {mtok}}, conflicting+"?msg=submitted")
		m := conflictFormRE.FindStringSubmatch(op.get(conflicting).Body)
		if m == nil {
			t.Fatal("no conflict form on the entry page")
		}
		conflict := m[1]
		postOK(t, police, "/catalog/import-mappings", mappingForm(ptok, "开放平台", [][3]string{{"资源中文名", "name", ""},
			{"简介", "abstract", ""}, {"字段", "items", ""}, {"网址", "", ""}}, openDataDefaults),
			"/catalog/import-mappings?saved="+url.QueryEscape("开放平台"))

		// Accounts and apps.
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
		users := map[string]int64{}
		var apps []org.App
		var depts []int64 // one to disable, one disabled to enable
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, name := range []string{"fc.disable", "fc.enable", "fc.reset", "fc.self", "fc.login", "fc.logout"} {
				u, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: name, DisplayName: name,
					DepartmentID: f.depts["公安分局"].ID, Role: org.Reviewer, Password: password}, f.clock.Now())
				if err != nil {
					return err
				}
				users[name] = u.ID
			}
			if _, err := org.SetDisabledIf(ctx, tx, by, users["fc.enable"], true, nil, f.clock.Now()); err != nil {
				return err
			}
			for i, name := range []string{"南海区机构改革撤销局", "南海区机构改革恢复局"} {
				d := org.Department{Name: name, USCC: uscc(t, "MB2F000"+strconv.Itoa(i+1)), RegionCode: "440605"}
				if err := org.CreateDepartment(ctx, tx, by, &d, f.clock.Now()); err != nil {
					return err
				}
				depts = append(depts, d.ID)
			}
			if _, err := org.SetDepartmentDisabled(ctx, tx, by, depts[1], true, nil, f.clock.Now()); err != nil {
				return err
			}
			for _, name := range []string{"轮换", "注销", "吊销密钥"} {
				app, _, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: name, DepartmentID: f.depts["公安分局"].ID,
					Scopes: []string{"catalog.read"}}, f.clock.Now())
				if err != nil {
					return err
				}
				apps = append(apps, app)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		self, leaving := f.client(t), f.client(t)
		stok, ltok := self.login("fc.self"), leaving.login("fc.logout")
		user := func(name string) string { return "/org/users/" + itoa(users[name]) }
		const newPassword = "Hutong-Changed-2026"

		type form struct {
			pattern string
			send    func() response
			audited bool
			status  int // the answer with the audit log working
		}
		post := func(c *client, path string, v url.Values) func() response {
			return func() response { return c.post(path, v) }
		}
		upload := func(c *client, path, tok, name string, data []byte, fields ...string) func() response {
			return func() response { return c.upload(path, tok, name, data, fields...) }
		}
		forms := []form{
			{"/login", post(f.client(t), "/login", url.Values{"username": {"fc.login"}, "password": {password}}), true, http.StatusSeeOther},
			{"/logout", post(leaving, "/logout", url.Values{"csrf_token": {ltok}}), true, http.StatusSeeOther},
			{"/org/users/new", post(op, "/org/users/new", url.Values{"csrf_token": {otok}, "username": {"fc.new"}, "display_name": {"新账号"},
				"department": {"公安分局"}, "role": {"reviewer"}, "password": {password}, "password_confirm": {password}}), true, http.StatusSeeOther},
			{"/org/departments/new", post(op, "/org/departments/new", url.Values{"csrf_token": {otok}, "name": {"南海区教育局"},
				"uscc": {uscc(t, "MB2E0001")}, "region": {"440605"}}), true, http.StatusSeeOther},
			{"/org/departments/{id}/edit", post(op, "/org/departments/"+itoa(f.depts["市场监管局"].ID)+"/edit", url.Values{"csrf_token": {otok},
				"name": {"佛山市南海区市场监督管理局（更名）"}, "uscc": {f.depts["市场监管局"].USCC}}), true, http.StatusSeeOther},
			{"/org/departments/{id}/disable", post(op, "/org/departments/"+itoa(depts[0])+"/disable", url.Values{"csrf_token": {otok}, "confirm": {"yes"}}), true, http.StatusSeeOther},
			{"/org/departments/{id}/enable", post(op, "/org/departments/"+itoa(depts[1])+"/enable", url.Values{"csrf_token": {otok}}), true, http.StatusSeeOther},
			{"/org/users/{id}/disable", post(police, user("fc.disable")+"/disable", url.Values{"csrf_token": {ptok}, "confirm": {"yes"}}), true, http.StatusSeeOther},
			{"/org/users/{id}/enable", post(police, user("fc.enable")+"/enable", url.Values{"csrf_token": {ptok}}), true, http.StatusSeeOther},
			{"/org/users/{id}/edit", post(police, user("fc.reset")+"/edit", url.Values{"csrf_token": {ptok}, "display_name": {"fc.reset（改）"},
				"role": {"reviewer"}}), true, http.StatusSeeOther},
			{"/org/users/{id}/password", post(police, user("fc.reset")+"/password", url.Values{"csrf_token": {ptok},
				"password": {newPassword}, "password_confirm": {newPassword}}), true, http.StatusSeeOther},
			{"/account/password", post(self, "/account/password", url.Values{"csrf_token": {stok}, "current_password": {password},
				"password": {newPassword}, "password_confirm": {newPassword}}), true, http.StatusSeeOther},
			{"/apps", post(op, "/apps", url.Values{"csrf_token": {otok}, "name": {"新系统"}, "scopes": {"catalog.read"},
				"department": {"公安分局"}}), true, http.StatusCreated},
			{"/apps/{id}/rotate", post(op, "/apps/"+itoa(apps[0].ID)+"/rotate", url.Values{"csrf_token": {otok}, "grace_hours": {"24"}}), true, http.StatusCreated},
			{"/apps/{id}/revoke", post(op, "/apps/"+itoa(apps[1].ID)+"/revoke", url.Values{"csrf_token": {otok}, "confirm": {"yes"}}), true, http.StatusSeeOther},
			{"/apps/{id}/keys/{key}/revoke", post(op, "/apps/"+itoa(apps[2].ID)+"/keys/"+apps[2].Keys[0].ID+"/revoke",
				url.Values{"csrf_token": {otok}, "confirm": {"yes"}}), true, http.StatusSeeOther},
			{"/catalog/new", post(police, "/catalog/new", entryForm(ptok, "新编信息", "公民身份号码", "C", "18", "yes", "新编项", "C", "20", "no")), true, http.StatusSeeOther},
			{"/catalog/import", upload(police, "/catalog/import", ptok, "open.csv", []byte(foreignCSV), "mapping", "开放平台"), true, http.StatusOK},
			{"/catalog/import-mappings", post(police, "/catalog/import-mappings", mappingForm(ptok, "开放目录",
				[][3]string{{"目录名称", "name", ""}}, map[string]string{"network_zone": "政务外网"})), true, http.StatusSeeOther},
			{"/catalog/import-mappings/new", upload(police, "/catalog/import-mappings/new", ptok, "open.csv", []byte(foreignCSV)), false, http.StatusOK},
			{"/catalog/security-levels", post(op, "/catalog/security-levels", url.Values{"csrf_token": {otok}, "level": {"3"},
				"name": {"较敏感"}, "description": {"涉及个人隐私的数据"}}), true, http.StatusSeeOther},
			{"/catalog/{id}/edit", post(police, edited+"/edit", entryForm(ptok, "待修改信息", "公民身份号码", "C", "18", "yes", "修改项", "C", "40", "no")), true, http.StatusSeeOther},
			{"/catalog/{id}/submit", post(police, toSubmit+"/submit", url.Values{"csrf_token": {ptok}}), true, http.StatusSeeOther},
			{"/catalog/{id}/approve", post(op, toApprove+"/approve", url.Values{"csrf_token": {otok}}), true, http.StatusSeeOther},
			{"/catalog/{id}/reject", post(op, toReject+"/reject", url.Values{"csrf_token": {otok}, "reason": {"摘要过于简单"}}), true, http.StatusSeeOther},
			{"/catalog/{id}/retire", post(police, "/catalog/"+itoa(retired)+"/retire", url.Values{"csrf_token": {ptok},
				"reason": {"停止采集"}, "confirm": {"yes"}}), true, http.StatusSeeOther},
			{"/catalog/{id}/retire/approve", post(op, "/catalog/"+itoa(retiring[0])+"/retire/approve", url.Values{"csrf_token": {otok}}), true, http.StatusSeeOther},
			{"/catalog/{id}/retire/reject", post(op, "/catalog/"+itoa(retiring[1])+"/retire/reject", url.Values{"csrf_token": {otok},
				"reason": {"仍有部门在用"}}), true, http.StatusSeeOther},
			{"/catalog/{id}/retire/withdraw", post(police, "/catalog/"+itoa(retiring[2])+"/retire/withdraw", url.Values{"csrf_token": {ptok}}), true, http.StatusSeeOther},
			{"/catalog/{id}/delete", post(police, toDelete+"/delete", url.Values{"csrf_token": {ptok}, "confirm": {"yes"}}), true, http.StatusSeeOther},
			{"/catalog/{id}/revision/discard", post(police, "/catalog/"+itoa(revised)+"/revision/discard", url.Values{"csrf_token": {ptok},
				"confirm": {"yes"}}), true, http.StatusSeeOther},
			{"/catalog/{id}/conflicts/{conflict}", post(op, conflict, url.Values{"csrf_token": {otok},
				"authoritative_entry_id": {itoa(married)}}), true, http.StatusSeeOther},
			{"/records/upload", upload(police, "/records/upload", ptok, "more.jsonl", line(2, "李四"), "entry", itoa(a)), true, http.StatusOK},
			{"/records/discrepancies/{id}/feedback", post(market, disc+"/feedback", url.Values{"csrf_token": {mtok},
				"feedback": {"经核实，本局登记有误"}}), true, http.StatusSeeOther},
			{"/records/discrepancies/{id}/resolve", post(op, disc+"/resolve", url.Values{"csrf_token": {otok},
				"note": {"以户籍登记为准"}}), true, http.StatusSeeOther},
			// Last: an entry moves to another department, once confirmed.
			{"/org/departments/{id}/transfer", post(op, "/org/departments/"+itoa(f.depts["公安分局"].ID)+"/transfer", url.Values{"csrf_token": {otok},
				"to_department_id": {itoa(f.depts["市场监管局"].ID)}, "entry": {itoa(revised)}}), false, http.StatusOK},
			{"/org/departments/{id}/transfer", post(op, "/org/departments/"+itoa(f.depts["公安分局"].ID)+"/transfer", url.Values{"csrf_token": {otok},
				"to_department_id": {itoa(f.depts["市场监管局"].ID)}, "entry": {itoa(revised)}, "confirm": {"1"}}), true, http.StatusSeeOther},
		}
		covered := map[string]bool{}
		for _, c := range forms {
			covered[c.pattern] = true
		}
		for _, pat := range consolePatterns(t, "POST") {
			if !covered[pat] {
				t.Errorf("POST %s: no fail-closed case: add one to TestFailClosedForms, audited or not", pat)
			}
		}

		before := snapshot(t, db)
		unblock := sqldbtest.BlockAudit(t, db)
		for _, c := range forms {
			r := c.send()
			switch {
			case c.audited && (r.Status != http.StatusServiceUnavailable || !strings.Contains(r.Body, "审计日志暂时无法写入")):
				t.Errorf("POST %s with the audit log down: got %d, want 503 with the audit log's message\n%s", c.pattern, r.Status, r.Body)
			case !c.audited && r.Status != c.status:
				t.Errorf("POST %s with the audit log down: got %d, want %d (it writes no audit row)\n%s", c.pattern, r.Status, c.status, r.Body)
			}
		}
		if after := snapshot(t, db); after != before {
			t.Errorf("forms refused with the audit log down changed rows:\n%s", lineDiff(before, after))
		}

		unblock()
		for _, c := range forms {
			n := count(t, db, `SELECT count(*) FROM audit_log`)
			r := c.send()
			if r.Status != c.status {
				t.Errorf("POST %s after recovery: got %d, want %d\n%s", c.pattern, r.Status, c.status, r.Body)
				continue
			}
			switch got := count(t, db, `SELECT count(*) FROM audit_log`); {
			case c.audited && got == n:
				t.Errorf("POST %s after recovery left no audit row", c.pattern)
			case !c.audited && got != n:
				t.Errorf("POST %s left %d audit rows: mark it audited", c.pattern, got-n)
			}
		}
		if rep, err := audit.Verify(ctx, db.Read()); err != nil || rep.Problem != nil {
			t.Errorf("audit chain after recovery: %v %+v", err, rep.Problem)
		}
	})
}

package api_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// marriageWithName is 民政's marriage entry holding 姓名, the same data as
// 公安's 居住登记信息's, and 登记日期, the day of the marriage: not the
// residence registration's 登记日期, which only shares its name.
const marriageWithName = `{"name":"婚姻登记信息","abstract":"结婚登记信息",
	"classification":{"class":"departmental","category_code":"03","category_name":"民政","subcategory_code":"001","subcategory_name":"婚姻登记"},
	"format":"database","items":[{"name":"公民身份号码","type":"C","length":18,"identifies_subject":true},
	{"name":"姓名","type":"C","length":50},{"name":"登记日期","type":"D"}],
	"share_type":"conditional","share_conditions":"用于婚姻状况核验","share_methods":["verify"],"share_scope":"全区政务部门",
	"open_attribute":"closed","update_frequency":"realtime","security_level":3,"network_zone":"egov_extranet",
	"domain":"11","subject_kind":"person"}`

// expectStatus fails the test unless r's status is status, naming what
// was asked, and returns r.
func expectStatus(t *testing.T, what string, r response, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: got %d %v, want %d", what, r.status, r.body, status)
	}
	return r
}

// submitMarriage has session create marriageWithName and submit it for
// review, failing the test unless both succeed, and returns the entry's id
// and its path.
func submitMarriage(t *testing.T, rf *recordsFixture, session ...string) (id, base string) {
	t.Helper()
	r := expectStatus(t, "create", rf.do(t, "POST", "/api/v1/catalog/entries", "", marriageWithName, session...), 201)
	id = jsonNumber(r.body["id"])
	base = "/api/v1/catalog/entries/" + id
	expectStatus(t, "submit", rf.do(t, "POST", base+"/submit", "", "", session...), 200)
	return id, base
}

// conflictOf returns the source conflict over item of the catalog entry at
// base, as listed to session, failing the test when there is none.
func conflictOf(t *testing.T, rf *recordsFixture, base, item string, session ...string) map[string]any {
	t.Helper()
	r := expectStatus(t, "conflicts", rf.do(t, "GET", base+"/conflicts", "", "", session...), 200)
	for _, c := range r.body["items"].([]any) {
		if c := c.(map[string]any); c["item_name"] == item {
			return c
		}
	}
	t.Fatalf("conflicts: %v, no %s", r.body, item)
	return nil
}

// decideItem has session decide the source conflict over item of the
// catalog entry at base with body, failing the test unless it succeeds.
func decideItem(t *testing.T, rf *recordsFixture, base, item, body string, session ...string) {
	t.Helper()
	c := conflictOf(t, rf, base, item, session...)
	expectStatus(t, "decide "+item, rf.do(t, "POST", base+"/conflicts/"+jsonNumber(c["id"])+"/decision", "", body, session...), 200)
}

// TestConflictDecidedDistinct: a conflict over an item that only shares
// its name with the candidates' (登记日期 of a marriage and of a residence
// registration) is decided 不是同一数据项 ("distinct": true) by a reviewer of
// the catalog alone, audited; the approval then succeeds, the item has no
// one source in the other entry, and pushes of different dates open no
// discrepancy (on arrival nor in a sweep) and leave the record undisputed,
// while 姓名, decided for 公安's entry, is still cross-checked. Until
// 2026-12-06 a reviewer could only name one of the entries the source, and
// the two dates were compared as one fact.
func TestConflictDecidedDistinct(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		admin, reviewer, op := rf.session(t, "mz.admin"), rf.session(t, "mz.reviewer"), rf.session(t, "nh.op")
		id, base := submitMarriage(t, rf, admin...)
		r := expectStatus(t, "conflicts", rf.do(t, "GET", base+"/conflicts", "", "", op...), 200)
		conflicts := map[string]map[string]any{}
		for _, c := range r.body["items"].([]any) {
			c := c.(map[string]any)
			conflicts[c["item_name"].(string)] = c
		}
		date, name := conflicts["登记日期"], conflicts["姓名"]
		if date == nil || name == nil || date["authoritative_entry_id"] != nil ||
			jsonNumber(name["authoritative_entry_id"]) != strconv.FormatInt(rf.entryA, 10) {
			t.Fatalf("conflicts: %v, want 登记日期 undecided and 姓名 decided for %d", r.body, rf.entryA)
		}
		decision := base + "/conflicts/" + jsonNumber(date["id"]) + "/decision"

		const rule = "只有平台管理员或政务数据主管部门的审核员可以审核数据资源目录"
		for who, s := range map[string][]string{"the department's admin": admin, "another department's reviewer": reviewer} {
			if r := rf.do(t, "POST", decision, "", `{"distinct":true}`, s...); r.status != 403 || r.body["detail"] != rule {
				t.Errorf("%s decides distinct: %d %v, want 403 %q", who, r.status, r.body, rule)
			}
		}
		if r := rf.do(t, "POST", decision, "", `{"distinct":true,"authoritative_entry_id":`+id+`}`, op...); r.status != 400 ||
			r.body["code"] != "invalid_source" {
			t.Errorf("distinct with a source: %d %v, want 400 invalid_source", r.status, r.body)
		}
		if r := rf.do(t, "POST", decision, "", `{"distinct":true,"authoritative_entry_id":0}`, op...); r.status != 400 ||
			r.body["code"] != "invalid_source" {
			t.Errorf("distinct with source 0: %d %v, want 400 invalid_source", r.status, r.body)
		}
		if r := rf.do(t, "POST", decision, "", `{}`, op...); r.status != 400 || r.body["code"] != "invalid_source" ||
			!strings.Contains(r.body["detail"].(string), "不是同一数据项") {
			t.Errorf("neither a source nor distinct: %d %v, want 400 invalid_source naming both choices", r.status, r.body)
		}
		expectStatus(t, "approve undecided", rf.do(t, "POST", base+"/approve", "", "", op...), 409)
		r = expectStatus(t, "decide distinct", rf.do(t, "POST", decision, "", `{"distinct":true}`, op...), 200)
		if r.body["distinct"] != true || r.body["authoritative_entry_id"] != nil || r.body["decided_by"] != "nh.op" {
			t.Errorf("decided: %v, want distinct, no authoritative_entry_id, by nh.op", r.body)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'catalog.source.decide' AND outcome = 'ok'
			AND actor_name = 'nh.op' AND object_id = $1 AND detail LIKE '%不是同一数据项%' AND detail LIKE '%登记日期%'`, id); n != 1 {
			t.Errorf("%d audit rows of the distinct decision, want 1", n)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'catalog.source.decide' AND outcome <> 'ok'`); n != 2 {
			t.Errorf("%d audit rows of the refused decisions, want 2", n)
		}
		rf.clock.Add(time.Hour)
		expectStatus(t, "approve", rf.do(t, "POST", base+"/approve", "", "", op...), 200)
		if n := rf.countWhere(t, `SELECT count(*) FROM catalog_distinct_items WHERE decided_by = 'nh.op' AND decided_at = $1`,
			t0.UTC()); n != 1 {
			t.Errorf("%d separations decided by nh.op at the decision's time, want 1", n)
		}
		r = expectStatus(t, "entry", rf.do(t, "GET", base, "", "", admin...), 200)
		for _, it := range r.body["items"].([]any) {
			it := it.(map[string]any)
			src, _ := it["authoritative_source"].(map[string]any)
			switch it["name"] {
			case "登记日期":
				if src != nil {
					t.Errorf("登记日期 points to the one source %v, want none", src)
				}
			case "姓名":
				if src == nil || jsonNumber(src["entry_id"]) != strconv.FormatInt(rf.entryA, 10) {
					t.Errorf("姓名 points to %v, want entry %d", src, rf.entryA)
				}
			}
		}

		subject := recordstest.CitizenID(4311)
		at := beijing(t0.Add(-time.Minute))
		if r := rf.do(t, "POST", "/api/v1/records/entries/"+strconv.FormatInt(rf.entryA, 10)+"/ops", rf.gaKey,
			opLine("add", subject, at, map[string]string{"姓名": "张三", "登记日期": "2020-01-02"})); r.status != 201 {
			t.Fatalf("push to 公安: %d %v", r.status, r.body)
		}
		if r := rf.do(t, "POST", "/api/v1/records/entries/"+id+"/ops", rf.mzKey,
			opLine("add", subject, at, map[string]string{"姓名": "张叁", "登记日期": "2023-05-20"})); r.status != 201 {
			t.Fatalf("push to 民政: %d %v", r.status, r.body)
		}
		check := func(when string) {
			t.Helper()
			if n := rf.countWhere(t, `SELECT count(*) FROM record_discrepancies WHERE item_key = '登记日期'`); n != 0 {
				t.Errorf("%s: %d discrepancies of 登记日期, want none", when, n)
			}
			if n := rf.countWhere(t, `SELECT count(*) FROM record_discrepancies WHERE item_key = '姓名' AND status = 'open'`); n != 1 {
				t.Errorf("%s: %d open discrepancies of 姓名, want 1", when, n)
			}
			r := expectStatus(t, "read", rf.do(t, "GET", "/api/v1/records/entries/"+id+"/subjects/"+subject+"?purpose=核验", rf.mzKey, ""), 200)
			var disputed []string
			for _, d := range r.body["disputed"].([]any) {
				disputed = append(disputed, d.(map[string]any)["item"].(string))
			}
			if strings.Join(disputed, ",") != "姓名" {
				t.Errorf("%s: the record's disputed items %v, want 姓名 alone", when, disputed)
			}
		}
		check("on arrival")
		if _, err := records.Sweep(context.Background(), db, rf.cal, audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}, t0); err != nil {
			t.Fatal(err)
		}
		check("after a sweep")
	})
}

// TestConflictDistinctReopenedByNewCandidate: a distinct decision holds
// only against the candidates the reviewer decided against. 民政's marriage
// entry, decided 不是同一数据项 against 公安's 登记日期 but not yet approved,
// meets a third department's entry with 登记日期 published since: the
// conflict is undecided again, listing both, and approval is refused.
// Until 2026-12-06 the decision stayed and approval separated the entry
// from the new one, which no reviewer had looked at.
func TestConflictDistinctReopenedByNewCandidate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		admin, op := rf.session(t, "mz.admin"), rf.session(t, "nh.op")
		_, base := submitMarriage(t, rf, admin...)
		decideItem(t, rf, base, "登记日期", `{"distinct":true}`, op...)
		x := publishEntry(t, db, rf.deptID, rf.deptID, personResource("就业登记信息", "04", "人社", "001", "就业服务", "03",
			"monthly", "公民身份号码*:C18;姓名:C50;登记日期:D"), t0.Add(-time.Hour))
		c := conflictOf(t, rf, base, "登记日期", op...)
		var cands []string
		for _, cand := range c["candidates"].([]any) {
			cands = append(cands, jsonNumber(cand.(map[string]any)["entry_id"]))
		}
		if c["distinct"] != nil || c["decided_by"] != nil ||
			strings.Join(cands, ",") != strconv.FormatInt(rf.entryA, 10)+","+strconv.FormatInt(x, 10) {
			t.Errorf("登记日期 after %d is published: %v, want undecided with candidates %d and %d", x, c, rf.entryA, x)
		}
		if r := rf.do(t, "POST", base+"/approve", "", "", op...); r.status != 409 || r.body["code"] != "source_conflicts_undecided" {
			t.Errorf("approve: %d %v, want 409 source_conflicts_undecided", r.status, r.body)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM catalog_distinct_items`); n != 0 {
			t.Errorf("%d separated pairs, want none", n)
		}
	})
}

// TestDistinctClosesDiscrepancyAsItemDistinct: 民政's marriage entry,
// approved with 登记日期 decided for 公安's entry, opens a discrepancy of
// 登记日期 with it; a revision decided 不是同一数据项 for that item, once
// approved, has a sweep close the discrepancy as item_distinct, both
// entries still having the item. Until 2026-12-06 the reason was
// item_not_shared (两个数据资源已不再都有该信息项), which was not so.
func TestDistinctClosesDiscrepancyAsItemDistinct(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		admin, op := rf.session(t, "mz.admin"), rf.session(t, "nh.op")
		id, base := submitMarriage(t, rf, admin...)
		decideItem(t, rf, base, "登记日期", `{"authoritative_entry_id":`+strconv.FormatInt(rf.entryA, 10)+`}`, op...)
		expectStatus(t, "approve", rf.do(t, "POST", base+"/approve", "", "", op...), 200)

		subject := recordstest.CitizenID(4312)
		at := beijing(t0.Add(-time.Minute))
		expectStatus(t, "push to 公安", rf.do(t, "POST", "/api/v1/records/entries/"+strconv.FormatInt(rf.entryA, 10)+"/ops", rf.gaKey,
			opLine("add", subject, at, map[string]string{"姓名": "张三", "登记日期": "2020-01-02"})), 201)
		expectStatus(t, "push to 民政", rf.do(t, "POST", "/api/v1/records/entries/"+id+"/ops", rf.mzKey,
			opLine("add", subject, at, map[string]string{"姓名": "张三", "登记日期": "2023-05-20"})), 201)
		if n := rf.countWhere(t, `SELECT count(*) FROM record_discrepancies WHERE item_key = '登记日期' AND status = 'open'`); n != 1 {
			t.Fatalf("%d open discrepancies of 登记日期, want 1", n)
		}

		expectStatus(t, "revise", rf.do(t, "PUT", base, "", strings.Replace(marriageWithName, "结婚登记信息", "结婚、离婚登记信息", 1), admin...), 200)
		expectStatus(t, "submit the revision", rf.do(t, "POST", base+"/submit", "", "", admin...), 200)
		decideItem(t, rf, base, "登记日期", `{"distinct":true}`, op...)
		expectStatus(t, "approve the revision", rf.do(t, "POST", base+"/approve", "", "", op...), 200)
		if _, err := records.Sweep(context.Background(), db, rf.cal, audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}, t0); err != nil {
			t.Fatal(err)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM record_discrepancies WHERE item_key = '登记日期' AND status = 'resolved'`); n != 1 {
			t.Errorf("%d resolved discrepancies of 登记日期, want 1", n)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.resolve'
			AND detail LIKE '%"reason":"item_distinct"%'`); n != 1 {
			t.Errorf("%d discrepancies closed as item_distinct, want 1", n)
		}
	})
}

// TestSeparationFollowsTheSource: 民政's marriage entry M is separated from
// 公安's A for 登记日期 (不是同一数据项); a third department's entry X, whose
// conflict lists both, is decided for A. X's 登记日期 is then A's data item,
// not M's: X is separated from M too, and pushes of three dates open a
// discrepancy between A and X alone. Until 2026-12-06 M and X were compared.
func TestSeparationFollowsTheSource(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		admin, op := rf.session(t, "mz.admin"), rf.session(t, "nh.op")
		id, base := submitMarriage(t, rf, admin...)
		m, _ := strconv.ParseInt(id, 10, 64)
		decideItem(t, rf, base, "登记日期", `{"distinct":true}`, op...)
		expectStatus(t, "approve", rf.do(t, "POST", base+"/approve", "", "", op...), 200)
		// publishEntry names the candidate published first, A, the source of
		// X's undecided 登记日期, whose candidates are A and M.
		x := publishEntry(t, db, rf.deptID, rf.deptID, personResource("就业登记信息", "04", "人社", "001", "就业服务", "03",
			"monthly", "公民身份号码*:C18;姓名:C50;登记日期:D"), t0.Add(-time.Hour))
		var xKey string
		err := db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
			_, xKey, err = org.CreateApp(context.Background(), tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"},
				org.NewApp{Name: "人社推送", DepartmentID: rf.deptID, Scopes: []string{"records.write"}}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		subject := recordstest.CitizenID(4313)
		at := beijing(t0.Add(-time.Minute))
		for i, p := range []struct {
			entry int64
			key   string
		}{{rf.entryA, rf.gaKey}, {m, rf.mzKey}, {x, xKey}} {
			expectStatus(t, "push", rf.do(t, "POST", "/api/v1/records/entries/"+strconv.FormatInt(p.entry, 10)+"/ops", p.key,
				opLine("add", subject, at, map[string]string{"姓名": "张三", "登记日期": "202" + strconv.Itoa(i) + "-01-02"})), 201)
		}
		between := func(a, b int64) int {
			return rf.countWhere(t, `SELECT count(*) FROM record_discrepancies WHERE item_key = '登记日期'
				AND ((entry_a = $1 AND entry_b = $2) OR (entry_a = $2 AND entry_b = $1))`, a, b)
		}
		if n := between(m, x); n != 0 {
			t.Errorf("%d discrepancies of 登记日期 between M and X, want none", n)
		}
		if n := between(rf.entryA, x); n != 1 {
			t.Errorf("%d discrepancies of 登记日期 between A and X, want 1", n)
		}
		if n := between(rf.entryA, m); n != 0 {
			t.Errorf("%d discrepancies of 登记日期 between A and M, want none", n)
		}
	})
}

package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// replayDiscrepancies is the records fixture with n discrepancies on 姓名
// between 公安's entry (the item's named source) and 民政's, their paths
// in order, and the replayRights of its 民政 administrator, mz.admin.
func replayDiscrepancies(t *testing.T, db *sqldb.DB, n int) (*recordsFixture, replayRights, []string) {
	t.Helper()
	rf := newRecordsFixture(t, db)
	var id int64
	if err := db.Read().QueryRowContext(t.Context(), `SELECT id FROM users WHERE username = 'mz.admin'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	at := beijing(t0.Add(-time.Minute))
	subjects := map[string]bool{}
	for i := range n {
		subject := recordstest.CitizenID(5300 + i)
		subjects[subject] = true
		if r := rf.do(t, "POST", "/api/v1/records/entries/"+itoa(rf.entryA)+"/ops", rf.gaKey,
			opLine("add", subject, at, map[string]string{"姓名": "张三"})); r.status != 201 {
			t.Fatalf("push to 公安: %d %v", r.status, r.body)
		}
		if r := rf.do(t, "POST", "/api/v1/records/entries/"+itoa(rf.entryB)+"/ops", rf.mzKey,
			opLine("add", subject, at, map[string]string{"姓名": "张叁"})); r.status != 201 {
			t.Fatalf("push to 民政: %d %v", r.status, r.body)
		}
	}
	var paths []string
	for _, id := range discrepancyIDs(t, rf, subjects) {
		paths = append(paths, "/api/v1/records/discrepancies/"+strconv.FormatInt(id, 10))
	}
	return rf, replayRights{f: rf.fixture, db: db, id: id}, paths
}

// discrepancyIDs are the ids, ascending, of the discrepancies of the
// subjects that 民政's list for 核验 holds, one per subject.
func discrepancyIDs(t *testing.T, rf *recordsFixture, subjects map[string]bool) []int64 {
	t.Helper()
	r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=%E6%A0%B8%E9%AA%8C", rf.mzKey, "")
	ds, _ := r.body["discrepancies"].([]any)
	var ids []int64
	for _, d := range ds {
		d := d.(map[string]any)
		if subjects[d["subject_id"].(string)] {
			id, err := strconv.ParseInt(jsonNumber(d["id"]), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
	}
	if r.status != 200 || len(ids) != len(subjects) {
		t.Fatalf("discrepancies: %d %v, want one of each of %d subjects", r.status, r.body, len(subjects))
	}
	return ids
}

// TestReplayRechecksFeedback: 民政's administrator gives 民政's feedback
// on a discrepancy under a key; made the operator (in the operator's
// department), it sees the discrepancy but answers for neither side, so a
// fresh feedback is refused 403 not_party (records.FeedbackIf). Its retry
// under the first key was answered 200 with the stored feedback (the
// replay's check saw only that the caller sees the discrepancy); now it
// is refused so too, with its denied row, no feedback stored.
func TestReplayRechecksFeedback(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf, rr, paths := replayDiscrepancies(t, db, 1)
		rr.keyed(t, "POST", paths[0]+"/feedback", `{"feedback":"核查中"}`, 200,
			`{"role":"operator","department_id":`+itoa(rf.deptID)+`}`, "records.discrepancy.feedback", "not_party",
			"record_discrepancy_feedback")
	})
}

// TestReplayRechecksResolution: 民政's administrator, moved to 公安 (the
// department of 姓名's named source), resolves a discrepancy under a key
// in favour of 公安's entry; moved back to 民政, it still sees the
// discrepancy (民政's is its other side) but may no longer decide it: a
// fresh resolution of another such discrepancy is refused 403
// not_authoritative (records.Resolve). Its retry under the first key was
// answered 200 with the stored resolution; now it is refused as the
// fresh one, with the same message and its denied row, no resolution
// recorded.
func TestReplayRechecksResolution(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf, rr, paths := replayDiscrepancies(t, db, 2)
		body := `{"note":"以户籍登记为准"}`
		rr.change(t, `{"department_id":`+itoa(rf.gaID)+`}`)
		hdr := append([]string{"Idempotency-Key", "resolve-1"}, rf.session(t, "mz.admin")...)
		if r := rf.do(t, "POST", paths[0]+"/resolve", "", body, hdr...); r.status != 200 || r.body["status"] != "awaiting_correction" {
			t.Fatalf("resolution by 公安: got %d %v, want 200 awaiting_correction", r.status, r.body)
		}
		if r := rf.do(t, "POST", paths[0]+"/resolve", "", body, hdr...); r.status != 200 || r.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry with the right: got %d %q %v, want the first answer replayed",
				r.status, r.header.Get("Idempotent-Replayed"), r.body)
		}
		rr.change(t, `{"department_id":`+itoa(rf.mzID)+`}`)
		retryRefusedAsFresh(t, rf, rr, paths, body, "resolve")
	})
}

// TestReplayResolutionAfterSourceDropped: 民政's administrator, moved to
// 公安 (the department of 姓名's named source), resolves a discrepancy
// under a key, and the operator another, leaving the entry to the
// catalog; then 公安 publishes a new version of its entry without 姓名,
// so the catalog names no source of the item any more (pruneSources).
// Neither caller changed: both retries are their first answers replayed,
// with no denied row. The replay's check judged the catalog as it is now
// (Reviewer.decides on the current named source) and refused 公安's
// administrator 403 not_authoritative and the operator 400
// missing_authority, which a client would take for a fault of its body.
func TestReplayResolutionAfterSourceDropped(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf, rr, paths := replayDiscrepancies(t, db, 2)
		const action = "records.discrepancy.resolve"
		body := `{"note":"以户籍登记为准"}`
		rr.change(t, `{"department_id":`+itoa(rf.gaID)+`}`)
		hdr := append([]string{"Idempotency-Key", "source-1"}, rf.session(t, "mz.admin")...)
		first := rf.do(t, "POST", paths[0]+"/resolve", "", body, hdr...)
		if first.status != 200 || first.body["status"] != "awaiting_correction" {
			t.Fatalf("resolution by 公安: got %d %v, want 200 awaiting_correction", first.status, first.body)
		}
		opHdr := append([]string{"Idempotency-Key", "operator-1"}, rf.session(t, "nh.op")...)
		opFirst := rf.do(t, "POST", paths[1]+"/resolve", "", body, opHdr...)
		if opFirst.status != 200 || opFirst.body["status"] != "awaiting_correction" {
			t.Fatalf("resolution by the operator: got %d %v, want 200 awaiting_correction", opFirst.status, opFirst.body)
		}
		r := personResource("居住登记信息", "01", "公安", "002", "流动人口管理", "18", "daily", "公民身份号码*:C18;居住地址:C200;登记日期:D")
		republish(t, rf, rf.gaID, rf.entryA, r, false)
		if n := rf.countWhere(t, `SELECT count(*) FROM catalog_authoritative_items WHERE item_key = '姓名'`); n != 0 {
			t.Fatalf("%d catalog sources of 姓名 after 公安's new version, want none", n)
		}
		denied := func() int {
			return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = 'denied'`, action)
		}
		before := denied()
		for _, c := range []struct {
			who, path string
			hdr       []string
			first     response
		}{{"公安's administrator", paths[0], hdr, first}, {"the operator", paths[1], opHdr, opFirst}} {
			retry := rf.do(t, "POST", c.path+"/resolve", "", body, c.hdr...)
			if retry.status != 200 || retry.header.Get("Idempotent-Replayed") != "true" ||
				retry.body["authoritative_entry_id"] != c.first.body["authoritative_entry_id"] {
				t.Errorf("retry by %s: got %d %q %v, want the first answer %v replayed",
					c.who, retry.status, retry.header.Get("Idempotent-Replayed"), retry.body, c.first.body)
			}
		}
		if n := denied(); n != before {
			t.Errorf("%d denied %s rows after the retries, want %d", n, action, before)
		}
	})
}

// republish publishes a new version of entry, of department dept, with
// the metadata r; the operator decides each of its source conflicts for
// entry itself when own, and leaves those the catalog decided otherwise.
func republish(t *testing.T, rf *recordsFixture, dept, entry int64, r catalog.Resource, own bool) {
	t.Helper()
	ctx := t.Context()
	now := rf.clock.Now()
	by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: dept}, Editor: true}
	op := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test-op", Name: "test", DepartmentID: rf.deptID}, Operator: true}
	if err := rf.db.Tx(ctx, func(tx *sqldb.Tx) error {
		if _, err := catalog.Update(ctx, tx, by, entry, r, now); err != nil {
			return err
		}
		if _, err := catalog.Submit(ctx, tx, by, entry, now); err != nil {
			return err
		}
		if own {
			cs, err := catalog.Conflicts(ctx, tx, op, entry)
			if err != nil {
				return err
			}
			for _, c := range cs {
				if _, err := catalog.Decide(ctx, tx, op, entry, c.ID, entry, now); err != nil {
					return err
				}
			}
		}
		_, err := catalog.Approve(ctx, tx, op, entry, now)
		return err
	}); err != nil {
		t.Fatalf("new version of entry %d: %v", entry, err)
	}
}

// overrideRetriedAfterDemotion: mz.admin, made the operator, resolves
// the first of paths under a key with body, naming 民政's entry, and its
// retry is that answer replayed; made 民政's administrator again, a fresh
// such resolution of the second is refused 403 not_authoritative, and so
// is the retry under the first key, with the same message and its denied
// row, no resolution recorded: the decision was the operator's alone.
func overrideRetriedAfterDemotion(t *testing.T, rf *recordsFixture, rr replayRights, paths []string, body string) {
	t.Helper()
	rr.change(t, `{"role":"operator","department_id":`+itoa(rf.deptID)+`}`)
	hdr := append([]string{"Idempotency-Key", "override-1"}, rf.session(t, "mz.admin")...)
	if r := rf.do(t, "POST", paths[0]+"/resolve", "", body, hdr...); r.status != 200 ||
		jsonNumber(r.body["authoritative_entry_id"]) != itoa(rf.entryB) {
		t.Fatalf("decision by the operator: got %d %v, want 200 in favour of 民政's entry", r.status, r.body)
	}
	if r := rf.do(t, "POST", paths[0]+"/resolve", "", body, hdr...); r.status != 200 || r.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry by the operator: got %d %q %v, want the first answer replayed",
			r.status, r.header.Get("Idempotent-Replayed"), r.body)
	}
	rr.change(t, `{"role":"dept_admin","department_id":`+itoa(rf.mzID)+`}`)
	retryRefusedAsFresh(t, rf, rr, paths, body, "override")
}

// retryRefusedAsFresh: mz.admin, whose rights changed since it resolved
// the first of paths under the key prefix+"-1", is refused 403
// not_authoritative a fresh such resolution of the second (key
// prefix+"-2"), and so is its retry under the first key, with the same
// message and not replayed: one denied row each, no resolution recorded.
func retryRefusedAsFresh(t *testing.T, rf *recordsFixture, rr replayRights, paths []string, body, prefix string) {
	t.Helper()
	const action = "records.discrepancy.resolve"
	resolved := func() int {
		return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = 'ok'`, action)
	}
	rows := resolved()
	session := rf.session(t, "mz.admin")
	before := rr.denied(t, action)
	fresh := rf.do(t, "POST", paths[1]+"/resolve", "", body, append([]string{"Idempotency-Key", prefix + "-2"}, session...)...)
	if fresh.status != 403 || fresh.body["code"] != "not_authoritative" {
		t.Fatalf("fresh resolution by 民政: got %d %v, want 403 not_authoritative", fresh.status, fresh.body)
	}
	retry := rf.do(t, "POST", paths[0]+"/resolve", "", body, append([]string{"Idempotency-Key", prefix + "-1"}, session...)...)
	if retry.status != 403 || retry.header.Get("Idempotent-Replayed") != "" || retry.body["code"] != "not_authoritative" ||
		retry.body["detail"] != fresh.body["detail"] {
		t.Errorf("retry after the change of rights: got %d %q %v, want the fresh resolution's 403 %v, not a replay",
			retry.status, retry.header.Get("Idempotent-Replayed"), retry.body, fresh.body)
	}
	if n := rr.denied(t, action); n != before+2 {
		t.Errorf("%d denied %s rows of mz.admin after the fresh resolution and the retry, want %d", n, action, before+2)
	}
	if n := resolved(); n != rows {
		t.Errorf("%d resolutions audited after the retries, want %d", n, rows)
	}
}

// TestReplayOverrideAfterDemotion (review r9): 民政's administrator, made
// the operator, resolves a discrepancy under a key in favour of 民政's
// entry, overriding the catalog, which names 公安's as 姓名's source; made
// 民政's administrator again, a fresh such resolution is refused 403
// not_authoritative (overriding the catalog is the operator's). Its
// retry under the first key was its 200 replayed (the replay's check
// asked only whether the caller is of the department of the entry decided
// right); the decision now records that it overrode the catalog, and the
// retry is refused as the fresh one.
func TestReplayOverrideAfterDemotion(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf, rr, paths := replayDiscrepancies(t, db, 2)
		overrideRetriedAfterDemotion(t, rf, rr, paths, `{"note":"以民政为准","authoritative_entry_id":`+itoa(rf.entryB)+`}`)
	})
}

// TestReplayOperatorDecisionAfterDemotion: as TestReplayOverrideAfterDemotion
// where the catalog names no source of 姓名 (公安's new version dropped it),
// so that the operator alone decides, naming the entry: the retry by the
// account demoted since to 民政's administrator is refused as a fresh
// decision is (目录未确定……由政务数据主管部门协调处理), where it was replayed.
func TestReplayOperatorDecisionAfterDemotion(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf, rr, paths := replayDiscrepancies(t, db, 2)
		r := personResource("居住登记信息", "01", "公安", "002", "流动人口管理", "18", "daily", "公民身份号码*:C18;居住地址:C200;登记日期:D")
		republish(t, rf, rf.gaID, rf.entryA, r, false)
		overrideRetriedAfterDemotion(t, rf, rr, paths, `{"note":"以民政为准","authoritative_entry_id":`+itoa(rf.entryB)+`}`)
	})
}

// TestReplayResolutionAfterSourceNamedOther (review r12): 民政's
// administrator, moved to 公安, resolves a discrepancy under a key in
// favour of 公安's entry, 姓名's named source, and the operator overrides
// the catalog on another, naming 民政's; then the catalog names 民政's
// entry as 姓名's source (its new version, the reviewer deciding for it).
// Neither caller changed: both retries are their first answers replayed,
// with no denied row. b6da9ed2 judged the retry against the catalog's
// current source and refused 公安's administrator 403 not_authoritative.
func TestReplayResolutionAfterSourceNamedOther(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf, rr, paths := replayDiscrepancies(t, db, 2)
		const action = "records.discrepancy.resolve"
		rr.change(t, `{"department_id":`+itoa(rf.gaID)+`}`)
		body := `{"note":"以户籍登记为准"}`
		hdr := append([]string{"Idempotency-Key", "named-1"}, rf.session(t, "mz.admin")...)
		first := rf.do(t, "POST", paths[0]+"/resolve", "", body, hdr...)
		if first.status != 200 || jsonNumber(first.body["authoritative_entry_id"]) != itoa(rf.entryA) {
			t.Fatalf("resolution by 公安: got %d %v, want 200 in favour of 公安's entry", first.status, first.body)
		}
		opBody := `{"note":"以民政为准","authoritative_entry_id":` + itoa(rf.entryB) + `}`
		opHdr := append([]string{"Idempotency-Key", "named-2"}, rf.session(t, "nh.op")...)
		opFirst := rf.do(t, "POST", paths[1]+"/resolve", "", opBody, opHdr...)
		if opFirst.status != 200 || jsonNumber(opFirst.body["authoritative_entry_id"]) != itoa(rf.entryB) {
			t.Fatalf("override by the operator: got %d %v, want 200 in favour of 民政's entry", opFirst.status, opFirst.body)
		}
		r := personResource("低保对象信息", "03", "民政", "002", "社会救助", "03", "daily", "公民身份号码*:C18;姓名:C50;家庭人口数:I;纳入保障日期:D")
		republish(t, rf, rf.mzID, rf.entryB, r, true)
		if n := rf.countWhere(t, `SELECT count(*) FROM catalog_authoritative_items WHERE item_key = '姓名' AND entry_id = $1`,
			rf.entryB); n != 1 {
			t.Fatalf("%d catalog sources of 姓名 of 民政's entry after its new version, want 1", n)
		}
		denied := func() int {
			return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = 'denied'`, action)
		}
		before := denied()
		for _, c := range []struct {
			who, path, body string
			hdr             []string
			first           response
		}{{"公安's administrator", paths[0], body, hdr, first}, {"the operator", paths[1], opBody, opHdr, opFirst}} {
			retry := rf.do(t, "POST", c.path+"/resolve", "", c.body, c.hdr...)
			if retry.status != 200 || retry.header.Get("Idempotent-Replayed") != "true" ||
				retry.body["authoritative_entry_id"] != c.first.body["authoritative_entry_id"] {
				t.Errorf("retry by %s: got %d %q %v, want the first answer %v replayed",
					c.who, retry.status, retry.header.Get("Idempotent-Replayed"), retry.body, c.first.body)
			}
		}
		if n := denied(); n != before {
			t.Errorf("%d denied %s rows after the retries, want %d", n, action, before)
		}
	})
}

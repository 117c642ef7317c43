package api_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// catalogActors are an editor of department dept and the platform
// operator (of operatorDept), as the catalog lifecycle takes them.
func catalogActors(dept, operatorDept int64) (editor, operator catalog.Actor) {
	editor = catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: dept}, Editor: true}
	operator = catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test-op", Name: "test", DepartmentID: operatorDept},
		Operator: true}
	return editor, operator
}

// ids lists the entry_id of each item of a list of quality or stale entries.
func ids(list []any) []int64 {
	var out []int64
	for _, v := range list {
		n, _ := strconv.ParseInt(jsonNumber(v.(map[string]any)["entry_id"]), 10, 64)
		out = append(out, n)
	}
	return out
}

// TestRetiredEntryOutOfQuality: a retired entry counts in no quality
// figure. 公安 pushed to its daily entry and to a weekly one, then retired
// the weekly one: its department's quality counted 2 entries of which 1
// published, with the retired entry's records and operations, and a week
// later 2 stale entries where /records/stale listed 1. Now the department
// sums its published entries alone, as the entries' quality lists them,
// and its stale entries are those /records/stale lists.
func TestRetiredEntryOutOfQuality(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		ctx := context.Background()
		weekly := publishEntry(t, db, rf.gaID, rf.deptID, personResource("流动人口周报信息", "01", "公安", "002", "流动人口管理", "18",
			"weekly", "公民身份号码*:C18;周报摘要:C200"), t0.Add(-time.Hour))
		produced := beijing(rf.clock.Now().Add(-time.Hour))
		for i, push := range []struct {
			entry int64
			item  string
		}{{rf.entryA, "姓名"}, {weekly, "周报摘要"}, {weekly, "周报摘要"}} {
			path := fmt.Sprintf("/api/v1/records/entries/%d/ops", push.entry)
			op := opLine("add", recordstest.CitizenID(2000+i), produced, map[string]string{push.item: "某"})
			if r := rf.do(t, "POST", path, rf.gaKey, op); r.status != 201 {
				t.Fatalf("push to %d: %d %v", push.entry, r.status, r.body)
			}
		}
		_, operator := catalogActors(rf.gaID, rf.deptID)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := catalog.Retire(ctx, tx, operator, weekly, "停止采集", rf.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		dept := strconv.FormatInt(rf.gaID, 10)
		check := func(when string, stale int) {
			t.Helper()
			r := rf.do(t, "GET", "/api/v1/records/quality?department_id="+dept, rf.opKey, "")
			entries, _ := r.body["quality"].([]any)
			if got := ids(entries); r.status != 200 || len(got) != 1 || got[0] != rf.entryA {
				t.Errorf("%s: entries' quality of 公安 lists %v (%d), want only %d", when, got, r.status, rf.entryA)
			}
			r = rf.do(t, "GET", "/api/v1/records/quality?by=department&department_id="+dept, rf.opKey, "")
			list, _ := r.body["quality"].([]any)
			if r.status != 200 || len(list) != 1 {
				t.Fatalf("%s: department quality %d %v", when, r.status, r.body)
			}
			q := list[0].(map[string]any)
			got := fmt.Sprint(q["entries"], q["published_entries"], q["ops"], q["live_records"], q["stale_entries"])
			if want := fmt.Sprint(1, 1, 1, 1, stale); got != want {
				t.Errorf("%s: 公安's entries, published entries, operations, records, stale entries = %s, want %s", when, got, want)
			}
			r = rf.do(t, "GET", "/api/v1/records/stale?department_id="+dept, rf.opKey, "")
			listed, _ := r.body["entries"].([]any)
			if got := ids(listed); r.status != 200 || len(got) != stale || (stale == 1 && got[0] != rf.entryA) {
				t.Errorf("%s: /records/stale of 公安 lists %v (%d), want %d (the daily entry)", when, got, r.status, stale)
			}
		}
		check("on the day", 0)
		rf.clock.Add(8 * 24 * time.Hour)
		check("a week later", 1)
	})
}

// TestStaleFromFirstPublication: an entry that never received data is
// stale from its first publication, not from the approval of its last
// revision. 民政's monthly entry, published at t0 and never pushed to, is
// stale 40 days later; approving an edit of its abstract then cleared the
// flag, for /records/stale and the department's quality alike.
func TestStaleFromFirstPublication(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		ctx := context.Background()
		rf.clock.Add(40 * 24 * time.Hour)
		dept := strconv.FormatInt(rf.mzID, 10)
		check := func(when string) {
			t.Helper()
			r := rf.do(t, "GET", "/api/v1/records/stale?department_id="+dept, rf.opKey, "")
			listed, _ := r.body["entries"].([]any)
			if got := ids(listed); r.status != 200 || len(got) != 1 || got[0] != rf.entryB {
				t.Fatalf("%s: /records/stale of 民政 lists %v (%d %v), want %d", when, got, r.status, r.body, rf.entryB)
			}
			since, _ := listed[0].(map[string]any)["since"].(string)
			if at, err := time.Parse(time.RFC3339Nano, since); err != nil || at.After(t0) {
				t.Errorf("%s: stale since %q, want the first publication (before %s)", when, since, t0)
			}
			r = rf.do(t, "GET", "/api/v1/records/quality?by=department&department_id="+dept, rf.opKey, "")
			list, _ := r.body["quality"].([]any)
			if len(list) != 1 || list[0].(map[string]any)["stale_entries"] != 1.0 {
				t.Errorf("%s: 民政's quality %v, want 1 stale entry", when, r.body)
			}
		}
		check("before the revision")
		editor, operator := catalogActors(rf.mzID, rf.deptID)
		now := rf.clock.Now()
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			e, err := catalog.Get(ctx, tx, editor, rf.entryB)
			if err != nil {
				return err
			}
			res := e.Resource
			res.Abstract += "（修订摘要）"
			if _, err := catalog.Update(ctx, tx, editor, rf.entryB, res, now); err != nil {
				return err
			}
			if _, err := catalog.Submit(ctx, tx, editor, rf.entryB, now); err != nil {
				return err
			}
			_, err = catalog.Approve(ctx, tx, operator, rf.entryB, now)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var version int
		if err := db.Read().QueryRowContext(ctx, `SELECT published_version FROM catalog_entries WHERE id = $1`,
			rf.entryB).Scan(&version); err != nil || version < 2 {
			t.Fatalf("revision not published: version %d, %v", version, err)
		}
		check("after the revision approved")
	})
}

// TestScoreBelowOneNotShownAsOne: one line refused of 20,000 checked is a
// validity of 0.99995, which rounding to 4 decimals showed as 1, the score
// of no line refused; it is 0.9999.
func TestScoreBelowOneNotShownAsOne(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		if _, err := db.Write().ExecContext(context.Background(), `INSERT INTO record_entry_stats (entry_id, department_id, ops,
			late_ops, checked_lines, rejected_lines, live_records, filled_values, item_count, fill_version, last_received_at)
			VALUES ($1, $2, 20000, 1, 20000, 1, 20000, 60000, 3, (SELECT version FROM catalog_entries WHERE id = $1), $3)`, rf.entryA, rf.gaID, t0); err != nil {
			t.Fatal(err)
		}
		r := rf.do(t, "GET", "/api/v1/records/quality?entry_id="+strconv.FormatInt(rf.entryA, 10), rf.opKey, "")
		list, _ := r.body["quality"].([]any)
		if len(list) != 1 {
			t.Fatalf("quality: %d %v", r.status, r.body)
		}
		q := list[0].(map[string]any)
		if q["rejected_lines"] != 1.0 || q["validity"] != 0.9999 || q["timeliness"] != 0.9999 || q["completeness"] != 1.0 {
			t.Errorf("1 of 20,000 lines refused and late: validity %v, timeliness %v, completeness %v; want 0.9999, 0.9999, 1",
				q["validity"], q["timeliness"], q["completeness"])
		}
	})
}

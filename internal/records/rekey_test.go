package records_test

import (
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// oldDeathKey is the item key 死亡<U+200B>日期 had before catalog.ItemKey
// folded names with text.Fold; 死亡日期 is its key now.
const oldDeathKey = "死亡\u200b日期"

// lookAlikeItems makes two entries of two departments whose item
// 死亡<U+200B>日期 gave them one key before the upgrade, pushes subjects
// whose values of it differ, named 死亡日期 (ItemKey folds it), so that a
// discrepancy is open for each, and stores their keys as before the
// upgrade: record_item_keys and record_discrepancies under the old key, the
// catalog's one source (which catalog.RekeyItems rewrote) under the new.
// It returns the entries and the discrepancies by subject.
func lookAlikeItems(t *testing.T, f *fixture, subjects ...string) (a, b int64, ds map[string]records.Discrepancy) {
	t.Helper()
	mzj := recordstest.Department(t, f.db, "民政局", 3)
	wjw := recordstest.Department(t, f.db, "卫健委", 4)
	a = recordstest.Entry(t, f.db, mzj, recordstest.Spec{Code: "303001/000009", Name: "殡葬服务记录信息", SubjectKind: "person",
		Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: oldDeathKey, Type: "D"}}})
	b = recordstest.Entry(t, f.db, wjw, recordstest.Spec{Code: "304001/000009", Name: "死亡医学证明信息", SubjectKind: "person",
		Items: []records.Item{{Name: "身份证号", Type: "C", IdentifiesSubject: true}, {Name: oldDeathKey, Type: "D"}}})
	var la, lb string
	for _, p := range subjects {
		la += line("add", p, monday, map[string]string{"死亡日期": "2026-01-03"}, "")
		lb += line("add", p, monday, map[string]string{"死亡日期": "2026-01-04"}, "")
	}
	f.push(recordstest.Pusher(mzj), a, la, records.Options{})
	f.push(recordstest.Pusher(wjw), b, lb, records.Options{})
	ds = map[string]records.Discrepancy{}
	for _, p := range subjects {
		l := f.live(p)
		if len(l) != 1 || l[0].ItemKey != "死亡日期" {
			t.Fatalf("discrepancies of %s: %+v", p, l)
		}
		ds[p] = l[0]
	}
	for _, q := range []string{`UPDATE record_item_keys SET item_key = $1 WHERE item_key = '死亡日期'`,
		`UPDATE record_discrepancies SET item_key = $1 WHERE item_key = '死亡日期'`} {
		if _, err := f.db.Write().ExecContext(f.ctx, q, oldDeathKey); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.db.Write().ExecContext(f.ctx, `INSERT INTO catalog_authoritative_items (subject_kind, item_key, entry_id,
		item_name, decided_at) VALUES ('person', '死亡日期', $1, $2, $3)`, a, oldDeathKey, monday); err != nil {
		t.Fatal(err)
	}
	return a, b, ds
}

// rekey runs records.RekeyItems.
func (f *fixture) rekey() records.RekeyResult {
	f.t.Helper()
	res, err := records.RekeyItems(f.ctx, f.db, f.pusher.Actor, f.receivedAt, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return res
}

// disputedQueue lists the operator's queue: the discrepancies disputed.
func (f *fixture) disputedQueue() []records.Discrepancy {
	f.t.Helper()
	queue, _, err := records.Discrepancies(f.ctx, f.db.Read(), records.DiscrepancyFilter{Status: "disputed"}, f.receivedAt)
	if err != nil {
		f.t.Fatal(err)
	}
	return queue
}

// TestRekeyItemsKeepsDiscrepancies: an open discrepancy stored under an
// item key of before catalog.ItemKey folded names with text.Fold, and the
// entries' keys in record_item_keys, are rewritten by records.RekeyItems:
// the catalog's one source of the item is then found for it (not left to
// the operator's queue), a sweep neither closes it as item_not_shared nor
// opens another, and a second run rewrites nothing.
func TestRekeyItemsKeepsDiscrepancies(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p := recordstest.CitizenID(1)
		a, _, ds := lookAlikeItems(t, f, p)
		d := ds[p]
		if res := f.rekey(); res != (records.RekeyResult{Entries: 2, Discrepancies: 1}) {
			t.Errorf("rekey = %+v, want 2 entries and 1 discrepancy", res)
		}
		got := f.get(d.ID)
		if got.ItemKey != "死亡日期" || got.NamedSource != a {
			t.Errorf("after rekey: key %q, named source %d, want 死亡日期 and %d", got.ItemKey, got.NamedSource, a)
		}
		queue := f.disputedQueue()
		if len(queue) != 0 {
			t.Errorf("operator's queue: %+v, want none: the catalog names the source", queue)
		}
		if res := f.sweep(); res.Closed != 0 || res.Found != 0 || res.Pairs != 1 {
			t.Errorf("sweep = %+v, want the pair compared, nothing closed or found", res)
		}
		if l := f.live(p); len(l) != 1 || l[0].ID != d.ID || l[0].Status != "open" {
			t.Errorf("after the sweep: %+v, want discrepancy %d open", l, d.ID)
		}
		if res := f.rekey(); res.Changed() {
			t.Errorf("second rekey = %+v, want nothing", res)
		}
	})
}

// TestRekeyItemsMergesDiscrepancies: where rewriting a discrepancy's key
// makes it one fact with another not closed (one opened under the new key
// since the upgrade), records.RekeyItems keeps the older, with its
// feedback and key, and closes the newer as merged into it, its note
// naming the one kept (a resolution it had kept), with an audit row;
// whichever of the two had the old key. The newer's decision is carried
// over to the older (until 2026-12-05 it was closed and the older stayed
// open), with whether it overrode the catalog. A second run changes
// nothing.
func TestRekeyItemsMergesDiscrepancies(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		a, _, ds := lookAlikeItems(t, f, p1, p2)
		old1 := ds[p1]
		err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			_, err := records.Feedback(f.ctx, tx, records.Reviewer{Actor: f.pusher.Actor, DepartmentID: old1.DepartmentB},
				old1.ID, "经核实，以民政局为准", nil, f.receivedAt)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// p1: opened again under the new key since the upgrade, after the
		// one of the old key. p2: its one under the new key, and a newer of
		// the old key, resolved and awaiting its correction.
		copyAs := func(id int64, key, status, resolution string) int64 {
			t.Helper()
			var n int64
			if err := db.Write().QueryRowContext(f.ctx, `INSERT INTO record_discrepancies (subject_kind, item_key, subject_id, entry_a,
				entry_b, department_a, department_b, item_a, item_b, value_a, value_b, status, found_by, found_at, due_at, resolution,
				resolved_by, resolved_at, authoritative_entry_id)
				SELECT subject_kind, $2, subject_id, entry_a, entry_b, department_a, department_b, item_a, item_b, value_a, value_b,
				$3, 'arrival', found_at, due_at, $4, 'test', found_at, entry_a FROM record_discrepancies WHERE id = $1 RETURNING id`,
				id, key, status, resolution).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		new1 := copyAs(old1.ID, "死亡日期", "open", "")
		if _, err := db.Write().ExecContext(f.ctx, `UPDATE record_discrepancies SET item_key = '死亡日期' WHERE id = $1`,
			ds[p2].ID); err != nil {
			t.Fatal(err)
		}
		new2 := copyAs(ds[p2].ID, oldDeathKey, "awaiting_correction", "以权威数源为准")
		if _, err := db.Write().ExecContext(f.ctx, `UPDATE record_discrepancies SET operator_override = FALSE WHERE id = $1`,
			new2); err != nil {
			t.Fatal(err)
		}
		if res := f.rekey(); res != (records.RekeyResult{Entries: 2, Discrepancies: 2, Merged: 2}) {
			t.Errorf("rekey = %+v, want 2 entries, 2 discrepancies, 2 merged", res)
		}
		kept := f.get(old1.ID)
		if kept.Status != "open" || kept.ItemKey != "死亡日期" || len(kept.FeedbackHistory) != 1 || kept.NamedSource != a {
			t.Errorf("the older of %s: %+v, want open under 死亡日期 with its feedback and source", p1, kept)
		}
		want := "与差异 " + strconv.FormatInt(old1.ID, 10) + " 是同一事实（两个信息项名称外观相同，视为同一数据项），已并入该差异"
		if d := f.get(new1); d.Status != "resolved" || d.Resolution != want || d.ResolvedBy != "system" || d.ItemKey != "死亡日期" {
			t.Errorf("the newer of %s: %+v, want resolved as merged", p1, d)
		}
		// The newer's decision is carried over to the older, kept: it
		// awaits the correction as decided, not open again.
		if d := f.get(ds[p2].ID); d.Status != "awaiting_correction" || d.ItemKey != "死亡日期" || d.Authority != a ||
			d.Resolution != "以权威数源为准" || d.ResolvedBy != "test" || d.ResolvedAt == nil ||
			d.Override != (sql.NullBool{Valid: true}) {
			t.Errorf("the older of %s: %+v, want awaiting its correction with the newer's decision", p2, d)
		}
		want = "以权威数源为准；与差异 " + strconv.FormatInt(ds[p2].ID, 10) + " 是同一事实（两个信息项名称外观相同，视为同一数据项），已并入该差异"
		if d := f.get(new2); d.Status != "resolved" || d.Resolution != want || d.ResolvedBy != "test" || d.ItemKey != "死亡日期" {
			t.Errorf("the newer of %s: %+v, want resolved as merged, keeping its resolution", p2, d)
		}
		rows, err := db.Read().QueryContext(f.ctx, `SELECT object_id, detail FROM audit_log WHERE action = 'records.discrepancy.resolve'
			AND detail LIKE '%merged_same_fact%' ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		var merged []string
		for rows.Next() {
			var id, detail string
			if err := rows.Scan(&id, &detail); err != nil {
				t.Fatal(err)
			}
			merged = append(merged, id)
			for _, fd := range audit.DetailFields("records.discrepancy.resolve", "", detail) {
				if fd.Key == "reason" && fd.Value == "merged_same_fact" {
					t.Errorf("audit detail %s reads its reason as %q, want it in words", detail, fd.Value)
				}
			}
		}
		rows.Close()
		if strings.Join(merged, ",") != strconv.FormatInt(new1, 10)+","+strconv.FormatInt(new2, 10) && strings.Join(merged, ",") != strconv.FormatInt(new2, 10)+","+strconv.FormatInt(new1, 10) {
			t.Errorf("audit rows of merged discrepancies: %v, want %d and %d", merged, new1, new2)
		}
		if res := f.sweep(); res.Closed != 0 || res.Found != 0 {
			t.Errorf("sweep = %+v, want nothing closed or found", res)
		}
		if res := f.rekey(); res.Changed() {
			t.Errorf("second rekey = %+v, want nothing", res)
		}
	})
}

// TestRekeyItemsMergeKeepsDispute: the newer of two discrepancies merged
// by records.RekeyItems, open, disputed by the side that is not the
// catalog's source (which only the operator may then resolve), with a
// later feedback deadline, gives the older, kept, its dispute, its
// feedback (the history too) and its deadline: the fact stays in the
// operator's queue. Until 2026-12-05 the older stayed as it was, the
// dispute was closed by the system and left the queue.
func TestRekeyItemsMergeKeepsDispute(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p := recordstest.CitizenID(1)
		_, _, ds := lookAlikeItems(t, f, p)
		old := ds[p]
		due := old.DueAt.Add(72 * time.Hour)
		var newer int64
		if err := db.Write().QueryRowContext(f.ctx, `INSERT INTO record_discrepancies (subject_kind, item_key, subject_id, entry_a,
			entry_b, department_a, department_b, item_a, item_b, value_a, value_b, status, found_by, found_at, due_at)
			SELECT subject_kind, '死亡日期', subject_id, entry_a, entry_b, department_a, department_b, item_a, item_b, value_a,
			value_b, 'open', 'sweep', found_at, $2 FROM record_discrepancies WHERE id = $1 RETURNING id`, old.ID, due).Scan(&newer); err != nil {
			t.Fatal(err)
		}
		disputed := true
		err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			_, err := records.Feedback(f.ctx, tx, records.Reviewer{Actor: f.pusher.Actor, DepartmentID: old.DepartmentB},
				newer, "本局登记无误，请平台协调", &disputed, f.receivedAt)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if res := f.rekey(); res.Merged != 1 {
			t.Fatalf("rekey = %+v, want 1 merged", res)
		}
		kept := f.get(old.ID)
		if kept.Status != "open" || !kept.DisputedB || kept.FeedbackB != "本局登记无误，请平台协调" || kept.FeedbackBAt == nil ||
			!kept.DueAt.Equal(due) || len(kept.FeedbackHistory) != 1 || !kept.FeedbackHistory[0].Disputed {
			t.Errorf("kept %d: %+v, want open, disputed by side b with its feedback, due %v", old.ID, kept, due)
		}
		if d := f.get(newer); d.Status != "resolved" || len(d.FeedbackHistory) != 1 {
			t.Errorf("merged %d: %+v, want resolved, keeping its feedback", newer, d)
		}
		queue := f.disputedQueue()
		if len(queue) != 1 || queue[0].ID != old.ID {
			t.Errorf("operator's queue: %+v, want discrepancy %d", queue, old.ID)
		}
		if res := f.rekey(); res.Changed() {
			t.Errorf("second rekey = %+v, want nothing", res)
		}
	})
}

// TestRekeyMergeFeedbackInForce: two discrepancies of one fact merged,
// each given feedback by side b, the one given last, of either, is kept's
// feedback in force and the last of its history, which lists both in the
// order given: the acceptance given last on the kept one was followed by
// the merged one's older dispute, still listed last (review r6).
func TestRekeyMergeFeedbackInForce(t *testing.T) {
	for _, keptLast := range []bool{true, false} {
		t.Run("kept last "+strconv.FormatBool(keptLast), func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				f := setup(t, db)
				p := recordstest.CitizenID(1)
				_, _, ds := lookAlikeItems(t, f, p)
				old := ds[p]
				var newer int64
				if err := db.Write().QueryRowContext(f.ctx, `INSERT INTO record_discrepancies (subject_kind, item_key, subject_id,
					entry_a, entry_b, department_a, department_b, item_a, item_b, value_a, value_b, status, found_by, found_at, due_at)
					SELECT subject_kind, '死亡日期', subject_id, entry_a, entry_b, department_a, department_b, item_a, item_b, value_a,
					value_b, 'open', 'sweep', found_at, due_at FROM record_discrepancies WHERE id = $1 RETURNING id`, old.ID).Scan(&newer); err != nil {
					t.Fatal(err)
				}
				type given struct {
					id       int64
					text     string
					disputed bool
				}
				first, second := given{newer, "本局登记无误，请平台协调", true}, given{old.ID, "已核实，认可对方数据", false}
				if !keptLast {
					first, second = given{old.ID, first.text, first.disputed}, given{newer, second.text, second.disputed}
				}
				for i, g := range []given{first, second} {
					err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
						_, err := records.Feedback(f.ctx, tx, records.Reviewer{Actor: f.pusher.Actor, DepartmentID: old.DepartmentB},
							g.id, g.text, &g.disputed, f.receivedAt.Add(time.Duration(i)*time.Hour))
						return err
					})
					if err != nil {
						t.Fatal(err)
					}
				}
				if res := f.rekey(); res.Merged != 1 {
					t.Fatalf("rekey = %+v, want 1 merged", res)
				}
				kept := f.get(old.ID)
				var texts []string
				for _, fb := range kept.FeedbackHistory {
					texts = append(texts, fb.Feedback)
				}
				if kept.FeedbackB != second.text || kept.DisputedB != second.disputed ||
					strings.Join(texts, "|") != first.text+"|"+second.text {
					t.Errorf("kept %d: feedback b %q, disputed %v, history %q; want %q in force and last, after %q",
						old.ID, kept.FeedbackB, kept.DisputedB, texts, second.text, first.text)
				}
				if d := f.get(newer); d.Status != "resolved" || len(d.FeedbackHistory) != 1 {
					t.Errorf("merged %d: %+v, want resolved, keeping its feedback", newer, d)
				}
			})
		})
	}
}

// TestRekeyItemsRacesComparison: a comparison (a sweep's, holding the
// pair's counters) that opens a discrepancy of the same fact under the new
// key while records.RekeyItems runs commits before the re-key rewrites the
// old one: the re-key waits for it (PostgreSQL: it locks the entries'
// counters; SQLite: the one writer) and merges the two, rather than
// failing on the index that allows one discrepancy of a fact not closed.
func TestRekeyItemsRacesComparison(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p := recordstest.CitizenID(1)
		a, b, ds := lookAlikeItems(t, f, p)
		old := ds[p]
		// The entries' keys rewritten already, so that only the
		// discrepancy's rewrite meets the comparison.
		if _, err := db.Write().ExecContext(f.ctx, `UPDATE record_item_keys SET item_key = '死亡日期' WHERE item_key = $1`,
			oldDeathKey); err != nil {
			t.Fatal(err)
		}
		hold := `SELECT entry_id FROM record_entry_stats WHERE entry_id IN ($1, $2) ORDER BY entry_id`
		if db.Dialect == sqldb.Postgres {
			hold += ` FOR SHARE`
		}
		ran, release := make(chan struct{}), make(chan struct{})
		opened := make(chan int64, 1)
		compared := make(chan error, 1)
		go func() {
			compared <- db.Tx(f.ctx, func(tx *sqldb.Tx) error {
				err := func() error {
					if _, err := tx.ExecContext(f.ctx, hold, a, b); err != nil {
						return err
					}
					var id int64
					err := tx.QueryRowContext(f.ctx, `INSERT INTO record_discrepancies (subject_kind, item_key, subject_id, entry_a,
						entry_b, department_a, department_b, item_a, item_b, value_a, value_b, status, found_by, found_at, due_at)
						SELECT subject_kind, '死亡日期', subject_id, entry_a, entry_b, department_a, department_b, item_a, item_b,
						value_a, value_b, 'open', 'sweep', found_at, due_at FROM record_discrepancies WHERE id = $1 RETURNING id`,
						old.ID).Scan(&id)
					opened <- id
					return err
				}()
				close(ran)
				if err != nil {
					return err
				}
				<-release
				return nil
			})
		}()
		<-ran
		wait := sqldbtest.Waiting(t, db)
		type result struct {
			res records.RekeyResult
			err error
		}
		done := make(chan result, 1)
		go func() {
			res, err := records.RekeyItems(f.ctx, db, f.pusher.Actor, f.receivedAt, nil)
			done <- result{res, err}
		}()
		wait()
		close(release)
		if err := <-compared; err != nil {
			t.Fatal(err)
		}
		r := <-done
		if r.err != nil || r.res.Merged != 1 {
			t.Fatalf("RekeyItems = %+v, %v; want the two merged", r.res, r.err)
		}
		if d := f.get(old.ID); d.Status != "open" || d.ItemKey != "死亡日期" {
			t.Errorf("the older: %+v, want open under 死亡日期", d)
		}
		if d := f.get(<-opened); d.Status != "resolved" || !strings.Contains(d.Resolution, "已并入") {
			t.Errorf("the newer: %+v, want resolved as merged", d)
		}
	})
}

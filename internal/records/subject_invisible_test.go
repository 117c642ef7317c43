package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOtherSubjectOneKey: in an entry about neither a person nor a legal
// entity, a subject_id (and the value of the item identifying the subject)
// typed full width or with a no-break or ideographic space is the ASCII
// one, and one holding a zero-width space, a BOM or another invisible
// character is refused as invalid_subject (invalid_value for the item),
// in JSON Lines and CSV alike: never a second record of one number.
func TestOtherSubjectOneKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		cases := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "202001/000001", Name: "办件信息", SubjectKind: "none",
			Items: []records.Item{{Name: "统一受理号", Type: "C", Length: 30, IdentifiesSubject: true}, {Name: "事项名称", Type: "C", Length: 50}}})
		res := f.push(f.pusher, cases, line("add", "AUDIT 0001", monday, map[string]string{"事项名称": "测试事项"}, ""), records.Options{})
		if res.Applied != 1 {
			t.Fatalf("first add: %+v", res)
		}
		for _, s := range []string{"AUDIT\u00a00001", "ＡＵＤＩＴ　０００１", "AUDIT\u30000001 ", "ＡＵＤＩＴ\u00a0０００１"} {
			res = f.push(f.pusher, cases, line("add", s, monday, map[string]string{"事项名称": "另一事项"}, ""), records.Options{})
			if refusals(res) != "1:record_exists:subject_id" {
				t.Errorf("add %q: %s, want record_exists", s, refusals(res))
			}
			csv := "op,subject_id,produced_at,事项名称\nadd," + s + "," + monday.Format("2006-01-02T15:04:05Z07:00") + ",另一事项\n"
			r, err := records.Ingest(f.ctx, db, f.pusher, cases, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
			if err != nil || refusals(r) != "2:record_exists:subject_id" {
				t.Errorf("CSV add %q: %s, %v, want record_exists", s, refusals(r), err)
			}
			if r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, cases), s); err != nil || r.SubjectID != "AUDIT 0001" {
				t.Errorf("read %q: %+v, %v", s, r, err)
			}
		}
		for _, s := range []string{"AUDIT 0001\u200b", "\ufeffAUDIT 0001", "AUDIT\u200d 0001", "AUDIT \u202e0001", "AUDIT\u2800 0001"} {
			res = f.push(f.pusher, cases, line("add", s, monday, map[string]string{"事项名称": "测试事项"}, ""), records.Options{})
			if refusals(res) != "1:invalid_subject:subject_id" || !strings.Contains(res.Rejected[0].Reason, "不可见的字符 U+") {
				t.Errorf("add %q: %+v, want invalid_subject naming the character", s, res.Rejected)
			}
			csv := "op,subject_id,produced_at,事项名称\nadd,\"" + s + "\"," + monday.Format("2006-01-02T15:04:05Z07:00") + ",测试事项\n"
			r, err := records.Ingest(f.ctx, db, f.pusher, cases, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
			if err != nil || refusals(r) != "2:invalid_subject:subject_id" {
				t.Errorf("CSV add %q: %s, %v, want invalid_subject", s, refusals(r), err)
			}
		}
		if n := f.count(allRecords); n != 1 {
			t.Errorf("%d records, want 1", n)
		}
		// The identifying item is folded alike: ＡＵＤＩＴ０００２ beside
		// AUDIT0002 is no mismatch, and is stored as AUDIT0002; a
		// zero-width space in it is refused on the item.
		res = f.push(f.pusher, cases, line("add", "AUDIT0002", monday, map[string]string{"统一受理号": "ＡＵＤＩＴ０００２", "事项名称": "测试事项"}, ""),
			records.Options{})
		if res.Applied != 1 {
			t.Errorf("full-width identifying value: %+v", res.Rejected)
		}
		if r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, cases), "AUDIT0002"); err != nil || r.Values["统一受理号"] != "AUDIT0002" {
			t.Errorf("record = %+v, %v", r, err)
		}
		res = f.push(f.pusher, cases, line("add", "AUDIT0003", monday, map[string]string{"统一受理号": "AUDIT0003\u200b", "事项名称": "测试事项"}, ""),
			records.Options{})
		if refusals(res) != "1:invalid_value:统一受理号" {
			t.Errorf("identifying value with a zero-width space: %s, want invalid_value", refusals(res))
		}
	})
}

// TestOtherSubjectStoredAsGiven: a record stored before subject_id was
// folded, under the identifier as its provider typed it (ＯＬＤ　０００１,
// with full-width letters and an ideographic space), is still read,
// changed and refused as record_exists under that identifier, in JSON
// Lines and CSV: no second live record of it. The brackets of a Chinese
// case number are no letters or digits and are stored as typed.
func TestOtherSubjectStoredAsGiven(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		cases := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "202001/000001", Name: "办件信息", SubjectKind: "none",
			Items: []records.Item{{Name: "统一受理号", Type: "C", Length: 30, IdentifiesSubject: true}, {Name: "事项名称", Type: "C", Length: 50}}})
		const old = "ＯＬＤ　０００１"
		if res := f.push(f.pusher, cases, line("add", "OLD-STORED", monday, map[string]string{"事项名称": "测试事项"}, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("add: %+v", res)
		}
		// As a release before the fold stored it.
		if _, err := db.Write().ExecContext(f.ctx, `UPDATE record_versions SET subject_id = $2 WHERE entry_id = $1 AND subject_id = 'OLD-STORED'`, cases, old); err != nil {
			t.Fatal(err)
		}
		e := mustEntry(t, db, cases)
		if r, err := records.Get(f.ctx, db.Read(), e, old); err != nil || r.SubjectID != old {
			t.Errorf("read %q: %+v, %v", old, r, err)
		}
		res := f.push(f.pusher, cases, line("change", old, monday.Add(time.Minute), map[string]string{"事项名称": "变更事项"}, ""), records.Options{})
		if res.Applied != 1 {
			t.Errorf("change %q: %+v", old, res.Rejected)
		}
		if r, err := records.Get(f.ctx, db.Read(), e, old); err != nil || r.Values["事项名称"] != "变更事项" {
			t.Errorf("after change: %+v, %v", r, err)
		}
		res = f.push(f.pusher, cases, line("add", old, monday.Add(2*time.Minute), map[string]string{"事项名称": "另一事项"}, ""), records.Options{})
		if refusals(res) != "1:record_exists:subject_id" {
			t.Errorf("add %q: %s, want record_exists", old, refusals(res))
		}
		csv := "op,subject_id,produced_at,事项名称\nadd," + old + "," + monday.Add(2*time.Minute).Format(time.RFC3339) + ",另一事项\n"
		r, err := records.Ingest(f.ctx, db, f.pusher, cases, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || refusals(r) != "2:record_exists:subject_id" {
			t.Errorf("CSV add %q: %s, %v, want record_exists", old, refusals(r), err)
		}
		const bracketed = "（2024）南海受字第0001号"
		if res := f.push(f.pusher, cases, line("add", bracketed, monday, map[string]string{"统一受理号": bracketed, "事项名称": "测试事项"}, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("add %q: %+v", bracketed, res.Rejected)
		}
		if n := f.count(allRecords); n != 2 {
			t.Errorf("%d records, want 2", n)
		}
		var stored string
		if err := db.Read().QueryRowContext(f.ctx, `SELECT subject_id FROM record_versions WHERE entry_id = $1 AND subject_id <> $2`, cases, old).Scan(&stored); err != nil || stored != bracketed {
			t.Errorf("stored %q, %v, want %q", stored, err, bracketed)
		}
	})
}

package records_test

import (
	"strings"
	"testing"

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

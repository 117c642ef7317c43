package records_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDocumentNumberForms: in an entry keyed by a 证件号码, a travel
// permit's number has two forms, whole (H1234567801, stored so without a
// 证件类型 naming the permit, or before 2026-12-05) and the holder's
// lifetime number (H12345678, stored so under 港澳居民来往内地通行证).
// Reads, changes and cancels find the record under either: a record
// stored short was not found by its whole number (record_not_found; a
// change without the type was refused 请先新增, and the add it advised then
// refused record_exists), and a record stored whole was not found by a
// typed change, while a typed add made a second live record of the
// holder. Such an add is now refused record_exists naming the form the
// record is stored under.
func TestDocumentNumberForms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		document := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000131", Name: "境外人员参保信息", SubjectKind: "person",
			Items: []records.Item{{Name: "证件类型", Type: "C", Length: 20}, {Name: "证件号码", Type: "C", Length: 32, IdentifiesSubject: true},
				{Name: "姓名", Type: "C", Length: 10}}})
		e, err := records.LoadEntry(f.ctx, db.Read(), document)
		if err != nil {
			t.Fatal(err)
		}
		permit := map[string]string{"证件类型": "港澳居民来往内地通行证", "姓名": "甲"}
		at := func(h int) time.Time { return monday.Add(time.Duration(h) * time.Minute) }
		refused := func(res records.BatchResult) string {
			if len(res.Rejected) == 0 {
				return ""
			}
			return res.Rejected[0].Code + "（" + res.Rejected[0].Reason + "）"
		}
		get := func(subject, want string) {
			t.Helper()
			r, err := records.Get(f.ctx, db.Read(), e, subject)
			if err != nil || r.Values["姓名"] != want || r.Status != "active" {
				t.Errorf("Get(%s): %+v, %v; want active with 姓名 %s", subject, r, err, want)
			}
		}

		// Stored short: found by the whole number, changed and cancelled
		// without the type.
		if res := f.push(f.rsjPusher, document, line("add", "H1234567801", at(0), permit, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("typed add: %+v", res)
		}
		get("H1234567801", "甲")
		get("H12345678", "甲")
		if res := f.push(f.rsjPusher, document, line("change", "H1234567801", at(1), map[string]string{"姓名": "乙"}, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("untyped change of the whole number: %s", refused(res))
		}
		get("H1234567801", "乙")
		if res := f.push(f.rsjPusher, document, line("add", "H1234567801", at(2), map[string]string{"证件类型": "其他", "姓名": "丙"}, ""), records.Options{}); res.Applied != 0 ||
			len(res.Rejected) != 1 || res.Rejected[0].Code != "record_exists" || res.Rejected[0].Reason != "记录已存在（H12345678），请用 change 变更" {
			t.Errorf("untyped add of a holder stored short: %+v, want record_exists naming H12345678", res)
		}
		if res := f.push(f.rsjPusher, document, line("cancel", "H1234567801", at(3), nil, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("cancel by the whole number: %s", refused(res))
		}
		if r, err := records.Get(f.ctx, db.Read(), e, "H1234567801"); err != nil || r.Status != "cancelled" || r.SubjectID != "H12345678" {
			t.Errorf("after cancel: %+v, %v; want H12345678 cancelled", r, err)
		}

		// Stored whole (no type): changed by a typed change, and a typed
		// add makes no second record.
		if res := f.push(f.rsjPusher, document, line("add", "M2234567802", at(0), map[string]string{"证件类型": "其他", "姓名": "丁"}, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("untyped add: %s", refused(res))
		}
		typed := map[string]string{"证件类型": "港澳居民来往内地通行证", "证件号码": "M2234567802", "姓名": "戊"}
		if res := f.push(f.rsjPusher, document, line("change", "M2234567802", at(1), typed, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("typed change of a record stored whole: %s", refused(res))
		}
		get("M2234567802", "戊")
		if res := f.push(f.rsjPusher, document, line("add", "M2234567802", at(2), permit, ""), records.Options{}); res.Applied != 0 ||
			len(res.Rejected) != 1 || res.Rejected[0].Code != "record_exists" || res.Rejected[0].Reason != "记录已存在（M2234567802），请用 change 变更" {
			t.Errorf("typed add of a holder stored whole: %+v, want record_exists naming M2234567802", res)
		}
		if vs, err := records.History(f.ctx, db.Read(), e, "M2234567802"); err != nil || len(vs) != 2 || vs[1].Values["证件号码"] != "M2234567802" {
			t.Errorf("history of M2234567802: %+v, %v; want 2 versions, 证件号码 kept as the record is stored", vs, err)
		}
		var live int
		if err := db.Read().QueryRowContext(f.ctx, `SELECT live_records FROM record_entry_stats WHERE entry_id = $1`, document).Scan(&live); err != nil || live != 1 {
			t.Errorf("live records %d, %v; want 1 (M2234567802; H12345678 cancelled)", live, err)
		}
	})
}

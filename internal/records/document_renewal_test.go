package records_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDocumentLifetimeNumber: in an entry keyed by a 证件号码, a travel
// permit's lifetime number alone (H12345678, 12345678) finds the record
// stored under the whole number of one of its permits (H1234567801,
// stored so without a 证件类型 naming the permit): reads, a change and a
// cancel by it, typed or not, meet that record, and an add by it is
// refused record_exists naming it. It was record_not_found (请先新增), and
// a typed add made a second live record of the holder. A live record
// comes before a cancelled one of an older permit; where two live whole
// numbers stored carry it, it names no one record: refused
// subject_ambiguous (409), asking for the whole number. A whole number
// whose record's 证件类型 names another kind (护照) is not the permit's.
func TestDocumentLifetimeNumber(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		document := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000141", Name: "境外人员参保信息", SubjectKind: "person",
			Items: []records.Item{{Name: "证件类型", Type: "C", Length: 20}, {Name: "证件号码", Type: "C", Length: 32, IdentifiesSubject: true},
				{Name: "姓名", Type: "C", Length: 10}}})
		e, err := records.LoadEntry(f.ctx, db.Read(), document)
		if err != nil {
			t.Fatal(err)
		}
		at := func(m int) time.Time { return monday.Add(time.Duration(m) * time.Minute) }
		untyped := func(name string) map[string]string {
			return map[string]string{"证件类型": "其他", "姓名": name}
		}
		hkmo := func(name string) map[string]string {
			return map[string]string{"证件类型": "港澳居民来往内地通行证", "姓名": name}
		}
		applied := func(what string, res records.BatchResult) {
			t.Helper()
			if res.Applied != 1 || len(res.Rejected) != 0 {
				t.Fatalf("%s: applied %d, refused %+v; want applied", what, res.Applied, res.Rejected)
			}
		}
		refused := func(what string, res records.BatchResult, code, reason string) {
			t.Helper()
			if res.Applied != 0 || len(res.Rejected) != 1 || res.Rejected[0].Code != code || reason != "" && res.Rejected[0].Reason != reason {
				t.Errorf("%s: applied %d, refused %+v; want %s %s", what, res.Applied, res.Rejected, code, reason)
			}
		}
		get := func(subject, stored, name, status string) {
			t.Helper()
			r, err := records.Get(f.ctx, db.Read(), e, subject)
			if err != nil || r.SubjectID != stored || r.Values["姓名"] != name || r.Status != status {
				t.Errorf("Get(%s): %+v, %v; want %s %s with 姓名 %s", subject, r, err, stored, status, name)
			}
		}

		applied("untyped add", f.push(f.rsjPusher, document, line("add", "H1234567801", at(0), untyped("甲"), ""), records.Options{}))
		applied("untyped add of a TW permit", f.push(f.rsjPusher, document, line("add", "1234567801", at(0), untyped("乙"), ""), records.Options{}))
		get("H12345678", "H1234567801", "甲", "active")
		get("12345678", "1234567801", "乙", "active")
		if vs, err := records.History(f.ctx, db.Read(), e, "h12345678"); err != nil || len(vs) != 1 {
			t.Errorf("History(h12345678): %+v, %v; want the version of H1234567801", vs, err)
		}
		refused("typed add of the holder", f.push(f.rsjPusher, document, line("add", "H12345678", at(1), hkmo("丙"), ""), records.Options{}),
			"record_exists", "记录已存在（H1234567801），请用 change 变更")
		applied("typed change by the lifetime number", f.push(f.rsjPusher, document, line("change", "H12345678", at(2), hkmo("丁"), ""), records.Options{}))
		get("H1234567801", "H1234567801", "丁", "active")
		applied("untyped change by the lifetime number", f.push(f.rsjPusher, document, line("change", "12345678", at(2), map[string]string{"姓名": "戊"}, ""), records.Options{}))
		get("1234567801", "1234567801", "戊", "active")
		applied("cancel by the lifetime number", f.push(f.rsjPusher, document, line("cancel", "H12345678", at(3), nil, ""), records.Options{}))
		get("H1234567801", "H1234567801", "丁", "cancelled")

		// A second permit of the lifetime number stored whole: the one
		// live record is the holder's, the cancelled one of the old
		// permit is not counted (it was: subject_ambiguous).
		applied("untyped add of a renewal", f.push(f.rsjPusher, document, line("add", "H1234567802", at(4), untyped("己"), ""), records.Options{}))
		get("H12345678", "H1234567802", "己", "active")
		applied("typed change of the one live renewal", f.push(f.rsjPusher, document, line("change", "H12345678", at(5), hkmo("庚"), ""), records.Options{}))
		get("H1234567802", "H1234567802", "庚", "active")
		// A third permit stored whole and live: two live records begin
		// with the lifetime number, which names no one record.
		applied("untyped add of a third permit", f.push(f.rsjPusher, document, line("add", "H1234567803", at(5), untyped("子"), ""), records.Options{}))
		const ambiguous = "证件号码 H12345678 是港澳居民来往内地通行证号码的终身号码，本数据资源中有2条记录的证件号码是以它开头的完整号码（终身号码后加2位换证次数），无法确定是哪一条，请填写完整的证件号码"
		_, err = records.Get(f.ctx, db.Read(), e, "H12345678")
		if x := errs.As(err); x == nil || x.Code != "subject_ambiguous" || x.Kind != errs.Conflict || x.Message != ambiguous {
			t.Errorf("Get(H12345678) of two live renewals: %v; want subject_ambiguous %s", err, ambiguous)
		}
		if _, err := records.History(f.ctx, db.Read(), e, "H12345678"); errs.As(err) == nil || errs.As(err).Code != "subject_ambiguous" {
			t.Errorf("History(H12345678) of two live renewals: %v; want subject_ambiguous", err)
		}
		res := f.push(f.rsjPusher, document, line("change", "H12345678", at(6), hkmo("丑"), "")+line("add", "E12345678", at(6), untyped("辛"), ""), records.Options{})
		refused("change of two live renewals", res, "subject_ambiguous", ambiguous)
		if len(res.Rejected) == 1 && res.Rejected[0].Field != "subject_id" {
			t.Errorf("refused on %q, want subject_id", res.Rejected[0].Field)
		}
		pushes := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		_, err = pushes.Push(f.rsjPusher, document, records.Op{Op: "cancel", SubjectID: "H12345678", ProducedAt: at(6)})
		if x := errs.As(err); x == nil || x.Code != "subject_ambiguous" || x.Kind != errs.Conflict || x.Field != "subject_id" {
			t.Errorf("real-time cancel of two live renewals: %v; want a subject_ambiguous conflict", err)
		}
		get("H1234567802", "H1234567802", "庚", "active")
		get("H1234567801", "H1234567801", "丁", "cancelled")

		// A whole number stored as a passport's is no permit's.
		applied("passport", f.push(f.rsjPusher, document, line("add", "M2234567801", at(0), map[string]string{"证件类型": "护照", "姓名": "壬"}, ""), records.Options{}))
		if _, err := records.Get(f.ctx, db.Read(), e, "M22345678"); errs.As(err) == nil || errs.As(err).Code != "record_not_found" {
			t.Errorf("Get(M22345678) of a passport M2234567801: %v; want record_not_found", err)
		}
		applied("typed add of another holder", f.push(f.rsjPusher, document, line("add", "M22345678", at(1), hkmo("癸"), ""), records.Options{}))
		get("M22345678", "M22345678", "癸", "active")
		get("M2234567801", "M2234567801", "壬", "active")
	})
}

// TestDocumentLifetimeNumberBatch: a batch of new holders' typed permit
// numbers, each a lifetime number stored under no form, looks for their
// permits stored whole with one range of the subjects' index each, and
// is applied: the hundred whole numbers of each, read by name, were more
// parameters than SQLite takes in a chunk of 500 (too many SQL variables).
func TestDocumentLifetimeNumberBatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		document := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000142", Name: "境外人员参保信息", SubjectKind: "person",
			Items: []records.Item{{Name: "证件类型", Type: "C", Length: 20}, {Name: "证件号码", Type: "C", Length: 32, IdentifiesSubject: true},
				{Name: "姓名", Type: "C", Length: 10}}})
		if res := f.push(f.rsjPusher, document, line("add", "H1000012301", monday, map[string]string{"姓名": "旧"}, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("untyped add: %+v", res)
		}
		const n = 1200
		batch := func(skip int) string {
			var b strings.Builder
			for i := range n {
				if i != skip {
					b.WriteString(line("add", fmt.Sprintf("H1%07d", i), monday.Add(time.Minute), map[string]string{"证件类型": "回乡证", "姓名": "新"}, ""))
				}
			}
			return b.String()
		}
		res := f.push(f.rsjPusher, document, batch(-1), records.Options{})
		if res.Applied != 0 || len(res.Rejected) != 1 || res.Rejected[0].Line != 124 || res.Rejected[0].Code != "record_exists" ||
			res.Rejected[0].Reason != "记录已存在（H1000012301），请用 change 变更" {
			t.Errorf("batch of %d lifetime numbers: applied %d, refused %+v; want line 124 (H10000123, stored whole) refused record_exists", n, res.Applied, res.Rejected)
		}
		if res := f.push(f.rsjPusher, document, batch(123), records.Options{}); res.Applied != n-1 || len(res.Rejected) != 0 {
			t.Errorf("batch of %d new holders: applied %d, refused %+v; want all applied", n-1, res.Applied, res.Rejected)
		}
	})
}

// TestLifetimeNumberCancelledRenewal: a cancelled record of a holder's
// old permit does not make the lifetime number ambiguous: with
// H2234567801 cancelled and H2234567802 live, a typed change by H22345678
// meets H2234567802 (it was refused subject_ambiguous, 有2条记录). And
// with only a cancelled H3234567801 stored, a typed add by H32345678 adds
// a new record under the lifetime number as typed (it revived
// H3234567801's), which reads and changes by either form of the holder
// then find, the live one first.
func TestLifetimeNumberCancelledRenewal(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		document := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000142", Name: "境外人员参保信息", SubjectKind: "person",
			Items: []records.Item{{Name: "证件类型", Type: "C", Length: 20}, {Name: "证件号码", Type: "C", Length: 32, IdentifiesSubject: true},
				{Name: "姓名", Type: "C", Length: 10}}})
		e, err := records.LoadEntry(f.ctx, db.Read(), document)
		if err != nil {
			t.Fatal(err)
		}
		at := func(m int) time.Time { return monday.Add(time.Duration(m) * time.Minute) }
		untyped := map[string]string{"证件类型": "其他", "姓名": "甲"}
		hkmo := func(name string) map[string]string {
			return map[string]string{"证件类型": "港澳居民来往内地通行证", "姓名": name}
		}
		push := func(what, body string) {
			t.Helper()
			if res := f.push(f.rsjPusher, document, body, records.Options{}); res.Applied != 1 || len(res.Rejected) != 0 {
				t.Fatalf("%s: applied %d, refused %+v; want applied", what, res.Applied, res.Rejected)
			}
		}
		get := func(subject, stored, name, status string) {
			t.Helper()
			r, err := records.Get(f.ctx, db.Read(), e, subject)
			if err != nil || r.SubjectID != stored || r.Values["姓名"] != name || r.Status != status {
				t.Errorf("Get(%s): %+v, %v; want %s %s with 姓名 %s", subject, r, err, stored, status, name)
			}
		}

		push("untyped add", line("add", "H2234567801", at(0), untyped, ""))
		push("cancel", line("cancel", "H2234567801", at(1), nil, ""))
		push("untyped add of the renewal", line("add", "H2234567802", at(2), untyped, ""))
		push("typed change by the lifetime number", line("change", "H22345678", at(3), hkmo("乙"), ""))
		get("H22345678", "H2234567802", "乙", "active")
		get("H2234567801", "H2234567801", "甲", "cancelled")

		push("untyped add", line("add", "H3234567801", at(0), untyped, ""))
		push("cancel", line("cancel", "H3234567801", at(1), nil, ""))
		get("H32345678", "H3234567801", "甲", "cancelled")
		push("typed add by the lifetime number", line("add", "H32345678", at(2), hkmo("丙"), ""))
		get("H32345678", "H32345678", "丙", "active")
		get("H3234567801", "H32345678", "丙", "active")
		push("typed change by the lifetime number", line("change", "H32345678", at(3), hkmo("丁"), ""))
		get("H32345678", "H32345678", "丁", "active")
	})
}

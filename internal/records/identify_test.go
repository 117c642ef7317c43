package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIdentifyingItems: an item that identifies the subject holds the
// identifier of the entry's subject kind (a citizen ID in a person's
// entry, a credit code or organisation code in a legal entity's), not
// any identifier; where an entry has one such item, its value is the
// record's subject_id; where it has several (both parties of a marriage),
// subject_id is one of them.
func TestIdentifyingItems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		companies := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "102001/000001", Name: "企业登记信息", SubjectKind: "legal_entity",
			Items: []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "企业名称", Type: "C", Length: 50}}})
		marriages := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "103001/000001", Name: "婚姻登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "男方公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "女方公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "登记类型", Type: "C", Length: 10}}})
		p1, p2, p3 := recordstest.CitizenID(1), recordstest.CitizenID(2), recordstest.CitizenID(3)
		uscc := recordstest.USCC(1)
		for _, c := range []struct {
			name    string
			entry   int64
			subject string
			vals    map[string]string
			code    string // "" applied
		}{
			{"person: own citizen ID", f.hj, p1, map[string]string{"公民身份号码": p1, "姓名": "甲"}, ""},
			{"person: 15-digit form of it", f.sb, p2, map[string]string{"身份证号": p2[:6] + p2[8:17], "姓名": "乙"}, ""},
			{"person: a credit code", f.hj, p3, map[string]string{"公民身份号码": uscc, "姓名": "丙"}, "invalid_citizen_id"},
			{"person: another's citizen ID", f.hj, p3, map[string]string{"公民身份号码": p2, "姓名": "丙"}, "subject_mismatch"},
			{"company: its credit code", companies, uscc, map[string]string{"统一社会信用代码": uscc, "企业名称": "某公司"}, ""},
			{"company: a citizen ID", companies, recordstest.USCC(2), map[string]string{"统一社会信用代码": p1}, "invalid_uscc"},
			{"marriage: the husband's record", marriages, p1, map[string]string{"男方公民身份号码": p1, "女方公民身份号码": p2}, ""},
			{"marriage: the wife's record", marriages, p2, map[string]string{"男方公民身份号码": p1, "女方公民身份号码": p2}, ""},
			{"marriage: a third person", marriages, p3, map[string]string{"男方公民身份号码": p1, "女方公民身份号码": p2}, "subject_mismatch"},
			{"marriage: one party given", marriages, p3, map[string]string{"男方公民身份号码": p3, "登记类型": "结婚"}, ""},
			{"marriage: a credit code", marriages, p3, map[string]string{"女方公民身份号码": uscc}, "invalid_citizen_id"},
		} {
			by := f.pusher
			if c.entry == f.sb {
				by = f.rsjPusher
			}
			res := f.push(by, c.entry, line("add", c.subject, monday, c.vals, ""), records.Options{})
			switch {
			case c.code == "" && (res.Applied != 1 || res.RejectedCount != 0):
				t.Errorf("%s: %+v, want applied", c.name, res)
			case c.code != "" && (res.RejectedCount != 1 || res.Rejected[0].Code != c.code):
				t.Errorf("%s: %+v, want %s", c.name, res, c.code)
			}
		}
		// A change is checked as an add is.
		res := f.push(f.pusher, f.hj, line("change", p1, monday, map[string]string{"公民身份号码": p2}, ""), records.Options{})
		if res.RejectedCount != 1 || res.Rejected[0].Code != "subject_mismatch" || res.Rejected[0].Field != "公民身份号码" {
			t.Errorf("change to another's citizen ID: %+v", res)
		}
	})
}

// TestIdentifyingItemsAfterChange: where an entry has several identifying
// items (a marriage's parties), a change is checked on the values the
// record holds after it, not on its own: one that sets a party's citizen
// ID so that neither party is subject_id any more is refused
// (subject_mismatch, on the item it sets), in a batch against the record
// as stored and as earlier lines leave it, and pushed alone; a change of
// the other party, or clearing one, is applied.
func TestIdentifyingItemsAfterChange(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		marriages := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "103001/000001", Name: "婚姻登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "男方公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "女方公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "登记类型", Type: "C", Length: 10}}})
		p1, p2, p3, p4 := recordstest.CitizenID(1), recordstest.CitizenID(2), recordstest.CitizenID(3), recordstest.CitizenID(4)
		push := func(lines string) records.BatchResult {
			t.Helper()
			return f.push(f.pusher, marriages, lines, records.Options{})
		}
		if res := push(line("add", p1, monday, map[string]string{"男方公民身份号码": p1, "女方公民身份号码": p2, "登记类型": "结婚"}, "") +
			line("add", p3, monday, map[string]string{"男方公民身份号码": p3, "女方公民身份号码": p4, "登记类型": "结婚"}, "")); res.Applied != 2 {
			t.Fatalf("adds: %+v", res)
		}
		mismatch := func(name string, res records.BatchResult, line int, field string) {
			t.Helper()
			if res.RejectedCount != 1 || res.Rejected[0].Line != line || res.Rejected[0].Code != "subject_mismatch" ||
				res.Rejected[0].Field != field || !strings.Contains(res.Rejected[0].Reason, p1) {
				t.Errorf("%s: %+v, want line %d subject_mismatch on %s", name, res, line, field)
			}
		}
		// The husband's record given another husband: neither party is p1.
		mismatch("husband replaced", push(line("change", p1, monday, map[string]string{"男方公民身份号码": p3}, "")), 1, "男方公民身份号码")
		// The wife replaced by an earlier line, then the husband by a later one.
		mismatch("wife, then husband replaced", push(line("change", p1, monday, map[string]string{"女方公民身份号码": p4}, "")+
			line("change", p1, monday.Add(time.Minute), map[string]string{"男方公民身份号码": p3}, "")), 2, "男方公民身份号码")
		pushes := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		_, err := pushes.Push(f.pusher, marriages, records.Op{Op: "change", SubjectID: p1, ProducedAt: monday,
			Values: map[string]string{"男方公民身份号码": p4, "登记类型": "离婚"}})
		if e := errs.As(err); e == nil || e.Code != "subject_mismatch" || e.Field != "男方公民身份号码" {
			t.Errorf("husband replaced, pushed alone: %v, want subject_mismatch", err)
		}
		// Changes that leave p1 among the parties, or leave a party out.
		if res := push(line("change", p1, monday, map[string]string{"女方公民身份号码": p4}, "") +
			line("change", p3, monday, map[string]string{"男方公民身份号码": ""}, "")); res.Applied != 2 || res.RejectedCount != 0 {
			t.Errorf("the wife replaced, a party cleared: %+v, want applied", res)
		}
		e := mustEntry(t, db, marriages)
		if r, err := records.Get(f.ctx, db.Read(), e, p1); err != nil || r.Values["男方公民身份号码"] != p1 || r.Values["女方公民身份号码"] != p4 {
			t.Errorf("record of p1: %+v %v", r, err)
		}
	})
}

// TestBatchWarningsKept: the warnings of a batch's lines are stored with
// it: a replay under its Idempotency-Key answers them again, as its first
// answer did, the batch's detail lists them and the list of batches
// counts them. A batch without warnings has none.
func TestBatchWarningsKept(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		firms := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "102001/000001", Name: "企业登记信息", SubjectKind: "legal_entity",
			Items: []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "企业名称", Type: "C", Length: 50}}})
		const early1, early2 = "91350100M0001TGQXM", "91350211M0000XUF46"
		lines := line("add", early1, monday, map[string]string{"企业名称": "甲公司"}, "") +
			line("add", recordstest.USCC(1), monday, map[string]string{"企业名称": "乙公司"}, "") +
			line("add", early2, monday, map[string]string{"统一社会信用代码": early2, "企业名称": "丙公司"}, "")
		first := f.push(f.pusher, firms, lines, records.Options{BatchKey: "b1"})
		if first.WarningCount != 2 || len(first.Warnings) != 2 {
			t.Fatalf("first answer: %+v, want 2 warnings", first)
		}
		again := f.push(f.pusher, firms, lines, records.Options{BatchKey: "b1"})
		if diff := cmp.Diff(first.Warnings, again.Warnings); !again.Replayed || again.WarningCount != 2 || diff != "" {
			t.Errorf("replay: replayed %v, %d warnings, want the first answer's (-want +got):\n%s", again.Replayed, again.WarningCount, diff)
		}
		stored, _, err := records.Batch(f.ctx, db.Read(), first.BatchID)
		if diff := cmp.Diff(first.Warnings, stored.Warnings); err != nil || stored.WarningCount != 2 || diff != "" {
			t.Errorf("batch %d: %d warnings, %v, want the first answer's (-want +got):\n%s", first.BatchID, stored.WarningCount, err, diff)
		}
		plain := f.push(f.pusher, firms, line("add", recordstest.USCC(2), monday, map[string]string{"企业名称": "丁公司"}, ""), records.Options{})
		if stored, _, err := records.Batch(f.ctx, db.Read(), plain.BatchID); err != nil || stored.WarningCount != 0 || stored.Warnings != nil {
			t.Errorf("batch without warnings: %+v %v", stored, err)
		}
		bs, _, err := records.Batches(f.ctx, db.Read(), records.BatchFilter{EntryID: firms})
		if err != nil || len(bs) != 2 || bs[0].BatchID != plain.BatchID || bs[0].WarningCount != 0 || bs[1].WarningCount != 2 {
			t.Errorf("batches: %+v %v, want 0 and 2 warnings", bs, err)
		}
	})
}

// TestEarlyCreditCodes: a company's credit code whose check character is
// wrong (real early codes fail the check) is accepted, as subject_id and
// as the item identifying the subject, with a warning per line
// (uscc_check_digit) in the batch's result and in a pushed operation's;
// any other defect is still refused. The code is kept as issued, only
// upper-cased, so that every source and every reader of that company
// names the same subject: its records are cross-checked and read.
func TestEarlyCreditCodes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		items := []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "企业名称", Type: "C", Length: 50}}
		firms := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "102001/000001", Name: "企业登记信息", SubjectKind: "legal_entity", Items: items})
		insured := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315002/000001", Name: "参保单位信息", SubjectKind: "legal_entity", Items: items})
		const early1, early2 = "91350100M0001TGQXM", "91350211M0000XUF46" // check characters 1 and R
		valid := recordstest.USCC(1)
		res := f.push(f.pusher, firms, line("add", strings.ToLower(early1), monday, map[string]string{"统一社会信用代码": early1, "企业名称": "甲公司"}, "")+
			line("add", valid, monday, map[string]string{"企业名称": "乙公司"}, "")+
			line("add", " "+early2+" ", monday, map[string]string{"企业名称": "丙公司"}, ""), records.Options{})
		if res.Applied != 3 || res.RejectedCount != 0 || res.WarningCount != 2 || len(res.Warnings) != 2 {
			t.Fatalf("early codes: %+v, want 3 applied with 2 warnings", res)
		}
		for i, want := range []struct {
			line  int
			check string
		}{{1, "应为 1"}, {3, "应为 R"}} {
			if w := res.Warnings[i]; w.Line != want.line || w.Code != "uscc_check_digit" || w.Field != "subject_id" || !strings.Contains(w.Reason, want.check) {
				t.Errorf("warning %d = %+v, want line %d uscc_check_digit %s", i, w, want.line, want.check)
			}
		}
		// Every other defect of a code is refused as before, and a
		// citizen ID, which fails a credit code's check, is not taken for
		// an early code.
		for _, bad := range []struct{ code, want string }{{"91350100M0001TGQXI", "invalid_uscc"}, {"9135010AM0001TGQXM", "invalid_uscc"},
			{"91350100M0001TGQX", "invalid_identifier"}, {recordstest.CitizenID(1), "invalid_uscc"}} {
			res := f.push(f.pusher, firms, line("add", bad.code, monday, map[string]string{"企业名称": "丁公司"}, ""), records.Options{})
			if res.RejectedCount != 1 || res.Rejected[0].Code != bad.want || res.WarningCount != 0 {
				t.Errorf("%s: %+v, want %s", bad.code, res, bad.want)
			}
		}
		// The other source names the company by the same code, pushed in
		// real time: the answer warns too, and the names are cross-checked.
		pushes := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		one, err := pushes.Push(f.rsjPusher, insured, records.Op{Op: "add", SubjectID: early1, ProducedAt: monday,
			Values: map[string]string{"企业名称": "甲有限公司"}})
		if err != nil || one.Applied != 1 || one.WarningCount != 1 || len(one.Warnings) != 1 || one.Warnings[0].Line != 1 ||
			one.Warnings[0].Code != "uscc_check_digit" {
			t.Fatalf("pushed alone: %+v %v, want applied with a warning on line 1", one, err)
		}
		open, _, err := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{Status: "open", DepartmentID: f.gaj}, f.receivedAt)
		if err != nil || len(open) != 1 || open[0].SubjectID != early1 || open[0].ValueA != "甲公司" {
			t.Fatalf("discrepancies = %+v %v, want 企业名称 of %s", open, err, early1)
		}
		// Read by the code in any case.
		for _, subject := range []string{early1, strings.ToLower(early1)} {
			r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, firms), subject)
			if err != nil || r.SubjectID != early1 || r.Values["企业名称"] != "甲公司" || len(r.Disputed) != 1 {
				t.Errorf("read %s: %+v %v", subject, r, err)
			}
		}
		// Nor is a citizen ID with a mistyped character, whichever its
		// check digit: eighteen digits are checked as a credit code
		// strictly, the one right credit-code check character aside.
		const typo = "11010119900307123" // a citizen ID's first 17 digits, check 3
		if want, err := ident.USCCCheck(typo); err != nil || want != '8' {
			t.Fatalf("USCCCheck(%s) = %c, %v", typo, want, err)
		}
		for _, c := range "0124567X9" {
			res := f.push(f.pusher, firms, line("add", typo+string(c), monday, map[string]string{"企业名称": "戊公司"}, ""), records.Options{})
			if res.RejectedCount != 1 || res.Rejected[0].Code != "invalid_uscc" || res.WarningCount != 0 {
				t.Errorf("%s%c: %+v, want invalid_uscc", typo, c, res)
			}
			res = f.push(f.pusher, firms, line("add", valid, monday, map[string]string{"统一社会信用代码": typo + string(c)}, ""), records.Options{})
			if res.RejectedCount != 1 || res.Rejected[0].Code != "invalid_uscc" || res.Rejected[0].Field != "统一社会信用代码" {
				t.Errorf("%s%c as the identifying item: %+v, want invalid_uscc", typo, c, res)
			}
		}
		// A citizen ID's check digit is still checked.
		p := recordstest.CitizenID(1)
		wrong := p[:17] + map[bool]string{true: "1", false: "2"}[p[17] != '1']
		if res := f.push(f.pusher, f.hj, line("add", wrong, monday, map[string]string{"姓名": "甲"}, ""), records.Options{}); res.RejectedCount != 1 ||
			res.Rejected[0].Code != "invalid_citizen_id" {
			t.Errorf("citizen ID with a wrong check digit: %+v", res)
		}
	})
}

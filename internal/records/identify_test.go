package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
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

package records_test

import (
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPushByDocumentKind: a person's entry keyed by a 护照号码, a travel
// permit's number or a 证件号码 takes records whose subject_id and
// identifying item hold that document's number, checked by its form (a
// foreign passport's as letters and digits, a permit's as H/M and 8
// digits), not as a citizen ID; an entry keyed by 公民身份号码 still takes
// only citizen IDs. The cross-check, the discrepancy list, record reads
// and the audit filter read the subject in the one canonical form the
// push stored (E12345678 for e12345678; a permit's lifetime number
// H12345678 for H1234567801). A passport number, which states no birth
// date or sex, is not compared with them (subject_id_mismatch).
func TestPushByDocumentKind(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		passport := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000101", Name: "出入境人员信息", SubjectKind: "person",
			Items: []records.Item{{Name: "护照号码", Type: "C", Length: 20, IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10},
				{Name: "出生日期", Type: "D"}, {Name: "性别", Type: "C", Length: 2}}})
		document := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000101", Name: "境外人员参保信息", SubjectKind: "person",
			Items: []records.Item{{Name: "证件类型", Type: "C", Length: 10}, {Name: "证件号码", Type: "C", Length: 32, IdentifiesSubject: true},
				{Name: "姓名", Type: "C", Length: 10}}})
		permit := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000102", Name: "港澳居民登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "港澳居民来往内地通行证号码", Type: "C", Length: 11, IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10}}})

		res := f.push(f.pusher, passport, line("add", "e12345678", monday, map[string]string{"护照号码": "Ｅ12345678", "姓名": "甲"}, "")+
			line("add", "C01X00T47", monday, map[string]string{"姓名": "Anna", "出生日期": "1990-01-01", "性别": "女"}, ""), records.Options{})
		if res.Applied != 2 || res.RejectedCount != 0 || len(res.Warnings) != 0 {
			t.Fatalf("passports: %+v, want 2 applied, no warning (a passport states no birth date)", res)
		}
		res = f.push(f.pusher, passport, line("add", "E1234 5678", monday, map[string]string{"姓名": "乙"}, "")+
			line("add", "G12345678", monday, map[string]string{"护照号码": "张三"}, ""), records.Options{})
		var got []string
		for _, r := range res.Rejected {
			got = append(got, r.Code+":"+r.Field)
		}
		if want := []string{"invalid_passport:subject_id", "invalid_passport:护照号码"}; !slices.Equal(got, want) {
			t.Errorf("bad passports refused %q, want %q", got, want)
		}
		res = f.push(f.pusher, f.hj, line("add", "E12345678", monday, map[string]string{"姓名": "甲"}, ""), records.Options{})
		if len(res.Rejected) != 1 || res.Rejected[0].Code != "invalid_citizen_id" {
			t.Errorf("passport in a citizen ID entry: %+v, want invalid_citizen_id", res.Rejected)
		}

		// 人社局 keys by 证件号码: the same passport is the same subject,
		// and its other name a discrepancy.
		res = f.push(f.rsjPusher, document, line("add", "E12345678", monday, map[string]string{"证件类型": "护照", "姓名": "甲某"}, "")+
			line("add", recordstest.CitizenID(1), monday, map[string]string{"证件类型": "居民身份证", "姓名": "丙"}, ""), records.Options{})
		if res.Applied != 2 || res.RejectedCount != 0 {
			t.Fatalf("证件号码: %+v, want 2 applied", res)
		}
		forms, err := records.ParseSubject("e12345678")
		if err != nil {
			t.Fatal(err)
		}
		ds, _, err := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{Subject: forms}, f.receivedAt)
		if err != nil || len(ds) != 1 || ds[0].SubjectID != "E12345678" || ds[0].ItemKey != "姓名" {
			t.Errorf("discrepancies of e12345678: %+v, %v; want one of E12345678 on 姓名", ds, err)
		}
		if forms := records.AuditSubjectForms("e12345678"); !slices.Contains(forms, "E12345678") {
			t.Errorf("audit forms %q, want E12345678 among them", forms)
		}

		e, err := records.LoadEntry(f.ctx, db.Read(), passport)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := records.Get(f.ctx, db.Read(), e, " ｅ１２３４５６７８ "); err != nil || r.SubjectID != "E12345678" ||
			r.Values["姓名"] != "甲" || r.Values["护照号码"] != "E12345678" {
			t.Errorf("record of ｅ１２３４５６７８: %+v, %v", r, err)
		}
		if vs, err := records.History(f.ctx, db.Read(), e, "c01x00t47"); err != nil || len(vs) != 1 {
			t.Errorf("history of c01x00t47: %+v, %v", vs, err)
		}

		res = f.push(f.pusher, permit, line("add", "H1234567801", monday, map[string]string{"港澳居民来往内地通行证号码": "H1234567801", "姓名": "丁"}, ""), records.Options{})
		if res.Applied != 1 {
			t.Errorf("permit: %+v, want applied", res)
		}
		res = f.push(f.pusher, permit, line("add", "C12345678", monday, map[string]string{"姓名": "戊"}, ""), records.Options{})
		if len(res.Rejected) != 1 || res.Rejected[0].Code != "invalid_travel_permit" {
			t.Errorf("permit C12345678: %+v, want invalid_travel_permit", res)
		}
		pe, err := records.LoadEntry(f.ctx, db.Read(), permit)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := records.Get(f.ctx, db.Read(), pe, "H12345678"); err != nil || r.Values["港澳居民来往内地通行证号码"] != "H12345678" {
			t.Errorf("record of H12345678: %+v, %v", r, err)
		}
	})
}

// TestMixedSubjectKinds: where an entry's identifying items hold two
// kinds of number (a marriage of a citizen and a foreigner), subject_id
// is either, and one that is neither is refused naming both.
func TestMixedSubjectKinds(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		marriage := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000103", Name: "涉外婚姻登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "男方公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "女方护照号码", Type: "C", Length: 20, IdentifiesSubject: true}, {Name: "出生日期", Type: "D"}}})
		p := recordstest.CitizenID(3)
		res := f.push(f.pusher, marriage, line("add", p, monday, map[string]string{"男方公民身份号码": p, "女方护照号码": "k12345678"}, "")+
			line("add", "K12345678", monday, map[string]string{"男方公民身份号码": p, "女方护照号码": "K12345678", "出生日期": "1990-01-01"}, ""), records.Options{})
		if res.Applied != 2 || len(res.Warnings) != 0 {
			t.Fatalf("marriages: %+v, want 2 applied, no warning for a passport's birth date", res)
		}
		res = f.push(f.pusher, marriage, line("add", "K1", monday, map[string]string{"出生日期": "1990-01-01"}, ""), records.Options{})
		want := records.LineError{Line: 1, Code: "invalid_identifier", Field: "subject_id",
			Reason: "不是本数据资源标识主体的任何一种证件号码：公民身份号码长度应为18位（旧版15位），实际为2位；护照号码长度应为5至20位，实际为2位"}
		if len(res.Rejected) != 1 || res.Rejected[0] != want {
			t.Errorf("K1: %+v, want %+v", res.Rejected, want)
		}
	})
}

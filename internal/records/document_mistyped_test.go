package records_test

import (
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDocumentRefusesMistypedCode: an entry keyed by a 证件号码 or a
// 护照号码 refuses, as subject_id and in its identifying item, a citizen
// ID with a digit missing (17 digits) or one too many (19) and a credit
// code with a letter no credit code holds, as ParseSubject refuses them:
// they were applied, and their subject could then not be filtered (the
// discrepancy filter answered 400 invalid_identifier). It refuses a
// number with a letter of another script too (a Cyrillic Е like the
// Latin E), which made a second subject of one person's number. (Under a
// 证件类型 naming a kind, 居民身份证, they are that kind's numbers:
// TestDocumentNumberByType.) A valid
// citizen ID, a passport's number and a Chinese officer's ID are still
// taken, and ParseSubject reads each back to the form stored.
func TestDocumentRefusesMistypedCode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		document := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000111", Name: "境外人员参保信息", SubjectKind: "person",
			Items: []records.Item{{Name: "证件类型", Type: "C", Length: 10}, {Name: "证件号码", Type: "C", Length: 32, IdentifiesSubject: true},
				{Name: "姓名", Type: "C", Length: 10}}})
		passport := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000111", Name: "出入境人员信息", SubjectKind: "person",
			Items: []records.Item{{Name: "护照号码", Type: "C", Length: 20, IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10}}})

		marriage := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000112", Name: "涉外婚姻登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "男方公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "女方证件号码", Type: "C", Length: 32, IdentifiesSubject: true}}})
		for i, s := range []string{"11010519491231002", "1101051949123100211", "91350100I000100Y43", "\u041512345678"} {
			man := recordstest.CitizenID(10 + i)
			if _, err := records.ParseSubject(s); err == nil {
				t.Fatalf("ParseSubject(%q) took it", s)
			}
			for _, c := range []struct {
				entry  int64
				pusher records.Pusher
				body   string
				want   string
			}{
				{document, f.rsjPusher, line("add", s, monday, map[string]string{"证件类型": "其他", "姓名": "甲"}, ""), "invalid_document_number:subject_id"},
				{passport, f.pusher, line("add", s, monday, map[string]string{"姓名": "甲"}, ""), "invalid_passport:subject_id"},
				{marriage, f.pusher, line("add", man, monday, map[string]string{"男方公民身份号码": man, "女方证件号码": s}, ""), "invalid_document_number:女方证件号码"},
			} {
				res := f.push(c.pusher, c.entry, c.body, records.Options{})
				if res.Applied != 0 || len(res.Rejected) != 1 || res.Rejected[0].Code+":"+res.Rejected[0].Field != c.want {
					t.Errorf("%s to entry %d: applied %d, refused %+v; want it refused %s", s, c.entry, res.Applied, res.Rejected, c.want)
				}
			}
		}

		taken := map[string]string{recordstest.CitizenID(5): recordstest.CitizenID(5), "e12345678": "E12345678", "南字第0123456号": "南字第0123456号"}
		var body string
		for s := range taken {
			body += line("add", s, monday, map[string]string{"证件类型": "其他", "姓名": "丙"}, "")
		}
		if res := f.push(f.rsjPusher, document, body, records.Options{}); res.Applied != len(taken) {
			t.Fatalf("valid numbers: %+v, want %d applied", res, len(taken))
		}
		for s, stored := range taken {
			forms, err := records.ParseSubject(s)
			if err != nil || forms.Person != stored && !slices.Contains(forms.Documents, stored) {
				t.Errorf("ParseSubject(%q) = %+v, %v; want the stored %q among its forms", s, forms, err, stored)
			}
		}
	})
}

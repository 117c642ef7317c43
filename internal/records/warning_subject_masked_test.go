package records_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestWarningSubjectMaskedPassport: a warning's subject_id_masked shows
// no letter or digit of a person's passport or permit number, which no run
// of 15 letters and digits the request log masks would catch (it showed
// E12345678 whole), and a citizen ID's first 6 and last 2 characters as
// before; a legal entity's credit code is masked as the request log masks
// it.
func TestWarningSubjectMaskedPassport(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		person := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000161", Name: "境外人员参保信息", SubjectKind: "person",
			Items: []records.Item{{Name: "证件类型", Type: "C", Length: 20}, {Name: "证件号码", Type: "C", Length: 32, IdentifiesSubject: true},
				{Name: "单位证件类型", Type: "C", Length: 20}, {Name: "单位证件号码", Type: "C", Length: 32}}})
		company := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000162", Name: "参保单位信息", SubjectKind: "legal_entity",
			Items: []records.Item{{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "投资人证件类型", Type: "C", Length: 20}, {Name: "投资人证件号码", Type: "C", Length: 32}}})
		// 91350100M000100Y4A: a credit code whose check character should
		// be 3, accepted with a warning.
		employer := map[string]string{"单位证件类型": "统一社会信用代码", "单位证件号码": "91350100M000100Y4A"}
		citizen := recordstest.CitizenID(1)
		res := f.push(f.rsjPusher, person, line("add", "E12345678", monday, employer, "")+
			line("add", "H1234567801", monday, employer, "")+
			line("add", citizen, monday, employer, ""), records.Options{})
		c1 := recordstest.USCC(1)
		res2 := f.push(f.rsjPusher, company, line("add", c1, monday,
			map[string]string{"投资人证件类型": "统一社会信用代码", "投资人证件号码": "91350100M000100Y4A"}, ""), records.Options{})
		want := []string{"*********", "***********", citizen[:6] + "**********" + citizen[16:], c1[:6] + "**********" + c1[16:]}
		ws := append(res.Warnings, res2.Warnings...)
		if res.Applied != 3 || res2.Applied != 1 || len(ws) != len(want) {
			t.Fatalf("applied %d and %d, warnings %+v; want 3 and 1 applied, %d warnings", res.Applied, res2.Applied, ws, len(want))
		}
		for i, w := range ws {
			if w.Code != "uscc_check_digit" || w.SubjectMasked != want[i] {
				t.Errorf("warning %d: %s subject_id_masked %q, want uscc_check_digit %q", i, w.Code, w.SubjectMasked, want[i])
			}
		}
		b, _, err := records.Batch(f.ctx, db.Read(), res.BatchID)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Warnings) != 3 {
			t.Fatalf("stored warnings %+v; want the batch's 3", b.Warnings)
		}
		for i, w := range b.Warnings {
			if w.SubjectMasked != want[i] {
				t.Errorf("stored warning %d: subject_id_masked %q, want %q", i, w.SubjectMasked, want[i])
			}
		}
	})
}

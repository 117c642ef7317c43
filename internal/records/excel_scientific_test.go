package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestExcelScientificRefused: a long number that Excel turned into
// scientific notation (an 18-digit number typed into a cell not formatted
// as text is saved as 4.40605E+17) is refused in a CSV file's text item,
// and as a citizen ID's subject_id, saying so and how to put it right; it
// was stored as it is in the text item, and subject_id was told its
// length. A number whose digits Excel keeps (11 digits or fewer, 1E+5,
// or a small one, 4.40605e-3) is kept, as is text that only looks like a
// number with an exponent in part, and in a JSON value any of them
// (TestExcelChecksCSVOnly). Excel shows numbers up to 9.99999999999999E+307
// so, with an exponent of three digits too (1E+100): until 2026-12-06 only
// exponents 11 to 99 were refused. An exponent beyond Excel's numbers
// (1E+308), or written with a leading zero, as Excel never shows one, is
// kept.
func TestExcelScientificRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		e := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000077", Name: "居住证信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "居住证编号", Type: "C", Length: 30}}})
		// 居住证编号 and 4.40605E+17 in GBK, as Excel on Chinese Windows saves "CSV".
		gbk := "op,subject_id,produced_at,\xbe\xd3\xd7\xa1\xd6\xa4\xb1\xe0\xba\xc5\n" +
			"add," + recordstest.CitizenID(1) + ",2026/3/2 9:00,4.40605E+17\n" +
			"add,4.40605E+17,2026/3/2 9:00,440605199001011234\n" +
			"add," + recordstest.CitizenID(2) + ",2026/3/2 9:00,1E+5\n" +
			"add," + recordstest.CitizenID(3) + ",2026/3/2 9:00,1.23457E+11\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, e, records.CSV(strings.NewReader(gbk)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := refusals(res), "2:excel_scientific_notation:居住证编号 3:excel_scientific_notation:subject_id 5:excel_scientific_notation:居住证编号"; got != want || res.Applied != 0 {
			t.Fatalf("refusals %q (applied %d), want %q", got, res.Applied, want)
		}
		if r := res.Rejected[0].Reason; !strings.Contains(r, "疑似被 Excel 转为科学计数法（4.40605E+17）：请将该列设为“文本”格式后重新输入原值") || !strings.Contains(r, "居住证编号") {
			t.Errorf("text item's reason %q", r)
		}
		if r := res.Rejected[1].Reason; !strings.Contains(r, "科学计数法（4.40605E+17）") || strings.Contains(r, "长度") {
			t.Errorf("subject_id's reason %q", r)
		}
	})
	it := records.Item{Name: "备注", Type: "C", Length: 30}
	for _, v := range []string{"4.40605e+17", "9E+17", " 1.5E+11 ", "1E+99", "1E+100", "1.5E+200", "9.99999999999999E+307", "1E+300"} {
		if _, err := records.CheckCSVValue(it, v); errs.As(err) == nil || errs.As(err).Code != "excel_scientific_notation" {
			t.Errorf("%q: %v, want excel_scientific_notation", v, err)
		}
		if got, err := records.CheckValue(it, v); err != nil || got != strings.TrimSpace(v) {
			t.Errorf("%q in JSON: %q %v, want kept", v, got, err)
		}
	}
	for _, v := range []string{"4.40605e-3", "1.5E+10", "1E+5", "0E+17", "4.40605E-17", "4.40605E17", "12E+5", "4.E+5", "E+5", "型号 1.5E+10", "1.5E+10 吨", "4,5E+3", "A4.4E+17", "4.40605", "1E+308", "1E+999", "1E+1000", "1E+017", "1E+0100"} {
		if got, err := records.CheckCSVValue(it, v); err != nil || got != strings.TrimSpace(v) {
			t.Errorf("%q: %q %v, want kept", v, got, err)
		}
	}
}

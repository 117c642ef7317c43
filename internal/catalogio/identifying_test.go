package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIdentifierInferredOnlyForOwnKind: 是否主体标识 left empty is inferred
// 是 only for an identifier of the entry's own subject kind: in an entry
// about legal entities 统一社会信用代码 is, a 身份证号 is not (the audit's
// “是否主体标识：（空） → 是（推断）”), and the entry imports with it
// unmarked; in an entry about persons 身份证号 is inferred, 统一社会信用代码
// not. Written 是, the 身份证号 of a legal-entity entry is an error of that
// item (not_subject_identifier).
func TestIdentifierInferredOnlyForOwnKind(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		entry := func(name, subject, first, second, secondID string) string {
			row := strings.Replace(strings.Replace(good(name), ",不涉及,", ","+subject+",", 1), ",编号,C,20,否,", ","+first+",C,18,,", 1)
			return row + ",,,,,,,,,,,,,,,,,,,,,,,,,,,,," + second + ",C,18," + secondID + ",\n"
		}
		file := csvHeader + entry("企业登记信息", "法人", "统一社会信用代码", "身份证号", "") +
			entry("个体户信息", "自然人", "身份证号", "统一社会信用代码", "")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{})
		if err != nil {
			t.Fatalf("import: %v (errors %+v)", err, rep.Errors)
		}
		got := resourcesOf(t, w, w.gaj)
		if it := got["企业登记信息"].Items; len(it) != 2 || !it[0].IdentifiesSubject || it[1].IdentifiesSubject {
			t.Errorf("法人 entry: items %+v, want 统一社会信用代码 identifying, 身份证号 not", it)
		}
		if it := got["个体户信息"].Items; len(it) != 2 || !it[0].IdentifiesSubject || it[1].IdentifiesSubject {
			t.Errorf("自然人 entry: items %+v, want 身份证号 identifying, 统一社会信用代码 not", it)
		}
		for _, c := range rep.Changes {
			if c.Field == "item.identifies_subject" && (c.Row == 3 || c.Row == 5) {
				t.Errorf("row %d: change %+v, want none for the other kind's identifier", c.Row, c)
			}
		}

		rep, err = importFile(w, w.gaj, []byte(csvHeader+entry("企业信息", "法人", "统一社会信用代码", "身份证号", "是")), catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) || len(rep.Errors) != 1 || rep.Errors[0].Code != "not_subject_identifier" || rep.Errors[0].Row != 3 {
			t.Errorf("法人 entry with 身份证号 是: got err %v, errors %+v, want one not_subject_identifier on row 3", err, rep.Errors)
		}
	})
}

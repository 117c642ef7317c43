package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNoSubjectItemNotInferred: an item named as an identifier (统一社会信用代码)
// with 是否主体标识 left empty is inferred identifying only on a row whose
// 数据主体 is a person or legal entity. On a 不涉及 row it stays unmarked,
// so the row imports (an entry about no subject has no identifying
// 统一社会信用代码); written 是 there, the row is an error of that item.
func TestNoSubjectItemNotInferred(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		item := func(name, subject, id string) string {
			return strings.Replace(strings.Replace(good(name), ",不涉及,", ","+subject+",", 1), ",编号,C,20,否,", ",统一社会信用代码,C,18,"+id+",", 1)
		}
		file := csvHeader + item("企业名录统计", "不涉及", "") + item("企业登记信息", "法人", "")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{})
		if err != nil {
			t.Fatalf("import: %v (errors %+v)", err, rep.Errors)
		}
		got := resourcesOf(t, w, w.gaj)
		if it := got["企业名录统计"].Items; len(it) != 1 || it[0].IdentifiesSubject {
			t.Errorf("不涉及 row: items %+v, want 统一社会信用代码 not identifying", it)
		}
		if it := got["企业登记信息"].Items; len(it) != 1 || !it[0].IdentifiesSubject {
			t.Errorf("法人 row: items %+v, want 统一社会信用代码 inferred identifying", it)
		}
		for _, c := range rep.Changes {
			if c.Row == 2 && c.Field == "item.identifies_subject" {
				t.Errorf("不涉及 row: change %+v, want none", c)
			}
		}

		rep, err = importFile(w, w.gaj, []byte(csvHeader+item("企业名录", "不涉及", "是")), catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) || len(rep.Errors) != 1 || rep.Errors[0].Code != "unexpected_identifying_item" {
			t.Errorf("不涉及 row with 是: got err %v, errors %+v, want one unexpected_identifying_item", err, rep.Errors)
		}
	})
}

package catalogio_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// relatedRow is good(name) with resource code code, relating to related.
func relatedRow(name, code string, related ...string) string {
	row := strings.Replace(good(name), name+",,", name+","+code+",", 1)
	return strings.Replace(row, ",不涉及,,,编号,", ",不涉及,,"+strings.Join(related, "、")+",编号,", 1)
}

// entriesOf counts the department's entries.
func entriesOf(t *testing.T, w *world, dept int64) int {
	t.Helper()
	var n int
	if err := w.db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM catalog_entries WHERE department_id = $1`,
		dept).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// An import asked to submit stores every row before it submits any, so
// that entries of one file may relate to each other whatever their order;
// a row whose submission is refused (its own code, a code of no entry) is
// an error of the row on 关联资源代码, and nothing of it is stored, nor of
// a row relating to it.
func TestImportSubmitRelatedCodes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := csvHeader + relatedRow("关联甲", "301001/000001", "301001/000002") +
			relatedRow("关联乙", "301001/000002", "301001/000001")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{Submit: true})
		if err != nil || rep.Created != 2 || rep.Submitted != 2 {
			t.Fatalf("import: created %d submitted %d, err %v %+v; want both submitted", rep.Created, rep.Submitted, err, rep.Errors)
		}
		for _, en := range rep.Entries {
			e, err := catalog.Get(context.Background(), w.db.Read(), w.gaj, en.ID)
			if err != nil || e.Status != catalog.Submitted {
				t.Fatalf("%s: %s, %v; want submitted", en.Code, e.Status, err)
			}
		}

		bad := csvHeader + relatedRow("关联丙", "301001/000005", "301001/000006") + // relates to a row refused
			relatedRow("关联丁", "301001/000006", "301001/000006") + // itself
			relatedRow("关联戊", "301001/000007", "301001/000099", "301001/000001") + // no such entry
			relatedRow("关联己", "301001/000008", "301001/000001")
		before := entriesOf(t, w, w.gajID)
		rep, err = importFile(w, w.gaj, []byte(bad), catalogio.CSV, catalogio.Options{Submit: true})
		if !catalogio.Rejected(err) || entriesOf(t, w, w.gajID) != before {
			t.Fatalf("import with refused rows: err %v, %d entries; want rejected, %d entries", err, entriesOf(t, w, w.gajID), before)
		}
		rep, err = importFile(w, w.gaj, []byte(bad), catalogio.CSV, catalogio.Options{Submit: true, GoodOnly: true})
		if err != nil || rep.Created != 1 || rep.Submitted != 1 || entriesOf(t, w, w.gajID) != before+1 {
			t.Fatalf("good rows only: created %d submitted %d, err %v, %d entries; want the one good row stored (%d)",
				rep.Created, rep.Submitted, err, entriesOf(t, w, w.gajID), before+1)
		}
		want := map[int]string{2: "related_code_unknown 301001/000006", 3: "related_code_self 301001/000006",
			4: "related_code_unknown 301001/000099"}
		if len(rep.Errors) != len(want) {
			t.Fatalf("errors %+v; want rows %v", rep.Errors, want)
		}
		for _, e := range rep.Errors {
			code, named, _ := strings.Cut(want[e.Row], " ")
			if e.Code != code || e.Column != "关联资源代码" || !strings.HasPrefix(e.Field, "related_codes[") || !strings.Contains(e.Message, named) {
				t.Fatalf("row %d: %+v; want %s on 关联资源代码 naming %s", e.Row, e, code, named)
			}
		}
		if en := rep.Entries[3]; en.Action != "created" || en.Code != "301001/000008" {
			t.Fatalf("good row: %+v", en)
		}
	})
}

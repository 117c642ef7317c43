package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVFormulaText: a cell written ="…" (as many systems write an ID
// into CSV so that Excel keeps it text, and as Excel shows it: the text
// inside) is read as the text inside, unquoted (="440605…") as quoted
// ("=""440605…"""); the unquoted form was refused as a quote in an
// unquoted cell, which the clerk cannot see in Excel, and the quoted form
// stored with its = and quotes. An unquoted ="…" holding a comma, which
// Excel would split, stays a CSV error.
func TestCSVFormulaText(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		id1, id2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		csv := "op,subject_id,produced_at,姓名,户籍地址\r\n" +
			"add,=\"" + id1 + "\",2026-03-02,=\"张三\",=\"\"\r\n" +
			"\"add\",\"=\"\"" + id2 + "\"\"\",\"2026-03-02\",\"=\"\"李四\"\"\",\"=\"\"东街,1号\"\"\"\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || res.Applied != 2 {
			t.Fatalf("%+v %v, want 2 applied", res, err)
		}
		comma := "op,subject_id,produced_at,姓名,户籍地址\n" + "add," + recordstest.CitizenID(3) + ",2026-03-02,王五,=\"东街,1号\"\n"
		res, err = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(comma)), f.receivedAt, records.Options{})
		if got := refusals(res); err != nil || got != "2:malformed_csv:" {
			t.Errorf("unquoted =\"…\" with a comma: %q %v, want malformed_csv", got, err)
		}
		e := mustEntry(t, db, f.hj)
		for id, want := range map[string]map[string]string{id1: {"姓名": "张三"}, id2: {"姓名": "李四", "户籍地址": "东街,1号"}} {
			r, err := records.Get(f.ctx, db.Read(), e, id)
			if err != nil || len(r.Values) != len(want) {
				t.Errorf("%s: %+v %v, want %v", id, r.Values, err, want)
				continue
			}
			for k, v := range want {
				if r.Values[k] != v {
					t.Errorf("%s %s: %q, want %q", id, k, r.Values[k], v)
				}
			}
		}
	})
}

// TestCSVFormulaTextUnreadable: an unquoted cell beginning =" that is not
// read as the text inside (its closing quote missing, a comma inside, a
// character after the quote) is refused saying so, with its row, as Excel
// numbers it, and its column; until 2026-12-06 its line was told only
// that an unquoted cell held a quote. The rows after it are read as
// before, ="…" cells as their text, and any other stray quote keeps its
// message. So they are after a quoted cell closed by a bare CR (not of a
// CR LF), which encoding/csv refuses: until 2026-12-06 the next row's
// ="…" cell was refused too, read as if inside that quoted cell.
func TestCSVFormulaTextUnreadable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		csv := "op,subject_id,produced_at,姓名,户籍地址\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02,张三,\"东街\n1号\"\n" +
			"add," + recordstest.CitizenID(2) + ",2026-03-02,=\"李四,西街\n" +
			"add," + recordstest.CitizenID(3) + ",2026-03-02,王五,=\"北街\"x\n" +
			"add,=\"" + recordstest.CitizenID(4) + "\r\n" +
			"add,=\"" + recordstest.CitizenID(5) + "\",2026-03-02,赵六,南街\n" +
			"add," + recordstest.CitizenID(6) + ",2026-03-02,a\"b,x\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := refusals(res), "3:malformed_csv: 4:malformed_csv: 5:malformed_csv: 7:malformed_csv:"; got != want {
			t.Fatalf("refusals %q, want %q (rows 2 and 6 read)", got, want)
		}
		for i, want := range []string{
			`第 3 行第 4 列（姓名）的单元格以 =" 开头，却不是可读的 ="…" 写法：结束的引号之前有逗号`,
			`第 4 行第 5 列（户籍地址）的单元格以 =" 开头，却不是可读的 ="…" 写法：结束的引号之后还有字符`,
			`第 5 行第 2 列（subject_id）的单元格以 =" 开头，却不是可读的 ="…" 写法：缺少结束的引号`,
			"未加引号的字段中有引号",
		} {
			if r := res.Rejected[i].Reason; !strings.Contains(r, want) {
				t.Errorf("row %d: reason %q, want %q", res.Rejected[i].Line, r, want)
			}
		}
		bareCR := "op,subject_id,produced_at,姓名,户籍地址\n" +
			"add,=\"" + recordstest.CitizenID(7) + "\",2026-03-02,\"a\"\r\"b,x\n" +
			"add,=\"" + recordstest.CitizenID(8) + "\",2026-03-02,p,x\n"
		res, err = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(bareCR)), f.receivedAt, records.Options{})
		if got := refusals(res); err != nil || got != "2:malformed_csv:" {
			t.Errorf("a bare CR after a quoted cell: refusals %q, %v; want row 2's only (row 3 read)", got, err)
		}
	})
}

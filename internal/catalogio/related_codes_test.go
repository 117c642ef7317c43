package catalogio_test

import (
	"context"
	"fmt"
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
		_, err = importFile(w, w.gaj, []byte(bad), catalogio.CSV, catalogio.Options{Submit: true})
		if !catalogio.Rejected(err) || entriesOf(t, w, w.gajID) != before {
			t.Fatalf("import with refused rows: err %v, %d entries; want rejected, %d entries", err, entriesOf(t, w, w.gajID), before)
		}
		rep, err = importFile(w, w.gaj, []byte(bad), catalogio.CSV, catalogio.Options{Submit: true, GoodOnly: true})
		if err != nil || rep.Created != 1 || rep.Submitted != 1 || entriesOf(t, w, w.gajID) != before+1 {
			t.Fatalf("good rows only: created %d submitted %d, err %v, %d entries; want the one good row stored (%d)",
				rep.Created, rep.Submitted, err, entriesOf(t, w, w.gajID), before+1)
		}
		want := map[int]string{2: "related_row_failed 301001/000006", 3: "related_code_self 301001/000006",
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

// A chain of rows each naming the next one's code, the last naming a code
// of no entry, is refused whole in one extra pass at most, not one pass per
// link: the rows naming a row refused are worked out in memory, each
// reported on the code it names with the row of that code, and progress is
// reported once, never going back. Without good rows only the import is
// rejected after the first pass with the same errors.
func TestImportSubmitRelatedChain(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		const n = 100
		code := func(i int) string { return fmt.Sprintf("301001/%06d", i+1) }
		var b strings.Builder
		b.WriteString(csvHeader)
		for i := range n {
			next := code(i + 1)
			if i == n-1 {
				next = "301001/999999"
			}
			b.WriteString(relatedRow(fmt.Sprintf("链条资源%d", i), code(i), next))
		}
		for _, goodOnly := range []bool{true, false} {
			var calls [][2]int
			progress := func(done, total int) { calls = append(calls, [2]int{done, total}) }
			rep, err := importFile(w, w.gaj, []byte(b.String()), catalogio.CSV,
				catalogio.Options{Submit: true, GoodOnly: goodOnly, DryRun: true, Progress: progress})
			if goodOnly == (err != nil) || (!goodOnly && !catalogio.Rejected(err)) {
				t.Fatalf("good rows only %v: err %v", goodOnly, err)
			}
			for i, c := range calls {
				if c[1] != n || (i > 0 && c[0] <= calls[i-1][0]) {
					t.Fatalf("good rows only %v: progress %v; want rows stored once, never going back", goodOnly, calls)
				}
			}
			if len(calls) == 0 || calls[len(calls)-1][0] != n {
				t.Fatalf("good rows only %v: progress %v; want it to end at %d", goodOnly, calls, n)
			}
			if rep.Created != 0 || rep.Submitted != 0 || len(rep.Errors) != n || rep.RowsWithErrors != n {
				t.Fatalf("good rows only %v: created %d submitted %d, %d errors on %d rows; want none stored, %d errors",
					goodOnly, rep.Created, rep.Submitted, len(rep.Errors), rep.RowsWithErrors, n)
			}
			for i, e := range rep.Errors {
				want, named := "related_row_failed", code(i+1)
				if i == n-1 {
					want, named = "related_code_unknown", "301001/999999"
				}
				if e.Row != i+2 || e.Code != want || e.Column != "关联资源代码" || e.Field != "related_codes[0]" ||
					!strings.Contains(e.Message, named) ||
					(want == "related_row_failed" && !strings.Contains(e.Message, fmt.Sprintf("第 %d 行", i+3))) {
					t.Fatalf("good rows only %v: error %d %+v; want %s on row %d naming %s", goodOnly, i, e, want, i+2, named)
				}
			}
		}
	})
}

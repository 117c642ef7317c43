package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestUnnamedColumn: a column with values under a blank header cell (项代码
// merged over 项名称's column, exported blank) is named in each row
// holding a value there, unnamed_column with its number and letter, and
// the row fails; until 2026-12-06 the column was ignored without a word
// and the rows told only 项名称 is empty.
func TestUnnamedColumn(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		header := strings.Replace(csvHeader, ",项名称,", ",,", 1)
		withNote := strings.TrimSuffix(good("第三个资源"), "\n") + ",备注\n"
		data := []byte(header + good("第一个资源") + good("第二个资源") + withNote)
		rep, err := importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) {
			t.Fatalf("got %v, want import_rejected", err)
		}
		got := map[int][]string{}
		for _, e := range rep.Errors {
			if e.Code == "unnamed_column" {
				got[e.Row] = append(got[e.Row], e.Message[:strings.Index(e.Message, "没有列名")])
			}
		}
		want := map[int][]string{2: {"第 7 列（G 列）"}, 3: {"第 7 列（G 列）"}, 4: {"第 7 列（G 列）", "第 35 列（AI 列）"}}
		for row, w := range want {
			if strings.Join(got[row], "|") != strings.Join(w, "|") {
				t.Errorf("row %d: unnamed columns %v, want %v (errors %v)", row, got[row], w, rep.Errors)
			}
		}
		if rep.RowsWithErrors != 3 {
			t.Errorf("%d rows with errors, want 3", rep.RowsWithErrors)
		}
	})
}

package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportErrorsExplained: an error names the file's column where the
// file heads it otherwise (description for 摘要), an item's name too long
// names the item (信息项“…”：信息项名称不能超过 50 个字, as
// invalid_item_name does), and a cell refused as empty after its
// placeholder was cleared (摘要 暂无) says what it held.
func TestImportErrorsExplained(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		long := strings.Repeat("名", 60)
		file := strings.Replace(csvHeader, ",摘要,", ",description,", 1) +
			strings.Replace(good("甲目录"), ",摘要,", ",暂无,", 1) +
			strings.Replace(good("乙目录"), ",编号,C,", ","+long+",C,", 1) + good("丙目录")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) || len(rep.Errors) != 2 {
			t.Fatalf("got %v, errors %+v; want two", err, rep.Errors)
		}
		abstract, name := rep.Errors[0], rep.Errors[1]
		if abstract.Row != 2 || abstract.Field != "abstract" || abstract.Column != "description" ||
			!strings.HasSuffix(abstract.Message, "（原值“暂无”是占位符，按空值处理）") {
			t.Errorf("got %+v, want row 2's 摘要 in column description, saying it held 暂无", abstract)
		}
		if name.Row != 3 || name.Code != "too_long" || name.Column != "信息项名称" ||
			!strings.HasPrefix(name.Message, "信息项“"+long+"”：") {
			t.Errorf("got %+v, want row 3's item name too long, naming the item", name)
		}
	})
}

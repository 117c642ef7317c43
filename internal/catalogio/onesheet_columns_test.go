package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOneSheetWithoutItemColumns: in a one-sheet file without a column of
// item names (信息项名称), 说明 is the entry's 摘要 and 备注 or 类型 are
// ignored columns, where they were read as the data items' 说明 and 数据类型
// and their values lost, since a file without item names has no item rows.
// With a 信息项名称 column they are still the items'.
func TestOneSheetWithoutItemColumns(t *testing.T) {
	got := catalogio.Suggest([]string{"资源名称", "说明", "备注", "类型"}, false)
	if got["说明"] != "abstract" || got["备注"] != "" || got["类型"] != "" {
		t.Errorf("Suggest without item names = %v, want 说明 abstract, 备注 and 类型 none", got)
	}
	got = catalogio.Suggest([]string{"资源名称", "摘要", "信息项名称", "说明", "类型"}, false)
	if got["说明"] != "item.description" || got["类型"] != "item.type" {
		t.Errorf("Suggest with item names = %v, want 说明 item.description, 类型 item.type", got)
	}

	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		header := strings.Replace(strings.Replace(csvHeader, ",摘要,", ",说明,", 1),
			",信息项名称,数据类型,长度,是否主体标识,说明\n", ",信息项,备注,类型\n", 1)
		row := strings.Replace(strings.Replace(good("说明行"), ",摘要,", ",辖区内的登记信息,", 1),
			",编号,C,20,否,\n", ",编号、名称,内部备注,库表\n", 1)
		rep, err := importFile(w, w.gaj, []byte(header+row), catalogio.CSV,
			catalogio.Options{Mapping: &catalogio.Mapping{Defaults: map[string]string{"数据类型": "C", "长度": "20"}}})
		if err != nil {
			t.Fatalf("import: %v (%v)", err, rep.Errors)
		}
		for _, c := range rep.Columns {
			want := map[string]string{"说明": "abstract", "备注": "", "类型": ""}
			if f, ok := want[c.Header]; ok && c.Field != f {
				t.Errorf("column %s read as %q, want %q", c.Header, c.Field, f)
			}
		}
		if r := resourcesOf(t, w, w.gaj)["说明行"]; r.Abstract != "辖区内的登记信息" || len(r.Items) != 2 {
			t.Errorf("got abstract %q and %d items, want 辖区内的登记信息 and 2", r.Abstract, len(r.Items))
		}
	})
}

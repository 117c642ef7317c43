package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSeveralFormats: a 资源格式 cell listing formats of several classes is
// read as the class of highest priority (数据库, 电子表格, 自描述格式, 服务接口,
// 电子文件, 图形图像, 流媒体), whatever the order of its words, and reported
// as 多值取一, as a 所属领域 cell of several values is; formats of one class
// (xls|xlsx) are a synonym. An entry holds one format (catalog.Resource's
// Format): the change names the row, the whole cell and the class kept, so
// nothing is dropped unsaid, as for the cells of the shared realdata
// catalog with an interface beside a file (xlsx|api, xls|api).
func TestSeveralFormats(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		cases := []struct{ cell, want, reason string }{
			{"xml|xls|csv|json", "电子表格", "多值取一"},
			{"xls|xml|json|csv", "电子表格", "多值取一"},
			{"csv|json|rdf|xlsx|xml", "电子表格", "多值取一"},
			{"json|xml", "自描述格式", "同义词"},
			{"pdf|api", "服务接口", "多值取一"},
			{"api|pdf", "服务接口", "多值取一"},
			{"jpg|mysql|xls", "数据库", "多值取一"},
			{"xls|xlsx", "电子表格", "同义词"},
			{"xlsx|api", "电子表格", "多值取一"},
			{"xls|api", "电子表格", "多值取一"},
			{"xml|xls|csv|json|rdf|api", "电子表格", "多值取一"},
		}
		file := csvHeader
		for i, c := range cases {
			file += strings.Replace(good("资源"+string(rune('甲'+i))), ",电子表格,", ","+c.cell+",", 1)
		}
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
		if err != nil {
			t.Fatalf("import: %v %v", err, rep.Errors)
		}
		got := map[string]string{}
		for _, ch := range rep.Changes {
			if ch.Field == "format" {
				got[ch.From] = ch.To + "（" + ch.Reason + "）"
			}
		}
		for _, c := range cases {
			if want := c.want + "（" + c.reason + "）"; got[c.cell] != want {
				t.Errorf("资源格式 %s → %s, want %s", c.cell, got[c.cell], want)
			}
		}
	})
}

// TestClassificationCodesPadding: 项代码 and 目代码 of fewer ASCII digits are
// padded (补零), as the catalog pads them; a signed code is no number to pad
// and is an error of its row, never turned into 0-1.
func TestClassificationCodesPadding(t *testing.T) {
	w := newWorld(t, sqldbtest.SQLite(t))
	row := func(name, category, subcategory string) string {
		return strings.Replace(good(name), ",01,综合,001,", ","+category+",综合,"+subcategory+",", 1)
	}
	file := csvHeader + row("甲项", "1", "1") + row("乙项", "01", "-1") + row("丙项", "-1", "001")
	rep, _ := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
	padded := map[string]bool{}
	for _, c := range rep.Changes {
		if c.Reason == "补零" {
			padded[c.Field+" "+c.From+" → "+c.To] = true
		}
	}
	if len(padded) != 2 || !padded["category_code 1 → 01"] || !padded["subcategory_code 1 → 001"] {
		t.Errorf("padded %v, want 1 → 01 and 1 → 001 only", padded)
	}
	bad := map[int]string{}
	for _, e := range rep.Errors {
		bad[e.Row] = e.Field
	}
	if len(bad) != 2 || bad[3] != "classification.subcategory_code" || bad[4] != "classification.category_code" {
		t.Errorf("errors %v, want rows 3 (目代码 -1) and 4 (项代码 -1)", rep.Errors)
	}
}

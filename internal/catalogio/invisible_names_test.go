package catalogio_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportInvisibleNames: an imported entry name or item name holding
// an invisible character (UTF导入\u200b测试, 姓名\ufeff) is an error of its
// row (invalid_characters, catalog's validation; duplicate_name where it
// looks like another row's) and an abstract of invisible characters alone
// is missing (abstract_required); before, UTF导入\u200b测试 and UTF导入测试
// were both created, two entries shown alike.
func TestImportInvisibleNames(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		line := func(name, abstract, item string) string {
			return `{"name":"` + name + `","abstract":"` + abstract + `","classification":{"class":"departmental",` +
				`"category_code":"01","category_name":"综合","subcategory_code":"001","subcategory_name":"登记"},` +
				`"format":"spreadsheet","items":[{"name":"编号","type":"C","length":20},{"name":"` + item + `","type":"C","length":20}],` +
				`"share_type":"unconditional","share_methods":["query"],"share_scope":"全区","open_attribute":"closed",` +
				`"update_frequency":"yearly","security_level":1,"network_zone":"egov_extranet","domain":"18","subject_kind":"none"}` + "\n"
		}
		file := line("UTF导入测试", "摘要", "名称") +
			line(`UTF导入\u200b测试`, "摘要", "名称") +
			line("零宽测试目录", "摘要", `姓名\ufeff`) +
			line("空摘要目录", `\u200b`, "名称") +
			line(`新建\u200b目录`, "摘要", "名称")
		// Row 2 looks like row 1: since f6b62d5 their name keys are alike.
		want := map[int]string{2: "name:duplicate_name", 3: "items[1].name:invalid_characters", 4: "abstract:abstract_required",
			5: "name:invalid_characters"}
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.JSONL, catalogio.Options{GoodOnly: true})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		got := map[int]string{}
		for _, e := range rep.Errors {
			got[e.Row] = e.Field + ":" + e.Code
		}
		if len(got) != len(want) {
			t.Errorf("errors %+v, want %v", rep.Errors, want)
		}
		for row, fc := range want {
			if got[row] != fc {
				t.Errorf("row %d: error %q, want %s", row, got[row], fc)
			}
		}
		if rs := resourcesOf(t, w, w.gaj); len(rs) != 1 || rs["UTF导入测试"].Name != "UTF导入测试" {
			t.Errorf("stored %v, want UTF导入测试 alone", rs)
		}
	})
}

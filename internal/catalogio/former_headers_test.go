package catalogio_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// formerHeaders are the workbook headers the export wrote before it took
// the console's words, by today's header.
var formerHeaders = map[string]string{
	"数源部门": "提供部门", "资源分类（类）": "资源分类(类)", "信息资源格式": "资源格式", "具体更新周期": "更新周期说明",
	"领域名称": "领域说明", "主体类型": "数据主体", "关联政务服务事项": "关联事项", "标识主体": "是否主体标识",
}

// TestFormerHeaders: the export heads its columns with the console's
// words (数源部门, 信息资源格式, 主体类型 …), and a file exported before,
// headed 提供部门, 资源格式, 数据主体 …, is still read as the workbook's own
// layout: every column understood, its formula-escaped cells given back
// exactly, nothing changed. A mapping's defaults may still name a field by
// its former header.
func TestFormerHeaders(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		src := newWorld(t, db)
		for _, r := range resources() {
			r.Abstract = "=1+1 " + r.Abstract // escaped in the CSV
			create(t, src, src.gaj, r)
		}
		want := resourcesOf(t, src, src.gaj)
		data, rows := exportCSVRows(t, src)
		header := rows[0]
		for now, before := range formerHeaders {
			if !slices.Contains(header, now) || slices.Contains(header, before) {
				t.Errorf("export header %v: want %s, not %s", header, now, before)
			}
		}
		for i, h := range header {
			if before, ok := formerHeaders[h]; ok {
				header[i] = before
			}
		}
		var old bytes.Buffer
		cw := csv.NewWriter(&old)
		if err := cw.WriteAll(rows); err != nil {
			t.Fatal(err)
		}
		for name, file := range map[string][]byte{"today's headers": data, "former headers": old.Bytes()} {
			t.Run(name, func(t *testing.T) {
				dst := newWorld(t, otherDB(t, db))
				rep, err := importFile(dst, dst.gaj, file, catalogio.CSV, catalogio.Options{})
				if err != nil || rep.Created != 3 || len(rep.Errors) != 0 || len(rep.Changes) != 0 {
					t.Fatalf("import: created %d, err %v, errors %v, changes %v", rep.Created, err, rep.Errors, rep.Changes)
				}
				for _, c := range rep.Columns {
					if c.Source != "layout" {
						t.Errorf("column %s understood as %s, want layout", c.Header, c.Source)
					}
				}
				if diff := cmp.Diff(want, resourcesOf(t, dst, dst.gaj)); diff != "" {
					t.Errorf("catalog after import differs (-want +got):\n%s", diff)
				}
			})
		}
	})
	m := catalogio.Mapping{Name: "旧表头", Defaults: map[string]string{"资源分类(类)": "部门信息资源", "数据主体": "不涉及", "主体类型": "不涉及"}}
	if err := m.Validate(); err != nil {
		t.Errorf("defaults by former headers: %v", err)
	}
	if got := m.Canonical().Defaults; !strings.Contains(got["class"]+got["subject_kind"], "部门信息资源不涉及") {
		t.Errorf("canonical defaults %v, want class and subject_kind", got)
	}
}

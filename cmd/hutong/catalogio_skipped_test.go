package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestImportCatalogSkippedRows: hutong import catalog lists the rows it
// skipped, a 信息项 row holding no value of an item (a note below the
// items), with their sheet and row, and imports the file all the same;
// until 2026-12-06 it skipped them without a word. Of a 资源名称 filled
// down past the items it counts every row but lists the first few (-v:
// the report's), where it listed every row of 200,000.
func TestImportCatalogSkippedRows(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		cliDepartments(must)
		lines := strings.Split(strings.TrimSpace(cliCatalogCSV), "\n")
		header, row := strings.Split(lines[0], ","), strings.Split(lines[1], ",")
		f := excelize.NewFile()
		defer f.Close()
		f.SetSheetName("Sheet1", "目录")
		f.NewSheet("信息项")
		entry := len(header) - 3 // 信息项名称, 数据类型, 长度 go to 信息项
		entryHeader, cells := header[:entry], row[:entry]
		f.SetSheetRow("目录", "A1", &entryHeader)
		f.SetSheetRow("目录", "A2", &cells)
		f.SetSheetRow("信息项", "A1", &[]string{"资源名称", "信息项名称", "数据类型", "长度"})
		f.SetSheetRow("信息项", "A2", &[]string{row[0], row[entry], row[entry+1], row[entry+2]})
		f.SetCellStr("信息项", "A4", "注：资源名称须与“目录”工作表一致")
		for r := 6; r < 6+150; r++ {
			f.SetCellStr("信息项", fmt.Sprintf("A%d", r), row[0])
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		file := tempFile(t, "目录.xlsx", buf.String())
		out, err := hutong(t, vars, "import", "catalog", "-dry-run", "-v", "-file", file, "-department", "区市监局")
		if err != nil || !strings.Contains(out, "跳过 151 行") || strings.Count(out, "行：该行没有信息项的值") != catalogio.MaxSkippedRows ||
			!strings.Contains(out, "另有 51 行同样跳过，未逐行列出\n") {
			t.Errorf("-v: got %v\n%s\nwant 151 rows skipped, the report's %d listed", err, out, catalogio.MaxSkippedRows)
		}
		out, err = hutong(t, vars, "import", "catalog", "-file", file, "-department", "区市监局")
		if err != nil || !strings.Contains(out, "跳过 151 行") || strings.Count(out, "行：该行没有信息项的值") != 10 ||
			!strings.Contains(out, "信息项 第 4 行：该行没有信息项的值") || !strings.Contains(out, "另有 141 行同样跳过，未逐行列出（-v 列出前 100 行）") ||
			!strings.Contains(out, "已导入") {
			t.Errorf("got %v\n%s\nwant 151 rows skipped, row 4 of 信息项 and 9 more listed, the file imported", err, out)
		}
	})
}

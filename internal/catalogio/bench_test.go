package catalogio_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// workbook generates a workbook of n entries with four data items each in
// the documented layout, with a share of messy values to normalise.
func workbook(tb testing.TB, n int) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", catalogio.SheetEntries)
	f.NewSheet(catalogio.SheetItems)
	es, err := f.NewStreamWriter(catalogio.SheetEntries)
	if err != nil {
		tb.Fatal(err)
	}
	is, err := f.NewStreamWriter(catalogio.SheetItems)
	if err != nil {
		tb.Fatal(err)
	}
	var eh, ih []any
	for _, fl := range catalogio.Fields() {
		switch {
		case fl.Sheet == catalogio.SheetEntries && fl.Key != "items":
			eh = append(eh, fl.Header)
		case fl.Sheet == catalogio.SheetItems:
			ih = append(ih, fl.Header)
		}
	}
	es.SetRow("A1", eh)
	is.SetRow("A1", ih)
	freqs := []string{"每年", "每天", "月度", "实时", "每季度"}
	domains := []string{"市场监管", "市场监督", "公共安全", "卫生健康", "社保就业"}
	item := 1
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("数据资源%05d", i)
		row := []any{name, "", "", "第" + name + "的摘要", "部门信息资源", "01", "综合", "001", "登记", "", "",
			"xlsx", "无条件共享", "", "", "信息查询接口、批量库表交换", "全区政务部门", "不予开放", "", freqs[i%5], "", "",
			"2", "政务外网", domains[i%5], "", "法人和其他组织", "", ""}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := es.SetRow(cell, row); err != nil {
			tb.Fatal(err)
		}
		for j, it := range [][]string{{"统一社会信用代码", "C", "18", "是"}, {"名称", "C", "200", "否"},
			{"成立日期", "D", "", "否"}, {"注册资本", "Y", "", "否"}} {
			item++
			cell, _ := excelize.CoordinatesToCellName(1, item)
			if err := is.SetRow(cell, []any{"", name, it[0], it[1], it[2], it[3], fmt.Sprint("说明", j)}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := es.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := is.Flush(); err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImportXLSX5000 imports a 5,000-entry workbook (20,000 data
// items) into a fresh SQLite database per iteration.
func BenchmarkImportXLSX5000(b *testing.B) {
	data := workbook(b, 5000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		b.StopTimer()
		w := newWorld(b, sqldbtest.SQLite(b))
		b.StartTimer()
		start := time.Now()
		rep, err := importFile(w, w.gaj, data, catalogio.XLSX, catalogio.Options{})
		if err != nil || rep.Created != 5000 {
			b.Fatalf("got created=%d err=%v %v", rep.Created, err, rep.Errors[:min(3, len(rep.Errors))])
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/import")
		b.ReportMetric(float64(len(rep.Changes)), "changes")
	}
}

// BenchmarkExportXLSX5000 exports 5,000 entries.
func BenchmarkExportXLSX5000(b *testing.B) {
	w := newWorld(b, sqldbtest.SQLite(b))
	if _, err := importFile(w, w.gaj, workbook(b, 5000), catalogio.XLSX, catalogio.Options{}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var buf bytes.Buffer
		n, err := catalogio.Export(t0Context(), w.db, w.gaj, &buf, catalogio.XLSX, catalogio.ExportOptions{})
		if err != nil || n != 5000 {
			b.Fatalf("exported %d: %v", n, err)
		}
	}
}

package catalogio_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// errorCells returns the workbook data with the cells of its first sheet
// named in cells (B2: #N/A) made error values, as Excel saves a cell whose
// formula failed: type e, the formula and its error.
func errorCells(t *testing.T, data []byte, cells map[string]string) []byte {
	t.Helper()
	xml := make(map[string]string, len(cells))
	for ref, v := range cells {
		xml[ref] = `<c r="` + ref + `" t="e"><f>VLOOKUP(A2,字典!A:B,2,0)</f><v>` + v + `</v></c>`
	}
	return catalogio.RewritePart(t, data, "xl/worksheets/sheet1.xml", xml)
}

// TestFormulaErrorValues: a cell holding a spreadsheet's error value (#N/A
// of a VLOOKUP that found nothing, #REF! …), an XLSX cell of type e or its
// text in a CSV file, is refused as an error of its row naming the column
// (excel_error_value, as the records import refuses it), an entry's cell
// or an item's; until 2026-12-06 it was imported as the value (摘要 “#N/A”).
func TestFormulaErrorValues(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, v := range []string{"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!"} {
			row := strings.Replace(good("有错误值"), ",摘要,", ","+v+",", 1)
			rep, err := importFile(w, w.gaj, []byte(csvHeader+good("无误的")+row), catalogio.CSV, catalogio.Options{GoodOnly: true, DryRun: true})
			if err != nil {
				t.Fatalf("%s: %v", v, err)
			}
			want := "单元格是公式错误值 " + v + "：请修正公式或改为文本后再导入"
			if rep.RowsWithErrors != 1 || rep.Created != 1 || len(rep.Errors) != 1 || rep.Errors[0].Code != "excel_error_value" ||
				rep.Errors[0].Column != "摘要" || rep.Errors[0].Row != 3 || rep.Errors[0].Message != want {
				t.Errorf("%s: %d rows with errors, %d created, errors %v; want row 3 摘要 excel_error_value %q", v, rep.RowsWithErrors,
					rep.Created, rep.Errors, want)
			}
		}

		header := strings.Split(strings.TrimSuffix(csvHeader, "\n"), ",")
		rows := [][]string{header}
		for _, name := range []string{"摘要错误", "类型错误", "无误"} {
			rows = append(rows, strings.Split(strings.TrimSuffix(good(name), "\n"), ","))
		}
		// D2 is the first row's 摘要, AE3 the second's 数据类型.
		data := errorCells(t, sheetsFile(t, "Sheet1", rows), map[string]string{"D2": "#N/A", "AE3": "#REF!"})
		rep, err := importFile(w, w.gaj, data, catalogio.XLSX, catalogio.Options{GoodOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, e := range rep.Errors {
			if e.Code == "excel_error_value" {
				got[e.Column+" "+e.Message[strings.Index(e.Message, "#"):strings.Index(e.Message, "：")]] = true
			}
		}
		if rep.Created != 1 || !got["摘要 #N/A"] || !got["数据类型 #REF!"] {
			t.Errorf("workbook: %d created, errors %v; want 摘要 #N/A and 数据类型 #REF! refused, 1 created", rep.Created, rep.Errors)
		}
		for name, r := range resourcesOf(t, w, w.gaj) {
			if strings.Contains(r.Abstract, "#") || name != "无误" {
				t.Errorf("stored %s (摘要 %q), want 无误 alone", name, r.Abstract)
			}
		}
	})
}

// TestErrorTextRoundTrip: text that reads as an error value, stored as any
// text (an item's 说明 #N/A, 共享条件 #REF!), is exported and imported
// back unchanged: the XLSX export writes it as a string cell, which is no
// error value, and the CSV export escapes it as it escapes a formula
// ('#N/A). Until 2026-12-06 the import refused both files
// (excel_error_value), reading the text whatever the cell's type.
func TestErrorTextRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		src := newWorld(t, db)
		for _, r := range resources() {
			if r.ShareType == catalog.Conditional {
				r.ShareConditions = "#REF!"
			}
			r.Items[0].Description = "#N/A"
			create(t, src, src.gaj, r)
		}
		want := resourcesOf(t, src, src.gaj)
		for _, f := range []catalogio.Format{catalogio.XLSX, catalogio.CSV} {
			data := export(t, src, src.gaj, f, catalogio.ExportOptions{DepartmentID: src.gajID})
			dst := newWorld(t, otherDB(t, db))
			rep, err := importFile(dst, dst.gaj, data, f, catalogio.Options{})
			if err != nil || rep.Created != len(want) {
				t.Errorf("%s: import %v, created %d, errors %v", f, err, rep.Created, rep.Errors)
				continue
			}
			if diff := cmp.Diff(want, resourcesOf(t, dst, dst.gaj)); diff != "" {
				t.Errorf("%s: catalog after round trip differs (-want +got):\n%s", f, diff)
			}
		}
	})
}

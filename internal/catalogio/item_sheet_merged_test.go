package catalogio_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// itemSheetEdited is the department's export as XLSX with its 信息项
// sheet changed by edit.
func itemSheetEdited(t *testing.T, w *world, edit func(f *excelize.File, rows [][]string)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(string(export(t, w, w.gaj, catalogio.XLSX, catalogio.ExportOptions{}))))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(catalogio.SheetItems)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "资源代码" || rows[0][1] != "资源名称" {
		t.Fatalf("信息项 header %v, want 资源代码, 资源名称 first", rows[0])
	}
	edit(f, rows)
	return xlsxBytes(t, f)
}

// TestItemSheetMergedEntry: a 信息项 sheet whose 资源代码 and 资源名称 are
// merged down each entry's item rows (only its first row holds them) is
// read as the one-sheet layout reads blank cells: each row continues the
// entry above. Until 2026-12-06 every row but the first was unknown_entry
// (信息项所属的数据资源“”…不存在), attached to no entry, and with good rows
// only each entry was updated with its first item alone, the report
// counting no entry with errors.
func TestItemSheetMergedEntry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, r := range resources() {
			create(t, w, w.gaj, r)
		}
		before := resourcesOf(t, w, w.gaj)
		data := itemSheetEdited(t, w, func(f *excelize.File, rows [][]string) {
			first := 1
			for i := 1; i <= len(rows); i++ {
				if i < len(rows) && rows[i][0] == rows[first][0] {
					continue
				}
				for col := range 2 {
					top, _ := excelize.CoordinatesToCellName(col+1, first+1)
					bottom, _ := excelize.CoordinatesToCellName(col+1, i)
					for r := first + 1; r < i; r++ {
						c, _ := excelize.CoordinatesToCellName(col+1, r+1)
						f.SetCellStr(catalogio.SheetItems, c, "")
					}
					if err := f.MergeCell(catalogio.SheetItems, top, bottom); err != nil {
						t.Fatal(err)
					}
				}
				first = i
			}
		})
		rep, err := importFile(w, w.gaj, data, catalogio.XLSX, catalogio.Options{GoodOnly: true})
		if err != nil || !rep.OK() || rep.UnattachedItems != 0 {
			t.Fatalf("import: %v, errors %v, unattached %d", err, rep.Errors, rep.UnattachedItems)
		}
		after := resourcesOf(t, w, w.gaj)
		for name, r := range before {
			if len(after[name].Items) != len(r.Items) {
				t.Errorf("%s: %d items after the import, want %d", name, len(after[name].Items), len(r.Items))
			}
		}
	})
}

// TestItemSheetUnknownEntryGoodOnly: an item row whose 资源代码 names no
// entry of 目录 (a typo) makes good rows only impossible: its entry would
// be updated without it. The import is refused, says why and counts the
// row (unattached_items), and the entry keeps its items. Until 2026-12-06
// the entry was updated without that item and the report counted no entry
// with errors.
func TestItemSheetUnknownEntryGoodOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, r := range resources() {
			create(t, w, w.gaj, r)
		}
		before := resourcesOf(t, w, w.gaj)
		data := itemSheetEdited(t, w, func(f *excelize.File, rows [][]string) {
			// The last item of the first entry: its code mistyped, and
			// another item renamed, so that the entry would be updated.
			last := 1
			for last+1 < len(rows) && rows[last+1][0] == rows[1][0] {
				last++
			}
			f.SetCellStr(catalogio.SheetItems, fmt.Sprintf("A%d", last+1), rows[1][0]+"9")
			f.SetCellStr(catalogio.SheetItems, "C2", rows[1][2]+"（新）")
		})
		for _, dry := range []bool{true, false} {
			rep, err := importFile(w, w.gaj, data, catalogio.XLSX, catalogio.Options{GoodOnly: true, DryRun: dry})
			if !catalogio.Rejected(err) {
				t.Fatalf("dry run %v: got %v, want import_rejected", dry, err)
			}
			if rep.UnattachedItems != 1 || rep.ErrorCounts["unknown_entry"] != 1 || rep.Imported {
				t.Errorf("dry run %v: unattached %d, errors %v, imported %v; want 1 unknown_entry, not imported",
					dry, rep.UnattachedItems, rep.ErrorCounts, rep.Imported)
			}
			if msg := err.Error(); !strings.Contains(msg, "1 个信息项不知属于哪个数据资源") || !strings.Contains(msg, "不能只导入无误的行") ||
				strings.Contains(msg, "或选择只导入无误的行") {
				t.Errorf("dry run %v: message %q does not say why good rows only were not imported", dry, msg)
			}
		}
		after := resourcesOf(t, w, w.gaj)
		for name, r := range before {
			if fmt.Sprint(after[name].Items) != fmt.Sprint(r.Items) {
				t.Errorf("%s: items %v after the refused import, want %v", name, after[name].Items, r.Items)
			}
		}
	})
}

// TestItemSheetNoEntryGoodOnly: rows of the 信息项 sheet that hold no item
// or name an entry of the department the file lacks do not keep good rows
// only from importing the file's entries. Since 98f24011 a note below the
// items (注：资源代码须与“目录”工作表一致, in the 资源代码 column) counted
// as an item of no entry, and so did the items of an entry whose row was
// deleted from 目录 to import the others: nothing was imported.
func TestItemSheetNoEntryGoodOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, r := range resources() {
			create(t, w, w.gaj, r)
		}
		for name, edit := range map[string]func(f *excelize.File, rows [][]string){
			"note": func(f *excelize.File, rows [][]string) {
				f.SetCellStr(catalogio.SheetItems, fmt.Sprintf("A%d", len(rows)+2), "注：资源代码须与“目录”工作表一致")
			},
			"entry deleted": func(f *excelize.File, rows [][]string) {
				// The 目录 row of the entry of the last item, not the
				// first item's, whose renamed item makes the import update.
				entries, err := f.GetRows(catalogio.SheetEntries)
				if err != nil {
					t.Fatal(err)
				}
				last := rows[len(rows)-1][0]
				if last == rows[1][0] {
					t.Fatal("the first and last items are of one entry")
				}
				i := slices.IndexFunc(entries, func(r []string) bool { return slices.Contains(r, last) })
				if i < 0 {
					t.Fatalf("no 目录 row of %s", last)
				}
				if err := f.RemoveRow(catalogio.SheetEntries, i+1); err != nil {
					t.Fatal(err)
				}
			},
		} {
			data := itemSheetEdited(t, w, func(f *excelize.File, rows [][]string) {
				f.SetCellStr(catalogio.SheetItems, "C2", rows[1][2]+"（"+name+"）")
				edit(f, rows)
			})
			rep, err := importFile(w, w.gaj, data, catalogio.XLSX, catalogio.Options{GoodOnly: true})
			if err != nil || !rep.Imported || rep.UnattachedItems != 0 || rep.Updated != 1 {
				t.Errorf("%s: import %v, imported %v, unattached %d, updated %d, errors %v; want the renamed item's entry updated",
					name, err, rep.Imported, rep.UnattachedItems, rep.Updated, rep.Errors)
			}
		}
	})
}

// TestItemSheetSkippedRowsReported: a row of the 信息项 sheet holding no
// value of an item (a note below the items, or a 资源代码 filled down past
// them) imports nothing and keeps nothing from being imported, but the
// report lists it with its row (skipped_rows), quoting it, so that a clerk
// sees it was left out. Until 2026-12-06 such rows were skipped silently.
func TestItemSheetSkippedRowsReported(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, r := range resources() {
			create(t, w, w.gaj, r)
		}
		var note, code int
		data := itemSheetEdited(t, w, func(f *excelize.File, rows [][]string) {
			f.SetCellStr(catalogio.SheetItems, "C2", rows[1][2]+"（改）")
			code, note = len(rows)+1, len(rows)+3
			f.SetCellStr(catalogio.SheetItems, fmt.Sprintf("A%d", code), rows[len(rows)-1][0])
			f.SetCellStr(catalogio.SheetItems, fmt.Sprintf("A%d", note), "注：资源代码须与“目录”工作表一致")
		})
		rep, err := importFile(w, w.gaj, data, catalogio.XLSX, catalogio.Options{})
		if err != nil || !rep.Imported || rep.Updated != 1 || len(rep.Errors) != 0 {
			t.Fatalf("import %v, imported %v, updated %d, errors %v; want the renamed item's entry updated", err, rep.Imported, rep.Updated, rep.Errors)
		}
		if len(rep.SkippedRows) != 2 {
			t.Fatalf("skipped rows %+v, want rows %d and %d", rep.SkippedRows, code, note)
		}
		for i, want := range []struct {
			row  int
			text string
		}{{code, "未作为信息项导入"}, {note, "“注：资源代码须与“目录”工作表一致”"}} {
			if s := rep.SkippedRows[i]; s.Sheet != catalogio.SheetItems || s.Row != want.row || !strings.Contains(s.Message, want.text) {
				t.Errorf("skipped row %+v, want row %d of 信息项 saying %q", s, want.row, want.text)
			}
		}
		b, err := json.Marshal(rep)
		if err != nil || !strings.Contains(string(b), fmt.Sprintf(`"skipped_rows":[{"sheet":"信息项","row":%d,`, code)) {
			t.Errorf("report JSON %s, want skipped_rows", b)
		}
		var csv strings.Builder
		if err := rep.WriteCSV(&csv); err != nil || !strings.Contains(csv.String(), fmt.Sprintf("跳过,信息项,%d,", note)) {
			t.Errorf("CSV report %v:\n%s\nwant a 跳过 line of row %d", err, csv.String(), note)
		}
	})
}

// TestItemSheetSkippedRowsBounded: a 资源代码 filled down past the items
// over many otherwise empty rows (a provincial or WPS template) is counted
// whole (skipped_count) but listed for its first MaxSkippedRows rows only,
// in the report, its JSON and its CSV. Until 2026-12-06 every row was
// listed: 200,000 rows made a report of 46 MB.
func TestItemSheetSkippedRowsBounded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for _, r := range resources() {
			create(t, w, w.gaj, r)
		}
		const filled = catalogio.MaxSkippedRows + 150
		first := 0
		data := itemSheetEdited(t, w, func(f *excelize.File, rows [][]string) {
			first = len(rows) + 1
			for r := first; r < first+filled; r++ {
				f.SetCellStr(catalogio.SheetItems, fmt.Sprintf("A%d", r), rows[len(rows)-1][0])
			}
		})
		rep, err := importFile(w, w.gaj, data, catalogio.XLSX, catalogio.Options{DryRun: true})
		if err != nil || len(rep.Errors) != 0 {
			t.Fatalf("import %v, errors %v", err, rep.Errors)
		}
		if rep.SkippedCount != filled || len(rep.SkippedRows) != catalogio.MaxSkippedRows ||
			rep.SkippedRows[0].Row != first || rep.SkippedRows[catalogio.MaxSkippedRows-1].Row != first+catalogio.MaxSkippedRows-1 {
			t.Fatalf("%d skipped, %d listed (first %+v), want %d skipped, the first %d listed from row %d",
				rep.SkippedCount, len(rep.SkippedRows), rep.SkippedRows[:min(1, len(rep.SkippedRows))], filled, catalogio.MaxSkippedRows, first)
		}
		b, err := json.Marshal(rep)
		if err != nil || !strings.Contains(string(b), fmt.Sprintf(`"skipped_count":%d`, filled)) {
			t.Errorf("report JSON %s, want skipped_count %d", b, filled)
		}
		var csv strings.Builder
		if err := rep.WriteCSV(&csv); err != nil || strings.Count(csv.String(), "\n跳过,信息项,") != catalogio.MaxSkippedRows ||
			!strings.Contains(csv.String(), "另有 150 行同样跳过") {
			t.Errorf("CSV report %v:\n%s\nwant %d 跳过 lines and one of the 150 more", err, csv.String(), catalogio.MaxSkippedRows)
		}
	})
}

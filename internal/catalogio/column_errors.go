package catalogio

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// ColumnError is the problem of a field the file has no column for, or
// whose column is empty in every row, when the mapping gives no default
// for it either: every row needing the field has the same error, which
// the report tells once here (Report.ColumnErrors) instead of once per row
// in Report.Errors. The rows still fail (Report.RowsWithErrors, Entries).
type ColumnError struct {
	// Sheet is the sheet of the field's rows: 信息项 for a data item's field
	// of a workbook, else empty.
	Sheet string `json:"sheet,omitempty"`
	Field string `json:"field"` // field key: share_type, item.type
	// Column is the file's header of the field (共享属性 for 共享类型)
	// when the file has a column for it, else ours: 共享类型, 数据类型.
	Column string `json:"column"`
	// Absent is true when no column of the file is read as the field;
	// false when one is, empty (or a placeholder, 暂无) in every row.
	Absent bool `json:"absent"`
	// Code is the code of the rows' errors (the most frequent when they
	// have several, as 共享范围 by share type).
	Code string `json:"code"`
	// Message names the column, how many rows fail for it and how, and how
	// to mend it: the column added, a column of the file mapped to it, or
	// a default (-default 列=值, a mapping's default).
	Message string `json:"message"`
	// Rows counts the rows failed for it; Errors the row errors it stands
	// for (more than Rows when an entry's items are listed in one cell).
	Rows   int `json:"rows"`
	Errors int `json:"errors"`
}

func (e ColumnError) String() string { return e.Message }

// minColumnRows is the fewest rows a column's error must fail to be told
// once for the column: one row's own error says as much.
const minColumnRows = 2

// blankFields returns the field keys the file gives no value in any row
// and the mapping no default, each with whether the file has no column
// for it (absent): their errors are the columns' (columnErrors). A JSON
// Lines file has no columns: nil.
func blankFields(p *parsed, f Format, defaults map[string]string) map[string]bool {
	if f == JSONL {
		return nil // lines of our export, each with its own keys: no columns
	}
	mapped := map[string]bool{}
	for _, c := range p.columns {
		if c.Field != "" {
			mapped[c.Field] = true
		}
	}
	filled := map[string]bool{}
	fill := func(vals map[string]string) {
		for k, v := range vals {
			if v = strings.TrimSpace(v); v != "" && !catalog.IsPlaceholder(v) {
				filled[k] = true
			}
		}
	}
	for _, rec := range p.records {
		fill(rec.vals)
		for _, it := range rec.items {
			fill(it.vals)
		}
		if len(rec.services) > 0 {
			filled["service_items"] = true
		}
		if len(rec.items) > 0 || filled["items"] {
			// Items listed by name in one cell are named.
			filled["items"], filled["item.name"] = true, true
		}
	}
	out := map[string]bool{}
	for _, f := range Fields() {
		if !filled[f.Key] && strings.TrimSpace(defaults[f.Key]) == "" {
			out[f.Key] = !mapped[f.Key]
		}
	}
	return out
}

// columnErrors takes out of es the row errors of each blank field (see
// blankFields) that fails every one of the file's rows entries, at least
// minColumnRows, or, for a data item's field, every one of its items,
// and returns the rest, in their order, and one ColumnError for each such
// field, in workbook order, named by the file's header of its column
// (fileHeaders) when it has one. The errors of a field needed by some rows only
// (开放条件 of the 有条件开放 ones, 领域名称 of those of 其他) stay the rows':
// which rows they are is the news. Items are counted, not their errors
// (failedItems): until 2026-12-05 an item with two errors of the field
// stood for two, and the field's errors could be told as the column's while
// another item had none.
func columnErrors(es []RowError, blank map[string]bool, entries, items int, columns []Column) ([]RowError, []ColumnError) {
	headers := fileHeaders(columns)
	type group struct {
		errs  []int
		rows  map[rowKey]map[int]bool
		codes map[string]int
	}
	groups := map[string]*group{}
	for i, e := range es {
		key := fieldKey(e.Field)
		if _, ok := blank[key]; !ok || e.Row == 0 {
			continue
		}
		g := groups[key]
		if g == nil {
			g = &group{rows: map[rowKey]map[int]bool{}, codes: map[string]int{}}
			groups[key] = g
		}
		g.errs = append(g.errs, i)
		r := rowKey{e.Sheet, e.Row}
		if g.rows[r] == nil {
			g.rows[r] = map[int]bool{}
		}
		n, ok := itemIndex(e.Field)
		if !ok {
			n = -1
		}
		g.rows[r][n] = true
		g.codes[e.Code]++
	}
	drop := map[int]bool{}
	out := []ColumnError{}
	for _, f := range Fields() {
		g := groups[f.Key]
		if g == nil || len(g.rows) < minColumnRows {
			continue
		}
		failed := failedItems(g.rows)
		switch {
		case strings.HasPrefix(f.Key, "item."):
			if failed < items {
				continue
			}
		case len(g.rows) < entries:
			continue
		}
		first := es[g.errs[0]]
		codes := make([]string, 0, len(g.codes))
		for c := range g.codes {
			codes = append(codes, c)
		}
		sort.Slice(codes, func(i, j int) bool {
			if g.codes[codes[i]] != g.codes[codes[j]] {
				return g.codes[codes[i]] > g.codes[codes[j]]
			}
			return codes[i] < codes[j]
		})
		ce := ColumnError{Sheet: first.Sheet, Field: f.Key, Column: f.Header, Absent: blank[f.Key], Code: codes[0],
			Rows: len(g.rows), Errors: len(g.errs)}
		if h, ok := headers[sheetField{first.Sheet, f.Key}]; ok && !ce.Absent {
			ce.Column = h
		}
		ce.Message = columnMessage(ce, f, first, failed)
		out = append(out, ce)
		for _, i := range g.errs {
			drop[i] = true
		}
	}
	if len(drop) == 0 {
		return es, out
	}
	kept := make([]RowError, 0, len(es)-len(drop))
	for i, e := range es {
		if !drop[i] {
			kept = append(kept, e)
		}
	}
	return kept, out
}

// rowKey is a row of a sheet.
type rowKey struct {
	sheet string
	row   int
}

// failedItems counts the data items whose errors rows holds: by row, the
// items[i] its errors name (several on an entry's row listing its items in
// one cell), or the one item of the row when they name none (an error of
// the builder's on a row of the 信息项 sheet: item.length). An item with
// several errors counts once.
func failedItems(rows map[rowKey]map[int]bool) int {
	n := 0
	for _, items := range rows {
		named := len(items)
		if items[-1] {
			named--
		}
		n += max(named, 1)
	}
	return n
}

// columnMessage is the one line of a blank field's errors: which column
// (the file's, and the field when the file heads it otherwise), how many
// rows (for a data item's field, items) it fails, the first row's error,
// and the mend.
func columnMessage(ce ColumnError, f Field, first RowError, items int) string {
	what := "文件没有“" + f.Header + "”列"
	switch {
	case ce.Absent:
	case ce.Column != f.Header:
		what = "“" + ce.Column + "”列（" + f.Header + "）每行都为空"
	default:
		what = "“" + f.Header + "”列每行都为空"
	}
	rows := fmt.Sprintf("%d 行", ce.Rows)
	if strings.HasPrefix(f.Key, "item.") {
		rows = fmt.Sprintf("%d 个信息项", items)
	}
	where := fmt.Sprintf("第 %d 行", first.Row)
	if first.Sheet != "" {
		where = first.Sheet + " " + where
	}
	mend := "请在文件中填写此列"
	if ce.Absent {
		mend = "请在文件中加上此列，或在列映射中把文件中相应的列对应到“" + f.Header + "”"
	}
	if takesDefault(f) {
		mend += "；各行相同的，可给出默认值：导入时 -default " + f.Header + "=值，或在列映射的默认值中填写（见 docs/catalog-workbook.md）"
	}
	return fmt.Sprintf("%s，%s因此有错误（如%s：%s）；%s", what, rows, where, first.Message, mend)
}

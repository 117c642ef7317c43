package catalogio

import (
	"strings"
	"testing"
)

// TestColumnErrorsCountItems: a data item's field empty in every row is told
// once for its column only when every item fails for it, counted by item,
// not by error: three items, the first with two errors of 长度, the
// second with one and the third with none, were 3 errors for 3 items, and
// told as the column's (“3 个信息项因此有错误”) while the third item was
// fine. Now its errors stay the rows'. When all three fail, one of them
// twice, the column's message says 3 items, not 4, and the error count
// stays 4. Items listed in one cell of an entry's row count by their
// index: two items of one row are two.
func TestColumnErrorsCountItems(t *testing.T) {
	blank := map[string]bool{"item.length": true}
	length := func(row, item int, code string) RowError {
		return RowError{Sheet: SheetItems, Row: row, Field: "items[" + string(rune('0'+item)) + "].length", Code: code,
			Message: "字符型信息项必须填写长度"}
	}
	twice := []RowError{length(2, 0, "length_required"), length(2, 0, "invalid_length"), length(3, 1, "length_required")}
	kept, cols := columnErrors(twice, blank, 1, 3, nil)
	if len(cols) != 0 || len(kept) != 3 {
		t.Errorf("two items of three failing, one twice: column errors %+v, errors %+v; want the rows' 3 errors", cols, kept)
	}

	all := append(twice, length(4, 2, "length_required"))
	kept, cols = columnErrors(all, blank, 1, 3, nil)
	if len(cols) != 1 || len(kept) != 0 {
		t.Fatalf("every item failing: column errors %+v, errors %+v; want one column error", cols, kept)
	}
	if c := cols[0]; c.Field != "item.length" || c.Rows != 3 || c.Errors != 4 || !strings.Contains(c.Message, "3 个信息项") {
		t.Errorf("got %+v, want 3 items of 3 rows, 4 errors", c)
	}

	// Items listed in the entry rows' 信息项 cells: row 2 lists two,
	// row 3 one.
	listed := func(row, item int) RowError {
		return RowError{Row: row, Field: "items[" + string(rune('0'+item)) + "].length", Code: "length_required", Message: "字符型信息项必须填写长度"}
	}
	es := []RowError{listed(2, 0), listed(2, 1), listed(3, 0)}
	if _, cols := columnErrors(es, blank, 2, 3, nil); len(cols) != 1 || !strings.Contains(cols[0].Message, "3 个信息项") {
		t.Errorf("three listed items failing: column errors %+v, want one of 3 items", cols)
	}
	if _, cols := columnErrors(es, blank, 2, 4, nil); len(cols) != 0 {
		t.Errorf("three listed items of four failing: column errors %+v, want none", cols)
	}
}

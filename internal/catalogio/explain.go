package catalogio

import (
	"strings"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// explained is the message of the catalog's error e of rec, read as res,
// with what it does not say: the data item a length limit of an item's
// name or description is of (信息项“…”：信息项名称不能超过 50 个字), as
// invalid_item_name names it, and the placeholder a cell held when it is
// refused for being empty (所属领域应为…（原值“暂无”是占位符，按空值处理）).
func explained(rec *record, res catalog.Resource, e RowError) string {
	msg := e.Message
	i, item := itemIndex(e.Field)
	if item && e.Code == "too_long" && i < len(res.Items) {
		msg = "信息项“" + res.Items[i].Name + "”：" + msg
	}
	key := fieldKey(e.Field)
	raw := rec.vals[key]
	if item {
		raw = ""
		if i < len(rec.items) {
			raw = rec.items[i].vals[key]
		}
	}
	if raw = strings.TrimSpace(raw); raw != "" && catalog.IsPlaceholder(raw) {
		msg += "（原值“" + raw + "”是占位符，按空值处理）"
	}
	return msg
}

// sheetField is a field of a sheet's columns.
type sheetField struct{ sheet, key string }

// fileHeaders returns the file's header of each field of columns it heads
// otherwise than we do (a mapped column, a synonym).
func fileHeaders(columns []Column) map[sheetField]string {
	headers := map[sheetField]string{}
	for _, c := range columns {
		if c.Field != "" && c.Header != headerOf(c.Field) {
			headers[sheetField{c.Sheet, c.Field}] = c.Header
		}
	}
	return headers
}

// fileColumns names in each error of es the column of the file its field
// was read from, when the file heads it otherwise than we do (a mapped
// column, a synonym: update_frequency for 更新周期), so that the user finds
// it in the file: the message says what the field is. An error of a data
// item listed by name in one cell is of that cell's column.
func fileColumns(es []RowError, columns []Column) {
	headers := fileHeaders(columns)
	for i, e := range es {
		key := fieldKey(e.Field)
		h, ok := headers[sheetField{e.Sheet, key}]
		if !ok && key == "item.name" {
			h, ok = headers[sheetField{e.Sheet, "items"}]
		}
		if ok && e.Row > 0 {
			es[i].Column = h
		}
	}
}

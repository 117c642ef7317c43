package catalogio_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestJSONLineTypeErrorPath: a value of the wrong type in a catalog JSON
// line is named by its path in the line, the index of its item and keys
// as the line writes them, not encoding/json's path without indices
// (items.length). Keys in another case (Items[1].Length), which
// encoding/json read as items[1].length, name no field: unknown.
func TestJSONLineTypeErrorPath(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for in, want := range map[string]string{
			`{"name":"户籍","items":[{"name":"姓名","length":10},{"name":"性别","length":"2"}]}`: "不是有效的 JSON 对象：字段 items[1].length 的类型应为整数，实为字符串",
			`{"name":"户籍","Items":[{"name":"姓名"},{"Length":"2"}]}`:                         "不是有效的 JSON 对象：未知字段：Items",
		} {
			rep, _ := importFile(w, w.gaj, []byte(in+"\n"), catalogio.JSONL, catalogio.Options{})
			var msgs []string
			for _, e := range rep.Errors {
				msgs = append(msgs, e.Message)
			}
			if len(msgs) != 1 || msgs[0] != want {
				t.Errorf("%s: messages %q, want %q", in, msgs, want)
			}
		}
	})
}

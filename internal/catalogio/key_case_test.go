package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestJSONLineKeyCase: a catalog JSON line naming a field in another case
// (Abstract, an item's NAME), which encoding/json took for the field, is
// refused as one naming no field is, naming the key; one naming a field
// twice is refused naming it, where encoding/json kept the last.
func TestJSONLineKeyCase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		for in, want := range map[string]string{
			`{"name":"户籍","Abstract":"摘要"}`:                       "不是有效的 JSON 对象：未知字段：Abstract",
			`{"name":"户籍","items":[{"name":"姓名"},{"NAME":"性别"}]}`: "不是有效的 JSON 对象：未知字段：items[1].NAME",
			`{"name":"户籍","name":"人口"}`:                           "不是有效的 JSON 对象：字段“name”出现了不止一次",
		} {
			rep, _ := importFile(w, w.gaj, []byte(in+"\n"), catalogio.JSONL, catalogio.Options{})
			var msgs []string
			for _, e := range rep.Errors {
				msgs = append(msgs, e.Message)
			}
			if len(msgs) != 1 || !strings.HasPrefix(msgs[0], want) {
				t.Errorf("%s: messages %q, want %q", in, msgs, want)
			}
		}
		if n := len(resourcesOf(t, w, w.gaj)); n != 0 {
			t.Errorf("a rejected import stored %d entries", n)
		}
	})
}

package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpenShareTypeRefused: a share type written in the 开放属性 column
// (无条件共享, as 淮北's portal does; 有条件共享, 依申请共享, 不予共享) says how
// departments share the resource, not whether it is open to the public:
// it is an error of its row (unknown_value) saying so, never read as 无条件
// 开放 (which put 淮北's rows on /public/catalog). 是 says open but not on
// which terms: an error too (ambiguous_value, naming both); 否 is 不予开放,
// reported as a synonym.
func TestOpenShareTypeRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		row := func(name, open string) string {
			return strings.Replace(good(name), ",不予开放,", ","+open+",", 1)
		}
		file := csvHeader + row("甲项", "无条件共享") + row("乙项", "有条件共享") + row("丙项", "依申请共享") +
			row("丁项", "不予共享") + row("戊项", "是") + row("己项", "否")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) {
			t.Fatalf("got err %v, want import_rejected", err)
		}
		got := map[int]catalogio.RowError{}
		for _, e := range rep.Errors {
			if e.Field != "open_attribute" {
				t.Errorf("unexpected error %+v", e)
				continue
			}
			got[e.Row] = e
		}
		for r := 2; r <= 5; r++ {
			e, ok := got[r]
			if !ok || e.Code != "unknown_value" || !strings.Contains(e.Message, "共享属性") ||
				!strings.Contains(e.Message, "不是开放属性") {
				t.Errorf("row %d: got %+v, want unknown_value saying 共享属性 is not 开放属性", r, e)
			}
		}
		if e := got[6]; e.Code != "ambiguous_value" || !strings.Contains(e.Message, "无条件开放或有条件开放") {
			t.Errorf("row 6 (是): got %+v, want ambiguous_value naming 无条件开放或有条件开放", e)
		}
		if e, ok := got[7]; ok {
			t.Errorf("row 7 (否): got error %+v, want 不予开放", e)
		}
		closed := false
		for _, c := range rep.Changes {
			if c.Field == "open_attribute" && c.Row == 7 && c.From == "否" && c.To == "不予开放" && c.Reason == "同义词" {
				closed = true
			} else if c.Field == "open_attribute" {
				t.Errorf("open attribute read: %+v", c)
			}
		}
		if !closed {
			t.Errorf("否 not reported read as 不予开放: %+v", rep.Changes)
		}
	})
}

package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOpenNegation: an open attribute that says the resource is not open
// (不开放，可依申请共享; 不予开放（不受理申请）) is 不予开放, and its words of
// applying do not make it 有条件开放 with the phrase copied into 开放条件.
// One that says both not open and open (部分开放、部分不开放) is an error of
// its row (ambiguous_value), not read as either.
func TestOpenNegation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		row := func(name, open string) string {
			return strings.Replace(good(name), ",不予开放,", ","+open+",", 1)
		}
		file := csvHeader + row("共享不开放", "\"不开放，可依申请共享\"") + row("不受理", "不予开放（本资源不受理申请）") +
			row("暂不开放", "暂不开放，授权后共享") + row("半开放", "部分开放、部分不开放")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) {
			t.Fatalf("got err %v, want import_rejected for the row of 部分开放、部分不开放", err)
		}
		if len(rep.Errors) != 1 || rep.Errors[0].Row != 5 || rep.Errors[0].Field != "open_attribute" ||
			rep.Errors[0].Code != "ambiguous_value" || !strings.Contains(rep.Errors[0].Message, "部分开放、部分不开放") {
			t.Errorf("got errors %+v, want one ambiguous_value of row 5's 开放属性", rep.Errors)
		}
		closed := map[int]bool{}
		for _, c := range rep.Changes {
			switch {
			case c.Field == "open_conditions":
				t.Errorf("开放条件 inferred: %+v", c)
			case c.Field == "open_attribute" && c.To == "不予开放":
				closed[c.Row] = true
			case c.Field == "open_attribute":
				t.Errorf("open attribute read as another: %+v", c)
			}
		}
		for _, r := range []int{2, 3, 4} {
			if !closed[r] {
				t.Errorf("row %d not read as 不予开放: %+v", r, rep.Changes)
			}
		}
	})
}

package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// openRow is good(name) with 开放属性 and 开放条件 as given.
func openRow(name, attribute, conditions string) string {
	return strings.Replace(good(name), ",不予开放,,", ","+attribute+","+conditions+",", 1)
}

// TestOpenConditionsColumnOfAttributes: a portal's column headed 开放条件
// whose cells are open attributes (有条件开放, 不予开放, 普遍开放), in a file
// without an 开放属性 column, is read as 开放属性, where every row failed
// twice (开放属性应为… and 只有有条件开放的资源才填写开放条件). A 开放条件
// column with a real condition is still 开放条件, and a 开放条件 where none
// is wanted is quoted, said to be an open attribute when it is one.
func TestOpenConditionsColumnOfAttributes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		rows := []string{openRow("甲目录", "", "不予开放"), openRow("乙目录", "", "普遍开放"),
			openRow("丙目录", "", "有条件开放"), openRow("丁目录", "", "")}
		file := withCells(rows, nil, "开放属性")
		m := &catalogio.Mapping{Defaults: map[string]string{"开放条件": "实名注册后下载"}}
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true, Mapping: m})
		if !catalogio.Rejected(err) || len(rep.Errors) != 1 || rep.Errors[0].Row != 5 || rep.Errors[0].Field != "open_attribute" {
			t.Fatalf("got %v, errors %+v; want only row 5's 开放属性 required", err, rep.Errors)
		}
		found := false
		for _, c := range rep.Columns {
			found = found || c.Header == "开放条件" && c.Field == "open_attribute" && c.Source == "synonym"
		}
		if !found {
			t.Errorf("columns %+v: want 开放条件 read as 开放属性", rep.Columns)
		}

		// A real condition in one row: the column is 开放条件.
		rows[1] = openRow("乙目录", "", "实名注册后下载")
		rep, _ = importFile(w, w.gaj, []byte(withCells(rows, nil, "开放属性")), catalogio.CSV, catalogio.Options{DryRun: true, Mapping: m})
		if rep.ErrorCounts["invalid_open_attribute"] == 0 {
			t.Errorf("a 开放条件 column with a condition read as 开放属性: %+v", rep.Errors)
		}

		// Both columns: the 开放条件 that is an attribute is quoted and named.
		file = csvHeader + openRow("甲目录", "不予开放", "有条件开放") + openRow("乙目录", "不予开放", "实名注册后下载")
		rep, _ = importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
		if len(rep.Errors) != 2 || !strings.Contains(rep.Errors[0].Message, "开放条件“有条件开放”是开放属性，不是开放条件") ||
			!strings.Contains(rep.Errors[1].Message, "开放条件“实名注册后下载”：只有有条件开放的资源才填写开放条件") {
			t.Errorf("got errors %+v, want each 开放条件 quoted, the first named an open attribute", rep.Errors)
		}
	})
}

package catalogio_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestItemListBrackets: in a 信息项 cell listing names split at |, a |
// inside brackets (统计指标(进出口合计|出口|进口), row 586 of the real
// catalog) lists what the item holds: the item keeps its brackets with
// 、 for their |, reported as a change, where it was refused for the |
// no item name may hold. The change is of the list column (信息项),
// where it was reported under 信息项名称, a column the file has not.
func TestItemListBrackets(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := "资源名称,摘要,资源分类(类),项代码,项名称,目代码,目名称,资源格式,共享类型,共享方式,共享范围,开放属性,更新周期,安全级别,网络环境,所属领域,数据主体,信息项\n" +
			"进出口统计,进出口,部门信息资源,01,综合,001,统计,电子表格,无条件共享,查询,全区,不予开放,每月,1,政务外网,商贸流通,不涉及,统计日期|统计指标(进出口合计|出口|进口)\n"
		m := &catalogio.Mapping{Defaults: map[string]string{"数据类型": "C", "长度": "20"}}
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true, Mapping: m})
		if err != nil || rep.ItemRows != 2 {
			t.Fatalf("got %v, %d items, errors %+v; want two items, no error", err, rep.ItemRows, rep.Errors)
		}
		found := false
		for _, c := range rep.Changes {
			found = found || c.Field == "items" && c.Column == "信息项" && c.From == "统计指标(进出口合计|出口|进口)" &&
				c.To == "统计指标(进出口合计、出口、进口)" && c.Reason == "分隔符"
		}
		if !found {
			t.Errorf("changes %+v: want the item's | made 、", rep.Changes)
		}
	})
}

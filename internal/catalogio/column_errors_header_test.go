package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestColumnErrorsFileHeader: a column error names the file's column when
// the file has one, headed otherwise than ours (共享属性, a synonym of
// 共享类型, empty in every row), and says the field it is read as, where
// it named 共享类型, a column the file does not have; a column the file
// lacks (网络环境) is named as ours.
func TestColumnErrorsFileHeader(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := withCells([]string{good("甲目录"), good("乙目录")}, map[string]string{"共享类型": ""}, "网络环境")
		file = strings.Replace(file, ",共享类型,", ",共享属性,", 1)
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) || len(rep.ColumnErrors) != 2 {
			t.Fatalf("got %v, column errors %+v; want 共享类型's and 网络环境's", err, rep.ColumnErrors)
		}
		share, zone := rep.ColumnErrors[0], rep.ColumnErrors[1]
		if share.Field != "share_type" || share.Column != "共享属性" || share.Absent ||
			!strings.HasPrefix(share.Message, "“共享属性”列（共享类型）每行都为空，2 行因此有错误") {
			t.Errorf("got %+v, want 共享属性 named, read as 共享类型", share)
		}
		if zone.Column != "网络环境" || !zone.Absent || !strings.HasPrefix(zone.Message, "文件没有“网络环境”列") {
			t.Errorf("got %+v, want 网络环境 absent, named as ours", zone)
		}
	})
}

package sqldb_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCheckObjectsUnreadable: when CheckObjects cannot read the schema
// objects from the catalog (here its query names a table that is not
// there), the command line says so in Chinese, naming the database and
// what failed, the driver's error after it, where it said "sqldb: schema
// objects: …". On both engines.
func TestCheckObjectsUnreadable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		defer sqldb.SetObjectsQuery(db.Dialect, `SELECT kind, tbl, name, valid FROM no_such_catalog`)()
		err := db.CheckObjects(t.Context())
		want := "无法检查数据库 " + db.Source + " 的结构是否完整：读取其结构对象（表、索引、约束和触发器）失败："
		if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "no_such_catalog") ||
			strings.Contains(err.Error(), "sqldb:") {
			t.Errorf("CheckObjects with the catalog unreadable: %v, want %q followed by the driver's error", err, want)
		}
	})
}

package sqldb_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAppliedUnreadable: when the version table cannot be read (here a
// schema_migrations of another program, without the column name),
// CheckObjects and Schema, every command's schema check and migrate's,
// say so in Chinese, naming the database and the table, the driver's
// error after it, where they said "sqldb: applied migrations: …". On
// both engines.
func TestAppliedUnreadable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		for _, q := range []string{`DROP TABLE schema_migrations`, `CREATE TABLE schema_migrations (version INTEGER)`} {
			if _, err := db.Write().ExecContext(t.Context(), q); err != nil {
				t.Fatal(err)
			}
		}
		want := "无法读取数据库 " + db.Source + " 已应用的迁移（版本表 schema_migrations）："
		_, _, schemaErr := db.Schema(t.Context())
		for what, err := range map[string]error{"CheckObjects": db.CheckObjects(t.Context()), "Schema": schemaErr} {
			if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "name") ||
				strings.Contains(err.Error(), "sqldb:") {
				t.Errorf("%s with the version table unreadable: %v, want %q followed by the driver's error", what, err, want)
			}
		}
	})
}

package sqldb_test

import (
	"os"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestOpenRefusesUnknownScheme: an address written as a URL whose scheme
// is not postgres:// or postgresql:// as written was taken for a SQLite
// path. Open refuses it as an invalid address naming the supported forms
// (and, for POSTGRES:// and a leading space, the fix), creates nothing,
// and never shows the password.
func TestOpenRefusesUnknownScheme(t *testing.T) {
	t.Chdir(t.TempDir())
	for dsn, want := range map[string]string{
		"postgress://hutong:secretpw@db/hutong":  "不支持 postgress://",
		"POSTGRES://hutong:secretpw@db/hutong":   "请写作 postgres://",
		"PostgreSQL://hutong:secretpw@db/hutong": "请写作 postgresql://",
		"mysql://hutong:secretpw@db/hutong":      "不支持 mysql://",
		"pg://hutong:secretpw@db/hutong":         "不支持 pg://",
		" postgres://hutong:secretpw@db/hutong":  "地址开头有空白",
		"file://hutong.db":                       "不支持 file://",
	} {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err == nil {
			db.Close()
			t.Errorf("Open(%q): opened, want it refused", dsn)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "数据库地址无效（") || !strings.Contains(msg, want) || !strings.Contains(msg, "postgres://（或 postgresql://）URL") ||
			strings.Contains(msg, "secretpw") {
			t.Errorf("Open(%q): %v, want 数据库地址无效（%s… with the supported forms, no password", dsn, err, want)
		}
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("refused addresses left files behind: %v", entries)
	}
	for _, dsn := range []string{"hutong.db", "data/a:b.db", "postgres://h/db", "postgresql://h/db", "host=h dbname=d"} {
		if err := sqldb.CheckDSN(dsn); err != nil {
			t.Errorf("CheckDSN(%q): %v, want it accepted", dsn, err)
		}
	}
}

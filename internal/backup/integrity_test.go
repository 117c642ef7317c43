package backup_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestVerifyIntegrityOneLine: a SQLite copy with a page in the middle
// zeroed, which SQLite opens and reads but PRAGMA integrity_check finds
// damaged, was refused with integrity_check's rows as they came, English
// and over several lines. It is refused in one Chinese line, with the
// number of problems and the first of them (SQLite's words).
func TestVerifyIntegrityOneLine(t *testing.T) {
	ctx := t.Context()
	db := sqldbtest.SQLite(t)
	seedDemo(t, db)
	good := filepath.Join(t.TempDir(), "good.db")
	if _, err := backup.Run(ctx, db, db.Source, good, nil); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	mid := len(data) / page / 2 * page
	copy(data[mid:mid+page], make([]byte, page))
	bad := filepath.Join(t.TempDir(), "bad.db")
	if err := os.WriteFile(bad, data, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = backup.Verify(ctx, bad)
	if err == nil || strings.Contains(err.Error(), "\n") ||
		!strings.HasPrefix(err.Error(), bad+"：备份已损坏或不完整：SQLite 完整性检查（integrity_check）发现数据库文件损坏，") {
		t.Errorf("Verify of a copy with a zeroed page: %q, want one Chinese line", err)
	}
}

// TestVerifyIntegrityAtLeast: PRAGMA integrity_check stops at 100 problems
// by default, so a file with more was said to have 共 100 处问题. With 100
// it says 至少 100 处问题.
func TestVerifyIntegrityAtLeast(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "many.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// An index whose root page is swapped for an empty index's misses
	// every row of its table: one problem per row, 300 in all.
	for _, q := range []string{
		`CREATE TABLE t (a INTEGER)`,
		`CREATE INDEX i ON t (a)`,
		`CREATE TABLE u (a INTEGER)`,
		`CREATE INDEX j ON u (a)`,
		`WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 300) INSERT INTO t SELECT x FROM n`,
		`PRAGMA writable_schema = ON`,
		`UPDATE sqlite_schema SET rootpage = (SELECT rootpage FROM sqlite_schema WHERE name = 'j') WHERE name = 'i'`,
		`PRAGMA writable_schema = OFF`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	if db, err = sql.Open("sqlite", "file:"+path); err != nil {
		t.Fatal(err)
	}
	err = backup.IntegrityCheck(ctx, db, path)
	if err == nil || !strings.Contains(err.Error(), "，至少 100 处问题（首处：") {
		t.Errorf("integrity check of a file with 300 problems: %v, want 至少 100 处问题", err)
	}
}

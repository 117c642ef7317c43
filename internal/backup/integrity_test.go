package backup_test

import (
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

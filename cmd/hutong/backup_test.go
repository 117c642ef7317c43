package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestBackupOutputMessages: -o naming a folder says it is one and that a
// file name is needed; -o in a folder that exists but takes no files
// (/proc) says it cannot be written, not that it is missing; a SQLite
// file that is not a Hutong database is refused before any copy; -o -
// is refused rather than a file named - written; and -verify with -o is
// refused rather than -o ignored.
func TestBackupOutputMessages(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"HUTONG_DB": filepath.Join(dir, "h.db")}
	mustHutong(t, vars)("migrate")
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := hutong(t, vars, "backup", "-o", ro+"/"); err == nil ||
		err.Error() != ro+" 是文件夹：请在 -o 中给出备份文件的名称，如 "+filepath.Join(ro, "hutong-backup.db") {
		t.Errorf("backup -o FOLDER/: got %v\n%s", err, got)
	}
	if got, err := hutong(t, vars, "backup", "-o", "/proc/x.db"); err == nil ||
		err.Error() != "无法在文件夹 /proc 中写入备份：该文件夹不能新建文件" {
		t.Errorf("backup -o /proc/x.db: got %v\n%s", err, got)
	}

	other := filepath.Join(dir, "rnd.db")
	db, err := sqldb.Open(t.Context(), other, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Write().ExecContext(t.Context(), `CREATE TABLE notes (body TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out := filepath.Join(dir, "b.db")
	if got, err := hutong(t, nil, "backup", "-db", other, "-o", out); err == nil ||
		err.Error() != other+" 不是互通数据库：其中没有数据库结构版本表 schema_migrations" {
		t.Errorf("backup of a SQLite file that is not Hutong's: got %v\n%s", err, got)
	}
	if _, err := os.Lstat(out); err == nil {
		t.Errorf("the refused backup wrote %s", out)
	}

	t.Chdir(dir)
	if got, err := hutong(t, vars, "backup", "-o", "-"); err == nil || !strings.HasPrefix(err.Error(), "备份不能写到标准输出（-o -）") {
		t.Errorf("backup -o -: got %v\n%s", err, got)
	}
	if _, err := os.Lstat(filepath.Join(dir, "-")); err == nil {
		t.Errorf("backup -o - wrote a file named -")
	}

	mustHutong(t, vars)("backup", "-o", out)
	if got, err := hutong(t, vars, "backup", "-verify", out, "-o", filepath.Join(dir, "x.db")); err == nil ||
		!strings.HasPrefix(err.Error(), "-verify 只检查已有的备份，不能与 -o 同用") {
		t.Errorf("backup -verify with -o: got %v\n%s", err, got)
	}
}

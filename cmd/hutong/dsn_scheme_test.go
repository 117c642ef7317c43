package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMistypedScheme: an address written as a URL of a scheme other than
// postgres:// or postgresql:// (postgress://, POSTGRES://, mysql://, pg://,
// one with a leading space) was taken for a SQLite path: refused as a file
// that is not there with the advice "hutong migrate -db postgress://…",
// which cannot work, or created by migrate. Every command refuses it as an
// invalid address naming the supported forms, creates nothing and gives
// no advice to create a database.
func TestMistypedScheme(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, dsn := range []string{"postgress://hutong:pw@db/hutong", "POSTGRES://hutong:pw@db/hutong",
		"mysql://hutong:pw@db/hutong", "pg://db/hutong", " postgres://hutong:pw@db/hutong"} {
		for _, args := range [][]string{{"migrate"}, {"migrate", "-status"}, {"serve", "-addr", "127.0.0.1:0"},
			{"backup"}, {"audit", "verify"}, {"user", "list"}} {
			out, err := hutong(t, map[string]string{"HUTONG_DB": dsn}, args...)
			if err == nil || !strings.Contains(err.Error(), "数据库地址无效") || !strings.Contains(err.Error(), "postgres://（或 postgresql://）URL") ||
				strings.Contains(err.Error(), "hutong migrate") || strings.Contains(err.Error(), "不存在") {
				t.Errorf("%v with -db %q: got %v, want 数据库地址无效 with the supported forms\n%s", args, dsn, err, out)
			}
		}
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("mistyped addresses left files behind: %v", entries)
	}
}

// TestBackupMissingFile: backup of a SQLite file that is not there said
// 新建数据库：hutong migrate, advice for a new platform, not for a backup;
// it says the file is not there and that there is nothing to back up.
func TestBackupMissingFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nothere.db")
	out, err := hutong(t, map[string]string{"HUTONG_DB": path}, "backup", "-o", filepath.Join(dir, "b.db"))
	if err == nil || !strings.Contains(err.Error(), "数据库 "+path+" 不存在") || !strings.Contains(err.Error(), "没有可备份的数据库文件") ||
		strings.Contains(err.Error(), "hutong migrate") {
		t.Errorf("backup of a missing file: got %v\n%s", err, out)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("backup of a missing file left files behind: %v", entries)
	}
}

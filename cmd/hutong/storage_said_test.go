package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestStorageCauseKeepsContext: a full disk or a disk I/O error is said in
// Chinese in place of the driver's English, inside what wraps it, which
// is kept: the migration that failed and that it was not applied, the
// database that could not be opened, a command's advice (demo's). The
// message was the Chinese cause alone; at open, where the message already
// said the cause in Chinese, it was then said twice, one inside the other.
// SQLite only: the causes are
// SQLite's.
func TestStorageCauseKeepsContext(t *testing.T) {
	check := func(what, got string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q; want %q in it", what, got, w)
			}
		}
		if strings.Contains(got, "sqldb:") {
			t.Errorf("%s: %q; want the driver's English said in Chinese", what, got)
		}
		for _, cause := range []string{"磁盘已满", "磁盘读写错误"} {
			if n := strings.Count(got, cause); n > 1 {
				t.Errorf("%s: %q; want %s said once, not %d times", what, got, cause, n)
			}
		}
	}

	// A full disk (a page limit) as migrate meets it.
	db, err := sqldb.Open(t.Context(), filepath.Join(t.TempDir(), "full.db"), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The page limit is raised a page at a time until schema_migrations
	// fits and the first migration does not.
	var full error
	var failed *sqldb.MigrationError
	for n := 1; !errors.As(full, &failed); n++ {
		if n > 20 {
			t.Fatalf("Migrate with a page limit: %v; want a migration that failed", full)
		}
		if _, err := db.Write().ExecContext(t.Context(), fmt.Sprintf("PRAGMA max_page_count = %d", n)); err != nil {
			t.Fatal(err)
		}
		if _, full = db.Migrate(t.Context()); full == nil {
			t.Fatal("Migrate: no error")
		}
	}
	check("migrate", message(migrationFailed(db, full)), "迁移 0001_", "失败，未应用：磁盘已满（")
	check("demo", message(fmt.Errorf("填充演示记录（再次运行 hutong demo 即可补全）：%w", full)),
		"填充演示记录（再次运行 hutong demo 即可补全）：磁盘已满（")

	// A disk I/O error at open: the new database's -wal is a folder.
	path := filepath.Join(t.TempDir(), "x.db")
	if err := os.Mkdir(path+"-wal", 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := hutong(t, nil, "migrate", "-db", path); err == nil {
		t.Fatal("migrate: no error")
	} else {
		check("open", message(err), "无法打开数据库 "+path+"：磁盘读写错误")
	}
}

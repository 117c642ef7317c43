package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestLockedDatabaseSaid: a command whose SQLite database another process
// holds locked past the busy timeout says so in Chinese, with what to do,
// rather than "sqldb: begin: database is locked (5) (SQLITE_BUSY)": a
// migration, a write command, serve at start-up. SQLite only: PostgreSQL
// has no such lock.
func TestLockedDatabaseSaid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	mustHutong(t, map[string]string{"HUTONG_DB": path})("migrate")
	sqldbtest.HoldElsewhere(t, "sqlite", path, "BEGIN EXCLUSIVE")
	for _, args := range [][]string{
		{"migrate", "-db", path},
		{"org", "region-create", "-db", path, "-code", "440000", "-name", "广东省", "-level", "province"},
		{"serve", "-db", path, "-addr", "127.0.0.1:0"},
	} {
		var out testlog.Buffer
		err := run(t.Context(), args, func(string) string { return "" }, &out, &out)
		if err == nil {
			t.Errorf("%s: no error while the database is locked", args[0])
			continue
		}
		got := message(err)
		if !strings.Contains(got, "数据库被其他进程锁定") || !strings.Contains(got, "请稍后重试") || strings.Contains(got, "sqldb:") {
			t.Errorf("%s: %q; want it said in Chinese, with what to do", strings.Join(args[:2], " "), got)
		}
	}
}

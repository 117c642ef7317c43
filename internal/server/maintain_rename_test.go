package server_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMaintainRekeysRenamedDepartments: a department renamed after the
// server's first upkeep pass by a server of the previous release, which
// writes its name and keeps its keys (here with SQL), gets the key of its
// new name on the next pass, which logs it: the server's upkeep rewrites
// the departments' keys on every pass, not on its first only. Before, a
// second pass left the old key. On both engines.
func TestMaintainRekeysRenamedDepartments(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		dept := recordstest.Department(t, db, "民政局", 1)
		var logs bytes.Buffer
		s, err := server.New(server.Config{DB: db, Log: slog.New(slog.NewTextHandler(&logs, nil)), Calendar: calendar.Default()})
		if err != nil {
			t.Fatal(err)
		}
		s.MaintainOnce(ctx, map[int]bool{})
		sqldbtest.Exec(t, db, `UPDATE departments SET name = $2 WHERE id = $1`, dept, "佛山市南海区（民政局）")
		logs.Reset()
		s.MaintainOnce(ctx, map[int]bool{})
		var key string
		if err := db.Read().QueryRowContext(ctx, `SELECT name_key FROM departments WHERE id = $1`, dept).Scan(&key); err != nil {
			t.Fatal(err)
		}
		if key != "佛山市南海区民政局" {
			t.Errorf("name key after a second pass %q, want 佛山市南海区民政局", key)
		}
		if !strings.Contains(logs.String(), "msg=\"rewrote the name keys and search forms of departments stored without those of their names (by an older release, or before names were compared as they look now)\" departments=1") {
			t.Errorf("log of the second pass: %q, want the department rekeyed", logs.String())
		}
	})
}

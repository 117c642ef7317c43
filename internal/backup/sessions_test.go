package backup_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBackupLeavesOutSessions, on both engines, is the operator's
// sequence: log in, back up, log out, restore. The session live at the
// backup is not in it, so its cookie does not work again on the restored
// copy, which a login does; everything else is there, the login failure
// (a lock-out's count) too, and the backup verifies.
func TestBackupLeavesOutSessions(t *testing.T) {
	openedDSNs(t, func(t *testing.T, dsn string, db *sqldb.DB) {
		ctx := t.Context()
		seed(t, db)
		now := time.Now()
		s, u, err := org.Login(ctx, db, "nh.admin", "Correct-Horse-9", org.Client{RemoteAddr: "127.0.0.1"}, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := org.Login(ctx, db, "nh.admin", "wrong", org.Client{RemoteAddr: "127.0.0.1"}, now); err == nil {
			t.Fatal("login with a wrong password succeeded")
		}
		if n := count(t, db.Read(), "sessions"); n != 1 {
			t.Fatalf("%d sessions before the backup, want 1", n)
		}
		tables := tableNames(t, db)
		before := map[string][]string{}
		for _, table := range tables {
			before[table] = sqldbtest.TableRows(t, db.Read(), table)
		}

		out := filepath.Join(t.TempDir(), backup.DefaultName(db.Dialect, now))
		if _, err := backup.Run(ctx, db, dsn, out, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := backup.Verify(ctx, out); err != nil {
			t.Errorf("Verify: %v", err)
		}
		if err := org.Logout(ctx, db, u, s.Token, "127.0.0.1", now); err != nil {
			t.Fatal(err)
		}

		restored := restore(t, db.Dialect, dsn, out)
		defer restored.Close()
		if _, _, err := org.SessionUser(ctx, restored.Read(), s.Token, now); err == nil {
			t.Error("the session ended after the backup works again on the restored copy")
		}
		for _, table := range tables {
			got := sqldbtest.TableRows(t, restored.Read(), table)
			want := before[table]
			if table == "sessions" {
				want = nil
			}
			slices.Sort(got)
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("restored %s differ (-backed up +restored):\n%s", table, diff)
			}
		}
		if _, _, err := org.Login(ctx, restored, "nh.admin", "Correct-Horse-9", org.Client{RemoteAddr: "127.0.0.1"}, now); err != nil {
			t.Errorf("login on the restored copy: %v", err)
		}
	})
}

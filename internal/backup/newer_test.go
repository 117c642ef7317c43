package backup_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestVerifyNewerRelease: a backup whose schema a newer release made
// passed -verify (exit 0), though its summary said this binary cannot use
// it. It fails with ErrNewer, naming its schema version and the binary's,
// its checks done and its rows counted. On both engines.
func TestVerifyNewerRelease(t *testing.T) {
	openedDSNs(t, func(t *testing.T, dsn string, db *sqldb.DB) {
		ctx := t.Context()
		if _, err := db.Write().ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future.sql', $1)`,
			time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), backup.DefaultName(db.Dialect, time.Now()))
		if _, err := backup.Run(ctx, db, dsn, out, nil); err != nil {
			t.Fatal(err)
		}
		names, err := sqldb.Migrations(db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		c, err := backup.Verify(ctx, out)
		want := out + "：由较新版本创建（数据库结构版本 9999_future.sql），本版本（" + names[len(names)-1] + "）无法使用"
		if !errors.Is(err, backup.ErrNewer) || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Verify of a newer release's backup: %v, want %s…", err, want)
		}
		if _, ok := c.Counts["departments"]; c.Schema != "9999_future.sql" || !ok {
			t.Errorf("Check of a newer release's backup: schema %q, counts %v", c.Schema, c.Counts)
		}
	})
}

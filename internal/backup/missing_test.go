package backup_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestVerifyMissingTables: a backup whose schema version is this binary's
// but which lacks tables of that schema is refused, naming them in
// Chinese: a SQLite copy with record_versions and audit_head dropped, and
// a dump made without record_versions' data.
func TestVerifyMissingTables(t *testing.T) {
	ctx := t.Context()
	t.Run("sqlite", func(t *testing.T) {
		db := sqldbtest.SQLite(t)
		seed(t, db)
		out := filepath.Join(t.TempDir(), "b.db")
		if _, err := backup.Run(ctx, db, db.Source, out, nil); err != nil {
			t.Fatal(err)
		}
		w, err := sql.Open("sqlite", out)
		if err != nil {
			t.Fatal(err)
		}
		w.SetMaxOpenConns(1)
		for _, q := range []string{`DROP TABLE record_versions`, `DROP TABLE audit_head`} {
			if _, err := w.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		w.Close()
		_, err = backup.Verify(ctx, out)
		if want := out + "：备份不完整：数据库结构版本与本版本相同，却缺少 audit_head、record_versions 表"; err == nil || err.Error() != want {
			t.Errorf("Verify of a copy without record_versions and audit_head:\n got %v\nwant %s", err, want)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := sqldbtest.PostgresDSN(t)
		pgDump, err := backup.Tool("pg_dump")
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "b.dump")
		cmd, err := backup.DumpCommand(ctx, pgDump, dsn, out)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Args = append(cmd.Args, "--exclude-table-data=record_versions")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pg_dump: %v\n%s", err, b)
		}
		_, err = backup.Verify(ctx, out)
		if want := out + "：备份不完整：数据库结构版本与本版本相同，归档中却没有 record_versions 表的数据"; err == nil || err.Error() != want {
			t.Errorf("Verify of a dump without record_versions' data:\n got %v\nwant %s", err, want)
		}
	})
}

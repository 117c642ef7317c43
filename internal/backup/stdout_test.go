package backup_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestBackupToStdoutRefused: -o - wrote a file named "-" in the current
// folder. It is refused, before any copy, saying a backup is written to a
// file; ./- still names that file. On both engines.
func TestBackupToStdoutRefused(t *testing.T) {
	openedDSNs(t, func(t *testing.T, dsn string, db *sqldb.DB) {
		ctx := t.Context()
		dir := t.TempDir()
		t.Chdir(dir)
		if err := backup.CheckTarget("-"); err == nil || !strings.HasPrefix(err.Error(), "备份不能写到标准输出（-o -）") {
			t.Errorf("CheckTarget(-): %v", err)
		}
		if _, err := backup.Run(ctx, db, dsn, "-", nil); err == nil || !strings.HasPrefix(err.Error(), "备份不能写到标准输出（-o -）") {
			t.Errorf("Run to -: %v", err)
		}
		noFiles(t, dir)
		if err := backup.CheckTarget("./-"); err != nil {
			t.Errorf("CheckTarget(./-): %v", err)
		}
	})
}

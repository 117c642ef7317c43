package backup_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRestoreAsRole checks the restore docs/backup.md and the permission
// denied message give a superuser: pg_restore --no-owner --role=ROLE into
// an empty database the role owns. The role the servers log in as then
// owns every table, reads the schema version and migrates, where a
// restore as the superuser alone leaves it denied every table.
func TestRestoreAsRole(t *testing.T) {
	ctx := t.Context()
	dsn := sqldbtest.PostgresDSN(t)
	db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seed(t, db)
	out := filepath.Join(t.TempDir(), "b.dump")
	if _, err := backup.Run(ctx, db, dsn, out, nil); err != nil {
		t.Fatal(err)
	}

	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("restored_%d", time.Now().UnixNano())
	role := "role_" + name
	for _, q := range []string{`CREATE ROLE ` + role + ` LOGIN`, `CREATE DATABASE ` + name + ` OWNER ` + role + ` TEMPLATE template0`} {
		if _, err := admin.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		for _, q := range []string{`DROP DATABASE ` + name + ` WITH (FORCE)`, `DROP ROLE ` + role} {
			if _, err := admin.ExecContext(context.Background(), q); err != nil {
				t.Error(err)
			}
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name // the superuser, postgres, restores
	pgRestore, err := backup.Tool("pg_restore")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := exec.CommandContext(ctx, pgRestore, "--no-owner", "--role="+role, "--exit-on-error", "-d", u.String(), out).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, b)
	}
	u.User = url.User(role)
	restored, err := sqldb.Open(ctx, u.String(), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if pending, err := restored.Pending(ctx); err != nil || len(pending) != 0 {
		t.Errorf("the role reads the restored copy: pending %q, %v", pending, err)
	}
	if _, err := restored.Migrate(ctx); err != nil {
		t.Errorf("the role migrates the restored copy: %v", err)
	}
	var foreign int
	if err := restored.Read().QueryRowContext(ctx, `SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace
		AND pg_get_userbyid(relowner) <> current_user`).Scan(&foreign); err != nil || foreign != 0 {
		t.Errorf("%d objects of public are not the role's, %v", foreign, err)
	}
}

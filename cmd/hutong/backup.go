package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

const backupUsage = `Usage: hutong backup [flags]
       hutong backup -verify FILE

Make a consistent online backup of the database while the server keeps
running. It holds every transaction committed before the backup began.

  SQLite      VACUUM INTO a compact copy (default hutong-backup-<time>.db).
              Restore: stop the server, move the old database and its -wal
              and -shm files aside, install the copy at the database path
              owned by the server's user, mode 600 (install -o hutong
              -g hutong -m 600 COPY PATH), run hutong migrate as that user,
              start the server.
  PostgreSQL  pg_dump --format=custom (default hutong-backup-<time>.dump);
              pg_dump comes from $HUTONG_PG_BIN, /usr/lib/postgresql/*/bin or
              the PATH. The dump carries no owners or grants: restore it
              into an empty database owned by the role the servers log in
              as, connected as that role (here hutong), or the restored
              tables belong to whoever restored them and the servers are
              refused ("permission denied"):
                createdb -T template0 -E UTF8 --locale=C.UTF-8 --owner=hutong hutong_restored
                pg_restore --no-owner --exit-on-error -d postgres://hutong@…/hutong_restored FILE

It copies the database whatever its schema version: before hutong migrate
upgrades it, or after a newer release migrated it (-verify names the
release such a copy needs). It never overwrites an existing file. -verify checks a backup without
changing it: a SQLite copy's integrity, foreign keys, row counts and
audit chain; a dump read to its end with pg_restore (its table of
contents and every table's data) and its row counts. docs/backup.md has
the step-by-step procedures.

Flags:
`

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup", backupUsage)
	dsn := dbFlag(fs, e)
	var out string
	fs.StringVar(&out, "o", "", "output file (default hutong-backup-<time>.db or .dump)")
	fs.StringVar(&out, "output", "", "same as -o")
	verify := fs.String("verify", "", "check the backup FILE instead of making one")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if *verify != "" {
		if out != "" {
			return fmt.Errorf("-verify 只检查已有的备份，不能与 -o 同用：检查 %s 用 hutong backup -verify %s，备份用 hutong backup -o FILE", *verify, *verify)
		}
		return verifyBackup(ctx, e, *verify)
	}
	if out != "" {
		// Before the database is opened; Run checks again.
		if err := backup.CheckTarget(out); err != nil {
			return err
		}
	}
	// A file that is not there has nothing to back up: the advice to
	// create a database (requireDB's) is not for a backup.
	if err := requireFile(*dsn, "没有可备份的数据库文件：请检查路径是否为服务器所用的数据库"); err != nil {
		return err
	}
	db, err := openExisting(ctx, *dsn, sqldb.Options{Durable: true})
	if err != nil {
		return err
	}
	defer db.Close()
	if out == "" {
		out = backup.DefaultName(db.Dialect, time.Now().In(calendar.Location()))
	}
	fmt.Fprintf(e.Stderr, "正在备份 %s（%s）到 %s …\n", db.Source, db.Dialect, out)
	res, err := backup.Run(ctx, db, *dsn, out, e.Stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "已写入备份 %s（%s，%s），用时 %s\n", res.Path, res.Engine, backup.Size(res.Bytes), res.Took.Round(time.Millisecond))
	if res.Engine == sqldb.Postgres {
		fmt.Fprintf(e.Stdout, "恢复时以服务器登录所用的角色连接，恢复到该角色拥有的空数据库（见 docs/backup.md）：\n"+
			"  pg_restore --no-owner --exit-on-error -d postgres://ROLE@…/NEWDB %s\n", res.Path)
	}
	return nil
}

func verifyBackup(ctx context.Context, e *env, path string) error {
	c, err := backup.Verify(ctx, path)
	if errors.Is(err, backup.ErrNewer) {
		// What was checked and counted, before why it does not pass.
		fmt.Fprint(e.Stdout, c.Summary(path))
	}
	if err != nil {
		return err
	}
	fmt.Fprint(e.Stdout, c.Summary(path))
	return nil
}

// Package backup makes consistent online backups of a Hutong database and
// checks them.
//
// SQLite: VACUUM INTO writes a compacted copy of the database as of one read
// transaction. In WAL mode a read transaction blocks no writer, so the server
// keeps serving while the copy is made; the copy holds every transaction
// committed before the backup began and none after. The copy is written
// under a temporary name beside the target, synced, and then linked into
// place, so a crash never leaves a half-written file under the final name.
//
// PostgreSQL: pg_dump --format=custom, which reads one snapshot (a
// repeatable-read transaction) and blocks no writers either. Restore it with
// pg_restore into an empty database (docs/backup.md).
package backup

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/durable"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Result describes a finished backup.
type Result struct {
	Path   string
	Engine sqldb.Dialect
	Bytes  int64
	Took   time.Duration
}

// DefaultName is the file name used when none is given:
// hutong-backup-20260102-150405.db for SQLite, .dump for PostgreSQL.
func DefaultName(d sqldb.Dialect, now time.Time) string {
	ext := ".db"
	if d == sqldb.Postgres {
		ext = ".dump"
	}
	return "hutong-backup-" + now.Format("20060102-150405") + ext
}

// Run backs up db, which was opened from dsn, to the file path, which must
// not exist yet. While it runs it reports the size written so far to
// progress (if not nil) every few seconds.
func Run(ctx context.Context, db *sqldb.DB, dsn, path string, progress io.Writer) (Result, error) {
	start := time.Now()
	res := Result{Path: path, Engine: db.Dialect}
	if _, err := os.Lstat(path); err == nil {
		return res, fmt.Errorf("backup: %s already exists; refusing to overwrite it", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return res, fmt.Errorf("backup: %w", err)
	}
	// Write under a temporary name in the same directory, then link it into
	// place: link fails if the target appeared meanwhile, and a crash leaves
	// only an obviously partial file.
	dir := filepath.Dir(path)
	tmp := filepath.Join(dir, "."+filepath.Base(path)+".partial-"+strconv.Itoa(os.Getpid()))
	os.Remove(tmp)
	defer os.Remove(tmp)

	stop := watch(tmp, progress)
	var err error
	if db.Dialect == sqldb.Postgres {
		err = dumpPostgres(ctx, dsn, tmp)
	} else {
		err = vacuumInto(ctx, db, tmp)
	}
	stop()
	if err != nil {
		return res, err
	}
	if err := durable.SyncFile(tmp); err != nil {
		return res, fmt.Errorf("backup: %w", err)
	}
	if err := os.Link(tmp, path); err != nil {
		return res, fmt.Errorf("backup: %w", err)
	}
	if err := durable.SyncDir(dir); err != nil {
		return res, fmt.Errorf("backup: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return res, fmt.Errorf("backup: %w", err)
	}
	res.Bytes = fi.Size()
	res.Took = time.Since(start)
	return res, nil
}

// vacuumInto copies a SQLite database with VACUUM INTO. The reader pool is
// query_only, which refuses VACUUM INTO, and the writer must stay free for
// the server's writes, so the copy gets a connection of its own: it needs
// only a read transaction, so writers go on meanwhile.
func vacuumInto(ctx context.Context, db *sqldb.DB, tmp string) error {
	uri, err := sqldb.FileURI(db.Source, "_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	conn, err := sql.Open("sqlite", uri)
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", db.Source, err)
	}
	defer conn.Close()
	// VACUUM INTO reads a name that starts with "file:" as a URI; an
	// absolute path never does.
	abs, err := filepath.Abs(tmp)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `VACUUM INTO $1`, abs); err != nil {
		return fmt.Errorf("backup: VACUUM INTO %s: %w", tmp, err)
	}
	return conn.Close()
}

func dumpPostgres(ctx context.Context, dsn, tmp string) error {
	pgDump, err := Tool("pg_dump")
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--no-owner", "--no-privileges", "--file="+tmp, "--dbname="+dsn)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("backup: %s: %v\n%s", filepath.Base(pgDump), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// watch prints the size of the growing file every few seconds until the
// returned function is called.
func watch(path string, w io.Writer) (stop func()) {
	if w == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		start := time.Now()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if fi, err := os.Stat(path); err == nil {
					fmt.Fprintf(w, "  已写入 %s，用时 %s\n", Size(fi.Size()), time.Since(start).Round(time.Second))
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// Size formats a byte count for people.
func Size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Tool returns the path of a PostgreSQL client program (pg_dump,
// pg_restore): from $HUTONG_PG_BIN if set, else the newest
// /usr/lib/postgresql/*/bin (Debian keeps the versioned binaries there; a
// pg_dump must be at least as new as the server), else the PATH.
func Tool(name string) (string, error) {
	if dir := os.Getenv("HUTONG_PG_BIN"); dir != "" {
		p := filepath.Join(dir, name)
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("backup: HUTONG_PG_BIN=%s holds no %s", dir, name)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { // newest first
		a, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		b, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return a > b
	})
	for _, d := range dirs {
		if p := filepath.Join(d, name); isExecutable(p) {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("backup: %s not found (looked at $HUTONG_PG_BIN, /usr/lib/postgresql/*/bin and $PATH); install the PostgreSQL client tools", name)
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// Check is what Verify found in a backup file.
type Check struct {
	Engine sqldb.Dialect
	// SQLite: row counts of the main tables and the audit chain report.
	Counts map[string]int64
	Audit  audit.Report
	// PostgreSQL: number of entries in the dump's table of contents.
	Objects int
}

// pgdmpMagic starts every pg_dump custom-format archive.
const pgdmpMagic = "PGDMP"

// Verify checks a backup file without changing it. A SQLite copy is opened
// read-only: PRAGMA integrity_check, row counts and the audit chain. A
// PostgreSQL dump is read with pg_restore --list, which checks that the
// archive is complete and readable (restore it to check more).
func Verify(ctx context.Context, path string) (Check, error) {
	f, err := os.Open(path)
	if err != nil {
		return Check{}, fmt.Errorf("backup: %w", err)
	}
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte(pgdmpMagic)):
		return verifyDump(ctx, path)
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		return verifySQLite(ctx, path)
	}
	return Check{}, fmt.Errorf("backup: %s is neither a SQLite database nor a pg_dump custom-format archive", path)
}

func verifyDump(ctx context.Context, path string) (Check, error) {
	c := Check{Engine: sqldb.Postgres}
	pgRestore, err := Tool("pg_restore")
	if err != nil {
		return c, err
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, pgRestore, "--list", path)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return c, fmt.Errorf("backup: pg_restore --list %s: %v\n%s", path, err, strings.TrimSpace(stderr.String()))
	}
	for line := range strings.SplitSeq(string(out), "\n") {
		if line != "" && !strings.HasPrefix(line, ";") {
			c.Objects++
		}
	}
	if c.Objects == 0 {
		return c, fmt.Errorf("backup: %s holds no objects", path)
	}
	return c, nil
}

// Tables counted by Verify. Later capabilities add theirs here.
var countedTables = []string{"regions", "departments", "users", "apps", "app_keys", "audit_log"}

func verifySQLite(ctx context.Context, path string) (Check, error) {
	c := Check{Engine: sqldb.SQLite, Counts: map[string]int64{}}
	// mode=ro and query_only: the copy is not touched, not even its journal mode.
	uri, err := sqldb.FileURI(path, "mode=ro&_pragma=query_only(1)&_time_format=sqlite")
	if err != nil {
		return c, err
	}
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return c, fmt.Errorf("backup: open %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var ok string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil {
		return c, fmt.Errorf("backup: integrity check of %s: %w", path, err)
	}
	if ok != "ok" {
		return c, fmt.Errorf("backup: integrity check of %s failed: %s", path, ok)
	}
	for _, t := range countedTables {
		var n int64
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return c, fmt.Errorf("backup: %s: count %s: %w", path, t, err)
		}
		c.Counts[t] = n
	}
	if c.Audit, err = audit.Verify(ctx, db); err != nil {
		return c, fmt.Errorf("backup: %s: %w", path, err)
	}
	if c.Audit.Problem != nil {
		return c, fmt.Errorf("backup: %s: audit chain broken at row %d: %s", path, c.Audit.Problem.Seq, c.Audit.Problem.Reason)
	}
	return c, nil
}

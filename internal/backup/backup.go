// Package backup makes consistent online backups of a Hutong database and
// checks them.
//
// SQLite: VACUUM INTO writes a compacted copy of the database as of one read
// transaction. In WAL mode a read transaction blocks no writer, so the server
// keeps serving while the copy is made; the copy holds every transaction
// committed before the backup began and none after. The copy is written
// under a temporary name beside the target, synced, and then linked into
// place (or, where the file system has no hard links, renamed over an empty
// file claiming the name), so a crash never leaves a half-written file
// under the final name.
//
// PostgreSQL: pg_dump --format=custom, which reads one snapshot (a
// repeatable-read transaction) and blocks no writers either; the DSN's
// password reaches it in its environment, never on its command line.
// Restore it with pg_restore into an empty database (docs/backup.md).
package backup

import (
	"bufio"
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
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

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

// CheckTarget says in Chinese why a backup cannot be written to path, as Run
// does before any work: it is "-" (standard output, which a backup is not
// written to), a folder, the file exists, or its folder is missing, not a
// folder or cannot be searched. A caller may check its
// output so before it opens the database; Run checks again.
func CheckTarget(path string) error {
	if path == "-" {
		// Not standard output: a backup is written under a temporary
		// name, synced and only then given its name, which a pipe has not.
		return errors.New("备份不能写到标准输出（-o -）：备份先以临时文件写成、同步到磁盘后才放到其名称下，须写入文件；请在 -o 中给出文件名，如 -o hutong-backup.db（当前目录中名为 - 的文件请写作 -o ./-）")
	}
	dir := filepath.Dir(path)
	if fi, err := os.Lstat(path); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("%s 是文件夹：请在 -o 中给出备份文件的名称，如 %s",
				absPath(path), filepath.Join(absPath(path), "hutong-backup.db"))
		}
		return exists(path)
	} else if !errors.Is(err, fs.ErrNotExist) { // a folder on the way is not one, or cannot be searched
		return folderError(dir, err)
	}
	if _, err := os.Stat(dir); err != nil {
		return folderError(dir, err)
	}
	return nil
}

// syncFile and syncDir are durable.SyncFile and durable.SyncDir; tests
// replace them to fail as a failing disk does.
var (
	syncFile = durable.SyncFile
	syncDir  = durable.SyncDir
)

// Run backs up db, which was opened from dsn, to the file path, which must
// not exist yet. While it runs it reports the size written so far to
// progress (if not nil) every few seconds. What the user can put right (the
// file exists, its folder is missing or not writable, pg_dump is missing or
// fails) is said in Chinese before any work where it can be.
func Run(ctx context.Context, db *sqldb.DB, dsn, path string, progress io.Writer) (Result, error) {
	start := time.Now()
	res := Result{Path: path, Engine: db.Dialect}
	if err := CheckTarget(path); err != nil {
		return res, err
	}
	if db.Dialect == sqldb.SQLite {
		if err := isHutong(ctx, db); err != nil {
			return res, err
		}
	}
	// Write under a temporary name in the same directory, then link it into
	// place (publish): link fails if the target appeared meanwhile, and a
	// crash leaves only an obviously partial file. The file is created
	// empty first (both VACUUM INTO and pg_dump write into an empty file),
	// so that a folder that cannot take it is reported before the copy
	// rather than by the copy's own error. It is created 0600, whatever
	// the umask: a backup holds citizen IDs and password hashes. VACUUM
	// INTO and pg_dump write into it and keep its mode.
	dir := filepath.Dir(path)
	removeStale(dir, "."+filepath.Base(path)+".partial-")
	tmp := filepath.Join(dir, "."+filepath.Base(path)+".partial-"+strconv.Itoa(os.Getpid()))
	os.Remove(tmp)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return res, folderError(dir, err)
	}
	f.Close()
	// On success the copy is linked to path and the temporary name goes;
	// on every failure the copy goes, with any journal SQLite left beside it.
	defer func() {
		os.Remove(tmp)
		os.Remove(tmp + "-journal")
	}()

	stop := watch(tmp, progress)
	if db.Dialect == sqldb.Postgres {
		err = dumpPostgres(ctx, dsn, tmp)
	} else {
		err = vacuumInto(ctx, db, tmp)
	}
	stop()
	if err != nil {
		if ctx.Err() != nil {
			return res, canceled{ctx.Err()}
		}
		var se *sqlite.Error
		if errors.As(err, &se) {
			switch se.Code() {
			case sqlite3.SQLITE_IOERR_WRITE, sqlite3.SQLITE_IOERR_FSYNC, sqlite3.SQLITE_IOERR_DIR_FSYNC, sqlite3.SQLITE_IOERR_TRUNCATE:
				// VACUUM INTO only reads the database, so a write, sync
				// or truncation that fails is the copy's. The driver
				// does not give the system's errno (EIO, or EFBIG past
				// ulimit -f): it is said as an I/O error.
				return res, durable.WriteFailed("备份", path, syscall.EIO)
			}
			if se.Code()&0xff == sqlite3.SQLITE_FULL {
				return res, durable.WriteFailed("备份", path, syscall.ENOSPC) // the disk SQLite found full
			}
		}
		return res, err
	}
	if err := syncFile(tmp); err != nil {
		return res, durable.WriteFailed("备份", path, err)
	}
	if err := publish(tmp, path); err != nil {
		return res, err
	}
	if err := syncDir(dir); err != nil {
		return res, fmt.Errorf("备份已写入 %s，但无法将其同步到磁盘：%s", absPath(path), durable.WriteReason(err))
	}
	fi, err := os.Stat(path)
	if err != nil {
		return res, fmt.Errorf("backup: %w", err)
	}
	res.Bytes = fi.Size()
	res.Took = time.Since(start)
	return res, nil
}

// removeStale removes the files in dir named prefix+PID or
// prefix+PID+"-journal" whose process PID no longer runs: what a backup
// to the same target left when it was killed, full of personal data.
// Those of a running process (another backup to the same target) are
// kept; so is everything else.
func removeStale(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSuffix(rest, "-journal"))
		if err != nil || pid <= 0 || pid == os.Getpid() || running(pid) {
			continue
		}
		os.Remove(filepath.Join(dir, e.Name()))
	}
}

// isHutong refuses a SQLite database that is not Hutong's (any SQLite
// file -db names opens), before the copy: it has no schema_migrations.
func isHutong(ctx context.Context, db *sqldb.DB) error {
	var n int
	if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master
		WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n); err != nil {
		if ctx.Err() != nil {
			return canceled{ctx.Err()}
		}
		return fmt.Errorf("无法读取数据库 %s：%w", db.Source, err)
	}
	if n == 0 {
		return fmt.Errorf("%s 不是互通数据库：其中没有数据库结构版本表 schema_migrations", db.Source)
	}
	return nil
}

// canceled is a backup stopped by its context (Ctrl-C), said in Chinese
// without the temporary file's name or the copy's own words.
type canceled struct{ err error }

func (e canceled) Error() string { return "备份已取消" }
func (e canceled) Unwrap() error { return e.err }

// exists refuses to overwrite the file at path.
func exists(path string) error {
	return fmt.Errorf("%s 已存在：备份从不覆盖已有文件，请另选文件名", absPath(path))
}

// absPath is the absolute form of path, for messages, or path itself.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// folderError says why the backup cannot be written in the folder dir.
func folderError(dir string, err error) error {
	dir = absPath(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if fi, serr := os.Stat(dir); serr == nil && fi.IsDir() {
			// It exists, but creating a file there says ENOENT, as /proc does.
			return fmt.Errorf("无法在文件夹 %s 中写入备份：该文件夹不能新建文件", dir)
		}
		return fmt.Errorf("文件夹 %s 不存在：请先创建，或另选输出路径", dir)
	case errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("%s 不是文件夹", dir)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("无法在文件夹 %s 中写入备份：没有权限", dir)
	}
	return fmt.Errorf("无法在文件夹 %s 中写入备份：%v", dir, durable.Reason(err))
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
	if err := conn.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return dropSessions(ctx, abs)
}

// sessionTables are the tables whose rows a backup leaves out: the
// console's sessions, live at the backup and ended (logged out, expired,
// cut off with a password change) since, which a restore would bring back
// to life. After a restore everyone logs in again. The login failures and
// lock-outs are kept: dropping them would lift the lock-out of an account
// under a password-guessing attack.
var sessionTables = []string{"sessions"}

// dropSessions deletes the rows of sessionTables from the SQLite copy at
// path, before it is synced and published, with secure_delete on, so that
// their bytes are overwritten rather than left in free pages. The copy
// VACUUM INTO writes is in rollback journal mode: the delete leaves no
// -wal or -shm beside it, and its -journal goes with the commit.
func dropSessions(ctx context.Context, path string) error {
	uri, err := sqldb.FileURI(path, "_pragma=secure_delete(1)")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	conn, err := sql.Open("sqlite", uri)
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", path, err)
	}
	defer conn.Close()
	for _, t := range sessionTables {
		if _, err := conn.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return fmt.Errorf("backup: %s: DELETE FROM %s: %w", path, t, err)
		}
	}
	return conn.Close()
}

func dumpPostgres(ctx context.Context, dsn, tmp string) error {
	pgDump, err := Tool("pg_dump")
	if err != nil {
		return err
	}
	cmd, err := dumpCommand(ctx, pgDump, dsn, tmp)
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return dumpFailed(pgDump, sqldb.Redact(dsn), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// versionMismatch is what pg_dump writes when it is older than the server
// (all releases since 9.x): "server version: 16.4 (Debian …); pg_dump
// version: 15.8 (…)".
var versionMismatch = regexp.MustCompile(`server version: ((\d+)[\d.]*)[^;\n]*; pg_dump version: ([\d.]+)`)

// deniedTable is the table pg_dump could not read.
var deniedTable = regexp.MustCompile(`permission denied for (?:table|sequence|schema) (\S+)`)

// roleMissing and databaseMissing are the server's refusals of the
// connection's role and database, which pg_dump writes after
// "connection to server … failed: FATAL:".
var (
	roleMissing     = regexp.MustCompile(`FATAL:\s+role "[^"]*" does not exist`)
	databaseMissing = regexp.MustCompile(`FATAL:\s+database "[^"]*" does not exist`)
	// socketDenied is libpq's refusal to open the server's Unix socket,
	// which the user running pg_dump may not open (its path submatched).
	socketDenied = regexp.MustCompile(`connection to server on socket "([^"]*)" failed: Permission denied`)
)

// dumpFailed says in one Chinese line that pg_dump, at path, could not
// dump the database source (a redacted DSN), with the common causes in
// words — pg_dump older than the server, a table the role may not read, a
// full disk, a wrong password or role, a missing database, no server to
// connect to or a socket it may not open, a file it may not open —
// followed by pg_dump's own lines (stderr) for the details.
func dumpFailed(path, source string, err error, stderr string) error {
	what := "pg_dump（" + path + "）未能导出数据库 " + source
	var why string
	var exit *exec.ExitError
	switch m := versionMismatch.FindStringSubmatch(stderr); {
	case m != nil:
		why = fmt.Sprintf("pg_dump 的版本（%s）比数据库服务器（%s）旧：请安装 postgresql-client-%s，"+
			"或将环境变量 HUTONG_PG_BIN 设为 %s 版 pg_dump 所在的文件夹（如 /usr/lib/postgresql/%s/bin）",
			m[3], m[1], m[2], m[2], m[2])
	case deniedTable.MatchString(stderr):
		why = "数据库用户无权读取 " + deniedTable.FindStringSubmatch(stderr)[1] +
			"：请以拥有全部表的角色（服务器登录所用的角色）备份（见 docs/backup.md）"
	case strings.Contains(stderr, "No space left on device"):
		why = "磁盘空间不足：备份所在的文件系统已满，请腾出空间或以 -o 写到另一处"
	case strings.Contains(stderr, "password authentication failed") || strings.Contains(stderr, "no password supplied") ||
		roleMissing.MatchString(stderr):
		why = "角色不存在或密码错误：请检查 DSN 中的用户名，以及 PGPASSWORD 或 ~/.pgpass 中的密码（见 docs/backup.md）"
	case databaseMissing.MatchString(stderr):
		why = "数据库不存在：请检查 DSN 中的数据库名"
	// A failed connection precedes a file pg_dump may not open: libpq
	// says a socket it may not open with the same "Permission denied".
	case socketDenied.MatchString(stderr):
		why = "无法连接数据库服务器：运行 hutong backup 的用户无权打开数据库服务器的套接字（" +
			socketDenied.FindStringSubmatch(stderr)[1] + "）：请以有权访问它的用户运行，或改用 TCP 连接（DSN 中的 host）"
	case strings.Contains(stderr, "Connection refused"):
		why = "无法连接数据库服务器：连接被拒绝（服务器未运行，或主机、端口有误）"
	case strings.Contains(stderr, "connection to server") || strings.Contains(stderr, "could not connect"):
		why = "无法连接数据库服务器"
	case strings.Contains(stderr, "Permission denied"):
		why = "没有权限：pg_dump 无法打开它须读写的文件（备份文件夹须可由运行 hutong backup 的用户写入）"
	case errors.As(err, &exit):
		why = fmt.Sprintf("退出状态 %d", exit.ExitCode())
	default:
		why = durable.Reason(err).Error()
	}
	msg := what + "：" + why
	if stderr != "" {
		msg += "\n" + stderr
	}
	return errors.New(msg)
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
		p := toolPath(dir, name, runtime.GOOS)
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("HUTONG_PG_BIN=%s 中没有可执行的 %s", dir, filepath.Base(p))
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
	return "", fmt.Errorf("找不到 %s（已查找 $HUTONG_PG_BIN、/usr/lib/postgresql/*/bin 和 $PATH）：请安装 PostgreSQL 客户端工具", name)
}

// toolPath is where program name would be in dir on goos: name.exe on
// Windows.
func toolPath(dir, name, goos string) string {
	if goos == "windows" {
		name += ".exe"
	}
	return filepath.Join(dir, name)
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && runnable(fi.Mode(), runtime.GOOS)
}

// runnable reports whether a file of mode m can be run on goos: a regular
// file with an execute bit, or on Windows, whose files have none (Go sets
// them for none), any regular file.
func runnable(m fs.FileMode, goos string) bool {
	return m.IsRegular() && (goos == "windows" || m&0o111 != 0)
}

// Check is what Verify found in a backup file.
type Check struct {
	Engine sqldb.Dialect
	// Rows of the main tables (countedTables): in a SQLite copy, and in the
	// data of a PostgreSQL dump.
	Counts map[string]int64
	// SQLite: the foreign key constraints checked and the audit chain.
	ForeignKeys int
	Audit       audit.Report
	// PostgreSQL: number of entries in the dump's table of contents.
	Objects int
	// The newest migration recorded in the backup's schema_migrations:
	// the version of its schema, which an earlier release may have left
	// behind the binary's.
	Schema string
}

// Summary says in Chinese what Verify checked in the backup at path and
// found there, a line of checks and a line per counted table, for the
// operator.
func (c Check) Summary(path string) string {
	var b strings.Builder
	if c.Engine == sqldb.Postgres {
		fmt.Fprintf(&b, "%s：pg_dump 归档完整可读：pg_restore 读完了目录（%d 个对象）和每张表的数据；审计链须恢复后以 hutong audit verify 校验\n",
			path, c.Objects)
	} else {
		fmt.Fprintf(&b, "%s：SQLite 完整性检查（integrity_check）通过；外键检查（foreign_key_check，%d 个外键）通过，没有引用不存在的行；"+
			"审计链完整（%d 行，链头序号 %d）\n", path, c.ForeignKeys, c.Audit.Rows, c.Audit.Head)
	}
	if line := c.schemaLine(); line != "" {
		b.WriteString(line)
	}
	names := make([]string, 0, len(c.Counts))
	for n := range c.Counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  %-27s %d\n", n, c.Counts[n])
	}
	return b.String()
}

// schemaLine says in Chinese the backup's schema version and how it
// compares with the binary's: the same, made by an earlier release (a
// restore migrates it forward), or by a newer one (this binary refuses to
// serve it).
func (c Check) schemaLine() string {
	if c.Schema == "" {
		return ""
	}
	names, err := sqldb.Migrations(c.Engine)
	if err != nil || len(names) == 0 {
		return fmt.Sprintf("  数据库结构版本 %s\n", c.Schema)
	}
	latest := names[len(names)-1]
	switch {
	case c.Schema < latest:
		return fmt.Sprintf("  数据库结构版本 %s：由较早版本创建，恢复时会升级到 %s\n", c.Schema, latest)
	case c.Schema > latest:
		return fmt.Sprintf("  数据库结构版本 %s：由较新版本创建，本版本（%s）无法使用，须以创建它的版本或更新的版本恢复\n", c.Schema, latest)
	}
	return fmt.Sprintf("  数据库结构版本 %s：与本版本相同\n", c.Schema)
}

// pgdmpMagic starts every pg_dump custom-format archive.
const pgdmpMagic = "PGDMP"

// Verify checks a backup file without changing it. A SQLite copy is opened
// read-only: PRAGMA integrity_check, PRAGMA foreign_key_check, row counts
// and the audit chain. A PostgreSQL dump is read to its end with
// pg_restore: its table of contents (--list), then every table's data,
// uncompressed and written out as SQL (to a pipe, not a database), whose
// rows are counted; its audit chain can only be checked once restored.
// A backup a newer release made fails (ErrNewer) after its checks.
func Verify(ctx context.Context, path string) (Check, error) {
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Check{}, fmt.Errorf("文件 %s 不存在", path)
	case errors.Is(err, fs.ErrPermission):
		return Check{}, fmt.Errorf("无法读取 %s：没有权限", path)
	case err != nil:
		return Check{}, fmt.Errorf("无法读取 %s：%v", path, durable.Reason(err))
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return Check{}, fmt.Errorf("%s 是文件夹，不是文件：请给出备份文件的路径", path)
	}
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	var c Check
	switch {
	case bytes.HasPrefix(head, []byte(pgdmpMagic)):
		c, err = verifyDump(ctx, path)
	case bytes.HasPrefix(head, []byte("SQLite format 3\x00")):
		c, err = verifySQLite(ctx, path)
	default:
		return Check{}, fmt.Errorf("%s 既不是 SQLite 数据库，也不是 pg_dump 自定义格式（custom）的归档", path)
	}
	if err != nil {
		return c, err
	}
	if names, err := sqldb.Migrations(c.Engine); err == nil && len(names) > 0 && c.Schema > names[len(names)-1] {
		return c, newerError(fmt.Sprintf("%s：由较新版本创建（数据库结构版本 %s），本版本（%s）无法使用：须以创建它的版本或更新的版本恢复和检查",
			path, c.Schema, names[len(names)-1]))
	}
	return c, nil
}

// ErrNewer is what Verify's error is (errors.Is) for a backup whose schema
// a newer release made: its checks passed, with the Check filled in, but
// this binary cannot use it, so it does not pass.
var ErrNewer = errors.New("backup: made by a newer release")

type newerError string

func (e newerError) Error() string        { return string(e) }
func (e newerError) Is(target error) bool { return target == ErrNewer }

func verifyDump(ctx context.Context, path string) (Check, error) {
	c := Check{Engine: sqldb.Postgres, Counts: map[string]int64{}}
	pgRestore, err := Tool("pg_restore")
	if err != nil {
		return c, err
	}
	// The tables whose data the archive holds: their "TABLE DATA schema
	// name owner" entries in the table of contents. A dump made with
	// --exclude-table-data lists the table but not its data.
	data := map[string]bool{}
	err = restoreOut(ctx, pgRestore, path, func(line []byte) {
		if len(line) > 0 && line[0] != ';' && line[0] != '\n' {
			c.Objects++
			if _, rest, ok := strings.Cut(string(line), " TABLE DATA "); ok {
				if f := strings.Fields(rest); len(f) >= 2 {
					data[f[1]] = true
				}
			}
		}
	}, "--list")
	if err != nil {
		return c, err
	}
	if c.Objects == 0 {
		return c, fmt.Errorf("%s：归档中没有任何对象", path)
	}
	// The data as a script: each table's rows are the lines between its
	// "COPY public.t (…) FROM stdin;" and "\.", one line a row (COPY's
	// text format escapes newlines in values).
	rows := map[string]int64{}
	table := ""
	err = restoreOut(ctx, pgRestore, path, func(line []byte) {
		switch {
		case table != "" && string(line) == "\\.\n":
			table = ""
		case table != "":
			rows[table]++
			if table == "schema_migrations" { // name is the first column
				name, _, _ := strings.Cut(strings.TrimSuffix(string(line), "\n"), "\t")
				c.Schema = max(c.Schema, name)
			}
		case bytes.HasPrefix(line, []byte("COPY ")):
			name, _, _ := strings.Cut(string(line[len("COPY "):]), " ")
			table = strings.TrimPrefix(name, "public.")
			rows[table] += 0 // an empty table is counted too
		}
	}, "--data-only", "--file=-")
	if err != nil {
		return c, err
	}
	has := func(t string) bool { _, ok := rows[t]; return ok }
	if missing := missingCore(has); missing != "" {
		return c, fmt.Errorf("%s 不像互通数据库的备份：归档中没有 %s 表的数据", path, missing)
	}
	if missing := c.missingCurrent(func(t string) bool { return data[t] }); missing != "" {
		return c, fmt.Errorf("%s：备份不完整：数据库结构版本与本版本相同，归档中却没有 %s 表的数据", path, missing)
	}
	for _, t := range countedTables {
		if n, ok := rows[t]; ok {
			c.Counts[t] = n
		}
	}
	return c, nil
}

// restoreOut runs pg_restore with args on the archive at path and calls
// line with the start of each line it writes to stdout: the whole line up
// to 64 KiB, with its "\n". A failure is said in Chinese with the last
// line pg_restore wrote to stderr, which names what it could not read.
func restoreOut(ctx context.Context, pgRestore, path string, line func([]byte), args ...string) error {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, pgRestore, append(args, path)...)
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("无法运行 %s：%v", pgRestore, durable.Reason(err))
	}
	r := bufio.NewReaderSize(stdout, 64<<10)
	start := true // the next read begins a line
	for {
		b, err := r.ReadSlice('\n')
		if start && len(b) > 0 {
			line(b)
		}
		start = err == nil
		if err != nil && err != bufio.ErrBufferFull {
			break
		}
	}
	if err := cmd.Wait(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		last := "（未说明原因）"
		if lines := strings.Split(strings.TrimSpace(stderr.String()), "\n"); lines[len(lines)-1] != "" {
			last = "“" + strings.TrimSpace(lines[len(lines)-1]) + "”"
		}
		return fmt.Errorf("%s：pg_dump 归档已损坏或不完整：pg_restore 读取时报错%s", path, last)
	}
	return nil
}

// Tables counted by Verify, those of them a backup has: one made by an
// earlier release lacks the tables added since. Later capabilities add
// theirs here.
var countedTables = []string{"regions", "departments", "users", "apps", "app_keys", "audit_log",
	"catalog_entries", "catalog_entry_versions", "record_batches", "record_versions", "record_discrepancies",
	"record_discrepancy_feedback"}

// coreTables are the tables every release's database has (the first
// migration creates them): a file without them is no Hutong backup.
var coreTables = []string{"schema_migrations", "regions", "departments", "users", "apps", "app_keys", "audit_log"}

// currentTables are the tables a backup of this binary's schema version
// must have: the core and counted tables, and the audit chain's head.
var currentTables = append(append([]string{"audit_head"}, coreTables...), countedTables...)

// missingCurrent names, sorted and joined with "、", the currentTables for
// which has is false when the backup's schema version is this binary's,
// or returns "" when there are none or the backup was made by another
// release (an earlier one lacks the tables added since).
func (c Check) missingCurrent(has func(table string) bool) string {
	names, err := sqldb.Migrations(c.Engine)
	if err != nil || len(names) == 0 || c.Schema != names[len(names)-1] {
		return ""
	}
	var missing []string
	for _, t := range currentTables {
		if !has(t) && !slices.Contains(missing, t) {
			missing = append(missing, t)
		}
	}
	sort.Strings(missing)
	return strings.Join(missing, "、")
}

// missingCore names the core tables for which has is false, joined with
// "、", or returns "" when there are none.
func missingCore(has func(table string) bool) string {
	var missing []string
	for _, t := range coreTables {
		if !has(t) {
			missing = append(missing, t)
		}
	}
	return strings.Join(missing, "、")
}

// verifySQLite checks the SQLite copy at path. SQLite's finding that the
// file is damaged (SQLITE_CORRUPT) or no database (SQLITE_NOTADB), in
// whichever check meets it, is said in Chinese: the backup is damaged or
// incomplete, as a file cut short or overwritten is.
func verifySQLite(ctx context.Context, path string) (Check, error) {
	c, err := checkSQLite(ctx, path)
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT:
			return c, fmt.Errorf("%s：备份已损坏或不完整：SQLite 读取时发现数据库文件损坏", path)
		case sqlite3.SQLITE_NOTADB:
			return c, fmt.Errorf("%s：备份已损坏或不完整：SQLite 无法将其识别为数据库文件", path)
		}
	}
	return c, err
}

func checkSQLite(ctx context.Context, path string) (Check, error) {
	c := Check{Engine: sqldb.SQLite, Counts: map[string]int64{}}
	// mode=ro and query_only: the copy is not touched, not even its
	// journal mode. immutable: SQLite takes no locks and, for a file in
	// WAL mode, creates no -wal or -shm beside it, so the folder is not
	// changed and may be read-only. It also reads no -wal there: a backup
	// is a file no one writes; a live database must not be verified so
	// (docs/backup.md).
	uri, err := sqldb.FileURI(path, "mode=ro&immutable=1&_pragma=query_only(1)&_time_format=sqlite")
	if err != nil {
		return c, err
	}
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return c, fmt.Errorf("backup: open %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := integrityCheck(ctx, db, path); err != nil {
		return c, err
	}
	if c.ForeignKeys, err = foreignKeyCheck(ctx, db); err != nil {
		return c, fmt.Errorf("%s：%w", path, err)
	}
	tables, err := sqliteTables(ctx, db)
	if err != nil {
		return c, fmt.Errorf("%s：%w", path, err)
	}
	if missing := missingCore(func(t string) bool { return tables[t] }); missing != "" {
		return c, fmt.Errorf("%s 不像互通数据库的备份：没有 %s 表", path, missing)
	}
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(name), '') FROM schema_migrations`).Scan(&c.Schema); err != nil {
		return c, fmt.Errorf("%s：无法读取数据库结构版本：%w", path, err)
	}
	if missing := c.missingCurrent(func(t string) bool { return tables[t] }); missing != "" {
		return c, fmt.Errorf("%s：备份不完整：数据库结构版本与本版本相同，却缺少 %s 表", path, missing)
	}
	for _, t := range countedTables {
		if !tables[t] {
			continue
		}
		var n int64
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return c, fmt.Errorf("%s：无法统计 %s 表的行数：%w", path, t, err)
		}
		c.Counts[t] = n
	}
	if c.Audit, err = audit.Verify(ctx, db); err != nil {
		return c, fmt.Errorf("backup: %s: %w", path, err)
	}
	if c.Audit.Problem != nil {
		return c, fmt.Errorf("%s：审计链断开：%s", path, c.Audit.Problem.Reason)
	}
	return c, nil
}

// integrityCheckLimit is the number of problems after which PRAGMA
// integrity_check stops by default.
const integrityCheckLimit = 100

// integrityCheck runs PRAGMA integrity_check on the SQLite copy at path
// and, when it finds problems, says so in one Chinese line, with how many
// it found (at least, when damage or integrityCheckLimit stopped it) and
// the first of them, in SQLite's words.
func integrityCheck(ctx context.Context, db *sql.DB, path string) error {
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("%s：无法检查完整性：%w", path, err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var row string
		if err := rows.Scan(&row); err != nil {
			return fmt.Errorf("%s：无法检查完整性：%w", path, err)
		}
		found = append(found, sqldb.IntegrityProblems(row)...)
	}
	// The check may stop at damage it cannot read past (SQLITE_CORRUPT):
	// what it found before is said, else the error.
	stopped := rows.Err()
	if stopped != nil && len(found) == 0 {
		return fmt.Errorf("%s：无法检查完整性：%w", path, stopped)
	}
	if len(found) == 0 {
		return nil
	}
	// The check also stops after integrityCheckLimit problems (its
	// default), one a line, whether or not there are more.
	count := fmt.Sprintf("共 %d 处问题", len(found))
	if stopped != nil || len(found) >= integrityCheckLimit {
		count = fmt.Sprintf("至少 %d 处问题", len(found))
	}
	return fmt.Errorf("%s：备份已损坏或不完整：SQLite 完整性检查（integrity_check）发现数据库文件损坏，%s（首处：%s）", path, count, found[0])
}

// sqliteTables returns the names of the tables of a SQLite database.
func sqliteTables(ctx context.Context, db *sql.DB) (map[string]bool, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		return nil, fmt.Errorf("无法读取表的列表：%w", err)
	}
	defer rows.Close()
	tables := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("无法读取表的列表：%w", err)
		}
		tables[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("无法读取表的列表：%w", err)
	}
	return tables, nil
}

// foreignKeyCheck runs PRAGMA foreign_key_check, which finds the rows whose
// foreign keys name a row that is not there, as rows written with
// foreign_keys off can. It returns how many foreign key constraints the
// schema declares, or says in Chinese which tables hold how many such rows
// and which table they reference.
func foreignKeyCheck(ctx context.Context, db *sql.DB) (int, error) {
	var declared int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT DISTINCT m.name, f.id
		FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table')`).Scan(&declared); err != nil {
		return 0, fmt.Errorf("无法检查外键：%w", err)
	}
	rows, err := db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return 0, fmt.Errorf("无法检查外键：%w", err)
	}
	defer rows.Close()
	type ref struct{ table, parent string }
	dangling := map[ref]int{}
	for rows.Next() {
		var r ref
		var rowid, fkid sql.NullInt64
		if err := rows.Scan(&r.table, &rowid, &r.parent, &fkid); err != nil {
			return 0, fmt.Errorf("无法检查外键：%w", err)
		}
		dangling[r]++
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("无法检查外键：%w", err)
	}
	if len(dangling) == 0 {
		return declared, nil
	}
	refs := make([]ref, 0, len(dangling))
	for r := range dangling {
		refs = append(refs, r)
	}
	sort.Slice(refs, func(i, j int) bool {
		if refs[i].table != refs[j].table {
			return refs[i].table < refs[j].table
		}
		return refs[i].parent < refs[j].parent
	})
	var msgs []string
	for _, r := range refs {
		msgs = append(msgs, fmt.Sprintf("%s 表有 %d 行引用的 %s 行不存在", r.table, dangling[r], r.parent))
	}
	return declared, errors.New("外键检查未通过：" + strings.Join(msgs, "；"))
}

package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// walHeaderSize is the size of a -wal file's header; a -wal no longer
// holds frames, changes not yet written into the database.
const walHeaderSize = 32

// checkLeftWAL refuses the SQLite database at path (absolute) when a -wal
// file left beside it by a process that no longer has it open does not
// fit it: read through that -wal, the database fails PRAGMA quick_check,
// while the file alone passes (a file damaged itself is not refused here). That is the -wal of the database a restored
// backup replaced (docs/backup.md, Restore, step 2): SQLite has no means
// to tell a -wal of another file, and the first read-write connection
// would checkpoint its pages into the restored file, damaging it, and
// delete it. The check reads through a read-only connection, which never
// checkpoints: the database and the -wal are left as they were.
//
// It costs a quick_check of the whole database, and runs only when a
// -wal with frames is there and no process has the database open (no lock
// on its -shm, in any PID namespace: walInUse): after a crash or kill -9
// of the server, or a -wal put there by hand. A -wal a server left on its own file fits it
// and is recovered as before. Where walInUse cannot tell (other systems
// than Linux, no /proc) it does not run.
func checkLeftWAL(ctx context.Context, path string) error {
	wal := path + "-wal"
	if fi, err := os.Stat(wal); err != nil || fi.Size() <= walHeaderSize {
		return nil
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		return nil
	}
	if walInUse(path) {
		return nil
	}
	side := sideFiles(path)
	ok, finding, err := quickCheck(ctx, path, "mode=ro")
	if err != nil || ok {
		// A database that cannot be read is SQLite's to say when it opens.
		return nil
	}
	// Whether the file alone, without the -wal, is whole tells the -wal's
	// fault from the file's, which is left to the commands to meet as
	// before.
	if alone, _, err := quickCheck(ctx, path, "mode=ro&immutable=1"); err != nil || !alone {
		return nil
	}
	return &openFailure{msg: "无法打开数据库 " + path + "：它旁边的 " + strings.Join(side, " 和 ") +
		" 与它不符：连同其中尚未写入数据库文件的更改读取，数据库已损坏（quick_check：" + finding +
		"），数据库文件本身完好。若这是刚恢复的备份，它们多半是被替换的旧数据库留下的。已拒绝打开，数据库文件和 -wal 均未改动：" +
		"请停止服务器，将 " + path + " 及其 -wal、-shm 文件一并移走，再重新放入备份文件（见 docs/backup.md 恢复第 2 步）"}
}

// quickCheck runs PRAGMA quick_check on the SQLite database at path,
// opened with the URI parameters query (read-only ones), and reports
// whether it passed and, if not, its first finding on one line
// (IntegrityProblems). A database SQLite finds damaged or not a database
// while checking (SQLITE_CORRUPT, SQLITE_NOTADB) fails the check; another
// error is returned.
func quickCheck(ctx context.Context, path, query string) (ok bool, finding string, err error) {
	uri, err := FileURI(path, query+"&_pragma=busy_timeout(10000)")
	if err != nil {
		return false, "", err
	}
	db, err := sql.Open("sqlite", uri)
	if err != nil {
		return false, "", err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	err = db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&finding)
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CORRUPT {
		return false, "database disk image is malformed", nil
	}
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_NOTADB {
		return false, "file is not a database", nil
	}
	if err != nil {
		return false, "", err
	}
	problems := IntegrityProblems(finding)
	return len(problems) == 0, strings.Join(problems, " "), nil
}

// IntegrityProblems returns the problems a row of PRAGMA integrity_check
// or quick_check reports, one a line, in SQLite's words: none when the
// row is "ok". A row may hold several lines, the first naming the schema
// ("*** in database main ***"), which is left out.
func IntegrityProblems(row string) []string {
	var found []string
	for line := range strings.SplitSeq(row, "\n") {
		if line = strings.TrimSpace(line); line != "" && line != "ok" && !strings.HasPrefix(line, "*** in database ") {
			found = append(found, line)
		}
	}
	return found
}

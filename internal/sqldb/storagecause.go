package sqldb

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// LockedMessage says that a SQLite database is held locked by another
// process past the busy timeout, and what to do.
const LockedMessage = "数据库被其他进程锁定：另一个 hutong 命令或服务器正占用它写入，等待超时；请稍后重试，或先停止占用它的进程"

// StorageCause says in Chinese, with what to do, why the database refused
// err's statement when the cause is the machine's rather than the
// statement's. On SQLite: another process holding the database locked
// past the busy timeout (SQLITE_BUSY, SQLITE_LOCKED: LockedMessage), a
// full disk (SQLITE_FULL) or a disk I/O error (SQLITE_IOERR, which a full
// disk gives too, when SQLite cannot grow its -shm file). On PostgreSQL:
// the server's full disk (disk_full, SQLSTATE 53100) or its want of
// memory (out_of_memory, 53200), class 53's conditions that end once the
// server's operator frees what it lacks. It is "" for any other error.
func StorageCause(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "53100":
			return "数据库服务器磁盘已满（" + pg.Error() + "）：请腾出 PostgreSQL 数据目录所在磁盘的空间后重试"
		case "53200":
			return "数据库服务器内存不足（" + pg.Error() + "）：请稍后重试；如仍失败，请检查数据库服务器的内存"
		}
		return ""
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return ""
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return LockedMessage
	case sqlite3.SQLITE_FULL:
		return "磁盘已满（" + lastLine(se) + "）：请腾出数据库所在磁盘的空间后重试"
	case sqlite3.SQLITE_IOERR:
		return "磁盘读写错误（" + lastLine(se) + "）：请检查数据库所在磁盘是否已满、是否完好，以及数据库旁的 -wal 和 -shm 文件"
	}
	return ""
}

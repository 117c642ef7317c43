package sqldb

import (
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// LockedMessage says that a SQLite database is held locked by another
// process past the busy timeout (IsLocked), and what to do.
const LockedMessage = "数据库被其他进程锁定：另一个 hutong 命令或服务器正占用它写入，等待超时；请稍后重试，或先停止占用它的进程"

// IsLocked reports whether err is SQLite's refusal of a database another
// connection holds locked past the busy timeout (SQLITE_BUSY,
// SQLITE_LOCKED): another process writing to it, or holding it with
// BEGIN EXCLUSIVE.
func IsLocked(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code() & 0xff
	return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
}

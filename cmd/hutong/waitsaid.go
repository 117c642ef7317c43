package main

import "github.com/hutong-gov/hutong/internal/sqldb"

// busyMessage says that the command's wait for the database outlasted its
// bound, and what to do. It names both causes: a lock another session held
// (PostgreSQL's lock_timeout) and a server that stopped answering look
// alike to the command (a BEGIN or a connection the bound cut short).
const busyMessage = "数据库繁忙或未应答：等待超时（另一个会话可能正占用本命令所需的数据，或数据库服务器未应答）；请稍后重试"

// storageCause says in Chinese, with what to do, why the database refused
// err's statement when the cause is the machine's or another session's
// rather than the statement's: sqldb.StorageCause (SQLite's lock, a full
// disk on either engine, a disk I/O error, PostgreSQL's want of memory),
// or a wait for the database that outlasted its bound
// (sqldb.IsWaitTimeout: on PostgreSQL a lock another session held past
// lock_timeout, which said "ERROR: canceling statement due to lock
// timeout (SQLSTATE 55P03)"), busyMessage. It is "" for any other error.
func storageCause(err error) string {
	if why := sqldb.StorageCause(err); why != "" {
		return why
	}
	if sqldb.IsWaitTimeout(err) {
		return busyMessage
	}
	return ""
}

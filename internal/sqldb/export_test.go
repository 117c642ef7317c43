package sqldb

import (
	"context"
	"time"
)

// MigrateThrough migrates db as Migrate does, up to and including the
// migration through: a database as an older release left it.
func (db *DB) MigrateThrough(ctx context.Context, through string) ([]string, error) {
	return db.migrate(ctx, through, Progress{})
}

// AccessError is accessError, for its wording.
var AccessError = accessError

// SetObjectsQuery makes the catalog query of dialect d, which Objects and
// CheckObjects read, q until restore is called.
func SetObjectsQuery(d Dialect, q string) (restore func()) {
	old := objectsQuery[d]
	objectsQuery[d] = q
	return func() { objectsQuery[d] = old }
}

// Objects returns the schema objects of the database, sorted, as objects
// names them, the invalid indexes left out.
func (db *DB) Objects(ctx context.Context) ([]string, error) {
	objs, _, err := db.objects(ctx)
	return objs, err
}

// SQLiteURI is sqliteURI, for its forms.
var SQLiteURI = sqliteURI

// SetDefaultConnectTimeout makes the connect timeout of a PostgreSQL DSN
// that sets none d until restore is called.
func SetDefaultConnectTimeout(d time.Duration) (restore func()) {
	old := defaultConnectTimeout
	defaultConnectTimeout = d
	return func() { defaultConnectTimeout = old }
}

// SetAfterCreate makes Open call fn with the path of a new SQLite
// database once it has created its file, before it opens it, until
// restore is called.
func SetAfterCreate(fn func(path string)) (restore func()) {
	old := afterCreate
	afterCreate = fn
	return func() { afterCreate = old }
}

// SetBeginHooks makes Tx call before with the context bounding its wait
// once it has a connection, before it sends the BEGIN, and after once the
// BEGIN has returned (either may be nil), until restore is called.
func SetBeginHooks(before, after func(ctx context.Context)) (restore func()) {
	oldBefore, oldAfter := beforeBegin, afterBegin
	beforeBegin, afterBegin = before, after
	return func() { beforeBegin, afterBegin = oldBefore, oldAfter }
}

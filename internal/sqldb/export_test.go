package sqldb

import "context"

// MigrateThrough migrates db as Migrate does, up to and including the
// migration through: a database as an older release left it.
func (db *DB) MigrateThrough(ctx context.Context, through string) ([]string, error) {
	return db.migrate(ctx, through)
}

// AccessError is accessError, for its wording.
var AccessError = accessError

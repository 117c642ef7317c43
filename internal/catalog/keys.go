package catalog

import "github.com/hutong-gov/hutong/internal/sqldb"

// The keys whose violation is a clash with what was asked for: a resource
// code taken, a version of an entry or a conflict of an item written by
// someone else at the same time. Any other unique violation, such as a new
// id colliding on the primary key because the id sequence is behind the
// rows (a restore that left the sequences out), is an internal error.
var (
	keyCode     = sqldb.Unique("catalog_entries", "code")
	keyVersion  = sqldb.PrimaryKey("catalog_entry_versions", "entry_id", "version")
	keyConflict = sqldb.Unique("catalog_source_conflicts", "entry_id", "version", "item_key")
)

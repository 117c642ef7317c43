package org

import "github.com/hutong-gov/hutong/internal/sqldb"

// The keys whose violation is a duplicate of what was asked for: a region
// code, a username, an app's name in its department, a department's credit
// code or its name in its region. Any other unique violation, such as a
// new id colliding on the primary key because the id sequence is behind
// the rows (a restore that left the sequences out), is an internal error.
var (
	keyRegionCode = sqldb.PrimaryKey("regions", "code")
	keyUsername   = sqldb.Unique("users", "username")
	keyAppName    = sqldb.Unique("apps", "department_id", "name")
	// keyAppNameKey is a unique index, partial (the empty key of an app
	// an older release stored is left out), named as PostgreSQL would
	// name such a constraint, which both engines report as the key.
	keyAppNameKey = sqldb.Unique("apps", "department_id", "name_key")
	keyDeptUSCC   = sqldb.Unique("departments", "uscc")
	keyDeptName   = sqldb.Unique("departments", "region_code", "name")
)

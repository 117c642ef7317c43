package org

import "github.com/hutong-gov/hutong/internal/sqldb"

// Keys are the keys whose violation is a duplicate, for the tests to check
// against the schema.
var Keys = []sqldb.Key{keyRegionCode, keyUsername, keyAppName, keyDeptUSCC, keyDeptName}

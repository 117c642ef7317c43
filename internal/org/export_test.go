package org

import "github.com/hutong-gov/hutong/internal/sqldb"

// Keys are the keys whose violation is a duplicate, for the tests to check
// against the schema.
var Keys = []sqldb.Key{keyRegionCode, keyUsername, keyAppName, keyDeptUSCC, keyDeptName}

// KeyAppNameKey is the unique index of the apps' name keys in a
// department, partial, which CheckKeys does not take.
var KeyAppNameKey = keyAppNameKey

// SetLoginChecked has Login call f once the password is checked and
// before the session is opened, until the test ends.
func SetLoginChecked(t interface{ Cleanup(func()) }, f func()) {
	loginChecked = f
	t.Cleanup(func() { loginChecked = nil })
}

// SetRekeyChunk has RekeyDepartments read n departments at a time
// until the test ends.
func SetRekeyChunk(t interface{ Cleanup(func()) }, n int) {
	old := rekeyChunk
	rekeyChunk = n
	t.Cleanup(func() { rekeyChunk = old })
}

// HashSlots is how many password hashes run at once at most.
func HashSlots() int { return cap(hashSlots) }

// SetHashHooks has a password hash call waits before it waits for a
// slot, and runs once it holds one, before it hashes, until the test
// ends.
func SetHashHooks(t interface{ Cleanup(func()) }, waits, runs func()) {
	hashWaits, hashRuns = waits, runs
	t.Cleanup(func() { hashWaits, hashRuns = nil, nil })
}

// SetAdmitWaits has a login call f before it waits to be admitted, until
// the test ends.
func SetAdmitWaits(t interface{ Cleanup(func()) }, f func()) {
	admitWaits = f
	t.Cleanup(func() { admitWaits = nil })
}

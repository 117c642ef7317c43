package catalog

import "github.com/hutong-gov/hutong/internal/sqldb"

// DumpTable is dumpTable for the tests of package catalog_test.
var DumpTable = dumpTable

// Keys are the keys whose violation is a clash, for the tests to check
// against the schema.
var Keys = []sqldb.Key{keyCode, keyVersion, keyConflict}

// SetRekeyChunk has RekeyNames and RekeyItems read n entries at a time
// until the test ends.
func SetRekeyChunk(t interface{ Cleanup(func()) }, n int) {
	old := rekeyChunk
	rekeyChunk = n
	t.Cleanup(func() { rekeyChunk = old })
}

package catalog

// DumpTable is dumpTable for the tests of package catalog_test.
var DumpTable = dumpTable

package web

// MaxRecordsFile is maxRecordsFile, for the tests.
const MaxRecordsFile = maxRecordsFile

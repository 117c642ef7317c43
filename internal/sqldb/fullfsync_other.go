//go:build !darwin

package sqldb

// fullFsync is empty: fsync flushes the drive's cache here (or, on
// Windows, FlushFileBuffers does), which only macOS needs F_FULLFSYNC for.
const fullFsync = ""

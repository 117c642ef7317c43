package sqldb

// fullFsync follows synchronous(FULL) in a durable connection's settings:
// on macOS fsync leaves the commit in the drive's cache, which a power
// loss empties; fullfsync has SQLite sync with F_FULLFSYNC, which flushes
// it.
const fullFsync = "&_pragma=fullfsync(1)"

package bench

import "errors"

// ErrNoPostgres means that no PostgreSQL server binaries were found.
var ErrNoPostgres = errors.New("no PostgreSQL server binaries (initdb, postgres) found in $HUTONG_PG_BIN, /usr/lib/postgresql/*/bin, pg_config --bindir or $PATH")

// ErrNoOwnCluster means that bench cannot run a PostgreSQL cluster of its
// own on this system: it starts, signals and stops the server as a unix
// process (process groups, SIGINT), so on Linux and macOS only. A server
// given to it (-pg-dsn) is measured on any system.
var ErrNoOwnCluster = errors.New("bench runs its own PostgreSQL cluster (initdb, postgres) on Linux and macOS only")

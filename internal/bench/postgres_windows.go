package bench

import (
	"context"
	"io"
)

// Postgres is bench's own PostgreSQL cluster, which it cannot run on
// Windows (ErrNoOwnCluster).
type Postgres struct{}

// StartPostgres refuses: bench runs its own cluster on Linux and macOS
// only.
func StartPostgres(context.Context, string, io.Writer) (*Postgres, error) {
	return nil, ErrNoOwnCluster
}

// DSN is empty: there is no cluster.
func (p *Postgres) DSN() string { return "" }

// Stop has nothing to stop.
func (p *Postgres) Stop() error { return nil }

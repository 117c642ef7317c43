package sqldbtest

import (
	"database/sql"
	"errors"
	"os"
	"sync/atomic"
	"testing"
)

// On Windows there is no throwaway PostgreSQL server: it is started,
// locked, signalled and stopped as a unix process (process groups,
// signals, flock, the postgres user when run as root). The PostgreSQL tests
// are skipped, or fail under HUTONG_REQUIRE_PG=1.

// mainUsed records that the package runs its tests through Main.
var mainUsed atomic.Bool

var errNoServer = errors.New("sqldbtest runs its PostgreSQL server on Linux and other unix systems only, not on Windows")

// pgServer has what the portable helpers use of the unix server.
type pgServer struct {
	admin *sql.DB
	seq   atomic.Int64
}

// server skips t, or fails it under HUTONG_REQUIRE_PG=1.
func server(t testing.TB) *pgServer {
	t.Helper()
	if os.Getenv("HUTONG_REQUIRE_PG") == "1" {
		t.Fatalf("sqldbtest: %v, and HUTONG_REQUIRE_PG=1 requires PostgreSQL tests to run", errNoServer)
	}
	t.Skipf("sqldbtest: skipping PostgreSQL test: %v; set HUTONG_REQUIRE_PG=1 to fail instead", errNoServer)
	return nil
}

func stopServer() error { return nil }

func (s *pgServer) dsn(string) string { return "" }

func (s *pgServer) createDB() (string, error) { return "", errNoServer }

func (s *pgServer) createCopy(string) (string, error) { return "", errNoServer }

func (s *pgServer) dropDB(string) error { return errNoServer }

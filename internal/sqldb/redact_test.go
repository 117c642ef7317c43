package sqldb_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestRedact masks a PostgreSQL URL's password, given in the user
// information or as a parameter, and leaves a SQLite path alone.
func TestRedact(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://hutong:S3cret-pw@db.example:5432/hutong?sslmode=verify-full": "postgres://hutong:xxxxx@db.example:5432/hutong?sslmode=verify-full",
		"postgresql://hutong@db.example/hutong?sslmode=require&password=S3cret":  "postgresql://hutong@db.example/hutong?password=xxxxx&sslmode=require",
		"postgres://hutong@/hutong?host=/run/postgresql":                         "postgres://hutong@/hutong?host=/run/postgresql",
		"postgres://hutong:pw@[::1/x":                                            "postgres://…",
		"/var/lib/hutong/hutong:pw.db":                                           "/var/lib/hutong/hutong:pw.db",
	} {
		if got := sqldb.Redact(dsn); got != want {
			t.Errorf("Redact(%q) = %q, want %q", dsn, got, want)
		}
	}
}

package sqldb_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestHasPassword tells a DSN that holds a password from one that does
// not, also where Redact changes one without a password: a '@' in a
// parameter after a port, which Redact masks from the port's ':' to it.
func TestHasPassword(t *testing.T) {
	for dsn, want := range map[string]bool{
		"postgres://hutong:S3cret-pw@db.example:5432/hutong?sslmode=verify-full":  true,
		"postgresql://hutong@db.example/hutong?sslmode=require&password=S3cret":   true,
		"postgres://h2@db.example/hutong?sslpassword=keypass&sslmode=verify-full": true,
		"postgres://h2@db.example/hutong?password=#q":                             true, // libpq reads "#q"
		"postgres://h2:p@ss/w?rd@127.0.0.1:15491/hutong_c":                        true,
		"postgres://h2:p#ss@127.0.0.1/hutong":                                     true,
		"postgres://h2:/pw@db.example/hutong":                                     true, // misplaced '@'
		"postgres://h2:pw@db.example/hutong?application_name=a@b":                 true,
		"host=db.example password='se cret' dbname=hutong":                        true,
		"host=db.example sslpassword=keypass sslmode=verify-full":                 true,
		"postgres://h2@db.example/hutong?pass%77ord=keypass":                      true,
		"postgres://h2@db.example/hutong?sslmode=disable&%73slpassword=keypass":   true,
		"postgres://h2@db.example/hutong?sslmode=disable& password=keypass":       true,
		"host=db.example password\v=keypass":                                      true,
		"postgres://hutong@db.example/hutong?pass%77ord=&sslmode=disable":         false,
		"postgres://hutong@db.example/hutong?passwords=x&sslmode=disable":         false,
		"postgres://hutong@db.example:5432/hutong?application_name=ops@night":     false,
		"postgres://hutong@db.example/hutong?application_name=ops@night":          false,
		"postgres://hutong:@db.example/hutong":                                    false, // empty
		"postgres://hutong@db.example/hutong?password=&sslmode=disable":           false,
		"postgres://hutong@/hutong?host=/run/postgresql":                          false,
		"postgres://db.example/hutong?sslmode=disable":                            false,
		"host=db.example dbname=hutong user=hutong":                               false,
		"/var/lib/hutong/hutong:pw@x.db":                                          false,
		"hutong-demo.db":                                                          false,
	} {
		if got := sqldb.HasPassword(dsn); got != want {
			t.Errorf("HasPassword(%q) = %v, want %v (Redact: %q)", dsn, got, want, sqldb.Redact(dsn))
		}
	}
}

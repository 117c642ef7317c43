package sqldb_test

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestRedact masks a PostgreSQL URL's password, given in the user
// information or as a parameter, also when it holds characters a URL
// must encode ('@', '/', '?', '#') and the URL is parsed with part of it
// taken for the host, the path or the query, or not parsed at all; and a
// keyword DSN's password, quoted or not. A SQLite path is left alone.
func TestRedact(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://hutong:S3cret-pw@db.example:5432/hutong?sslmode=verify-full": "postgres://hutong:xxxxx@db.example:5432/hutong?sslmode=verify-full",
		"postgresql://hutong@db.example/hutong?sslmode=require&password=S3cret":  "postgresql://hutong@db.example/hutong?sslmode=require&password=xxxxx",
		"postgres://hutong@/hutong?host=/run/postgresql":                         "postgres://hutong@/hutong?host=/run/postgresql",
		"postgres://hutong:pw@[::1/x":                                            "postgres://hutong:xxxxx@[::1/x",
		"/var/lib/hutong/hutong:pw.db":                                           "/var/lib/hutong/hutong:pw.db",
		// The operator's: the password "p@ss/w?rd", pgx reads host "ss".
		"postgres://h2:p@ss/w?rd@127.0.0.1:15491/hutong_c":                        "postgres://h2:xxxxx@127.0.0.1:15491/hutong_c",
		"postgres://h2:p#ss@127.0.0.1/hutong":                                     "postgres://h2:xxxxx@127.0.0.1/hutong",
		"postgres://h2:a:b@c@db.example/hutong":                                   "postgres://h2:xxxxx@db.example/hutong",
		"postgres://h2:pw@db.example/hutong?password=p#q@r&sslmode=disable":       "postgres://h2:xxxxx@db.example/hutong?password=xxxxx&sslmode=disable",
		"postgres://h2@db.example/hutong?sslpassword=keypass&sslmode=verify-full": "postgres://h2@db.example/hutong?sslpassword=xxxxx&sslmode=verify-full",
		"postgres://db.example/hutong?sslmode=disable":                            "postgres://db.example/hutong?sslmode=disable",
		// A '@' in the query hides the host too, not the password.
		"postgres://h2:pw@db.example/hutong?application_name=a@b": "postgres://h2:xxxxx@b",
		"host=db.example password='se cret \\' pw' dbname=hutong": "host=db.example password=xxxxx dbname=hutong",
		"host=db.example password=se\\ cret dbname=hutong":        "host=db.example password=xxxxx dbname=hutong",
		"host=db.example password='unclosed secret":               "host=db.example password=xxxxx",
		"host=db.example password=trailing\\":                     "host=db.example password=xxxxx",
		"host=db.example sslpassword=keypass sslmode=verify-full": "host=db.example sslpassword=xxxxx sslmode=verify-full",
		"host=db.example password= dbname=hutong":                 "host=db.example password= xxxxx",
	} {
		if got := sqldb.Redact(dsn); got != want {
			t.Errorf("Redact(%q) = %q, want %q", dsn, got, want)
		}
	}
}

// secretChars are what the passwords of TestRedactRandomPasswords are made
// of: capitals, which the DSNs around them never hold, and every
// character a DSN gives a meaning to.
const secretChars = "QWXZ@/?#:&=%' \\\"+,;[]"

// TestRedactRandomPasswords masks thousands of random passwords made of
// the characters DSNs give a meaning to, written into a URL's user
// information as they are and percent-encoded, as a URL parameter (where
// '&' must be encoded) and into a keyword DSN, quoted and unquoted with
// backslash escapes: no capital of a password shows.
func TestRedactRandomPasswords(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	quote := strings.NewReplacer(`\`, `\\`, "'", `\'`)
	escape := strings.NewReplacer(`\`, `\\`, " ", `\ `, "'", `\'`)
	for range 5000 {
		b := make([]byte, 1+r.IntN(12))
		for i := range b {
			b[i] = secretChars[r.IntN(len(secretChars))]
		}
		pw := string(b)
		for _, dsn := range []string{
			"postgres://hutong:" + pw + "@db.example:5432/hutong?sslmode=disable",
			"postgresql://hutong:" + url.PathEscape(pw) + "@db.example/hutong",
			"postgres://hutong@db.example/hutong?sslmode=disable&password=" + strings.ReplaceAll(pw, "&", "%26"),
			"host=db.example user=hutong password='" + quote.Replace(pw) + "' dbname=hutong",
			"host=db.example user=hutong password=" + escape.Replace(pw) + " dbname=hutong",
		} {
			if got := sqldb.Redact(dsn); strings.ContainsAny(got, "QWXZ") || !strings.Contains(got, "xxxxx") {
				t.Fatalf("Redact(%q) = %q: the password shows", dsn, got)
			}
		}
	}
}

// FuzzRedact: whatever follows a postgres:// URL's user name and ':' up
// to its last '@' does not show.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"p@ss/w?rd", "p#ss", "a:b@c", "", "%zz", "[::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		if strings.ContainsAny(pw, "QWXZ") {
			return
		}
		pw = "QW" + pw + "XZ"
		dsn := "postgres://hutong:" + pw + "@db.example/hutong"
		if got := sqldb.Redact(dsn); strings.ContainsAny(got, "QWXZ") {
			t.Fatalf("Redact(%q) = %q: the password shows", dsn, got)
		}
	})
}

// TestOpenHidesUnencodedPassword: a URL whose password holds an unencoded
// '@' or '/', which pgx would read as the end of the user information,
// taking the rest of the password for the host (whose name an error then
// shows), is refused with the hint to percent-encode them, naming the
// database without any part of the password.
func TestOpenHidesUnencodedPassword(t *testing.T) {
	for _, dsn := range []string{
		"postgres://h2:Qa@ss/Z?rd@127.0.0.1:1/hutong_c?connect_timeout=5",
		"postgres://h2:Qa@ss#Z?rd@127.0.0.1:1/hutong_c?connect_timeout=5",
		"postgres://h2:Qa/Zs@127.0.0.1:1/hutong_c?connect_timeout=5",
	} {
		_, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err == nil || strings.ContainsAny(err.Error(), "QZ") || !strings.Contains(err.Error(), "h2:xxxxx@127.0.0.1:1/") ||
			!strings.Contains(err.Error(), "%40") {
			t.Errorf("Open(%q): %v, want an error without the password", dsn, err)
		}
	}
}

package sqldb_test

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/jackc/pgx/v5/pgconn"
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
		"postgres://h2:p@ss/w?rd@127.0.0.1:15491/hutong_c": "postgres://h2:xxxxx@127.0.0.1:15491/hutong_c",
		"postgres://h2:p#ss@127.0.0.1/hutong":              "postgres://h2:xxxxx@127.0.0.1/hutong",
		"postgres://h2:a:b@c@db.example/hutong":            "postgres://h2:xxxxx@db.example/hutong",
		// A password holding a parameter: pgx reads the user information to
		// the first '@', the password all of it.
		"postgres://h2:QW&password=XZ@db.example/hutong":                          "postgres://h2:xxxxx@db.example/hutong",
		"postgres://h2:QW?password=XZ@db.example/hutong":                          "postgres://h2:xxxxx@db.example/hutong",
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
		// pgx and libpq decode a parameter's name: these are passwords.
		"postgres://hutong@db.internal/hutong?pass%77ord=TopSecret9":              "postgres://hutong@db.internal/hutong?pass%77ord=xxxxx",
		"postgres://hutong@db.internal/hutong?sslpass%77ord=TopSecret9":           "postgres://hutong@db.internal/hutong?sslpass%77ord=xxxxx",
		"postgres://hutong@db.internal/hutong?sslmode=disable&%70assword=Top&x=1": "postgres://hutong@db.internal/hutong?sslmode=disable&%70assword=xxxxx&x=1",
		// They skip the spaces around it.
		"postgres://hutong@db.internal/hutong?sslmode=disable& password =TopSecret9": "postgres://hutong@db.internal/hutong?sslmode=disable& password =xxxxx",
		// A parameter whose value holds another is refused by pgx, naming the DSN.
		"postgres://hutong@db.internal/hutong?a=1?password=TopSecret9": "postgres://hutong@db.internal/hutong?a=1?password=xxxxx",
		// pgx trims a vertical tab around a keyword too.
		"host=db.example password\v=TopSecret9 dbname=hutong": "host=db.example password\v=xxxxx dbname=hutong",
		// pgx sends a capitalized one to the server as a setting.
		"host=db.example PASSWORD=TopSecret9":                        "host=db.example PASSWORD=xxxxx",
		"postgres://hutong@db.internal/hutong?PASS%57ORD=TopSecret9": "postgres://hutong@db.internal/hutong?PASS%57ORD=xxxxx",
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
			"postgres://hutong@db.example/hutong?" + encodeSome(r, "password") + "=" + strings.ReplaceAll(pw, "&", "%26"),
			"postgres://hutong@db.example/hutong?sslmode=disable&" + encodeSome(r, "sslpassword") + "=" + strings.ReplaceAll(pw, "&", "%26"),
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

// encodeSome percent-encodes some of the bytes of s, at random, in upper
// or lower case hex.
func encodeSome(r *rand.Rand, s string) string {
	var b strings.Builder
	for i := range len(s) {
		switch r.IntN(3) {
		case 0:
			fmt.Fprintf(&b, "%%%02X", s[i])
		case 1:
			fmt.Fprintf(&b, "%%%02x", s[i])
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// TestRedactEncodedParameter: a password or sslpassword parameter whose
// name is percent-encoded, which pgx decodes (and so reads as the
// password), is masked, and HasPassword tells it.
func TestRedactEncodedParameter(t *testing.T) {
	for _, dsn := range []string{
		"postgres://hutong@db.internal/hutong?pass%77ord=TopSecret9",
		"postgres://hutong@db.internal/hutong?sslpass%77ord=TopSecret9",
		"postgres://hutong@db.internal/hutong?%70assword=TopSecret9",
	} {
		if got := sqldb.Redact(dsn); strings.Contains(got, "TopSecret9") {
			t.Errorf("Redact(%q) = %q: the password shows", dsn, got)
		}
		if !sqldb.HasPassword(dsn) {
			t.Errorf("HasPassword(%q) = false", dsn)
		}
	}
}

// FuzzRedactParameter: whatever a parameter of a postgres:// URL or a
// setting of a keyword DSN is called, if pgx reads its value as the
// password, Redact does not show it and HasPassword tells it.
func FuzzRedactParameter(f *testing.F) {
	for _, s := range []string{"password", "pass%77ord", "%70assword", " password ", "password\v", "sslmode=disable&password", "a=1?password"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if strings.ContainsAny(name, "QWXZ") {
			return
		}
		for _, dsn := range []string{
			"postgres://hutong@db.example/hutong?" + name + "=QWXZ",
			"host=db.example " + name + "=QWXZ",
		} {
			cfg, err := pgconn.ParseConfig(dsn)
			if err != nil || cfg.Password != "QWXZ" {
				continue
			}
			if got := sqldb.Redact(dsn); strings.Contains(got, "QWXZ") {
				t.Fatalf("Redact(%q) = %q: the password shows", dsn, got)
			}
			if !sqldb.HasPassword(dsn) {
				t.Fatalf("HasPassword(%q) = false, pgx reads the password", dsn)
			}
		}
	})
}

// FuzzRedact: whatever follows a postgres:// URL's user name and ':' up
// to its last '@' does not show.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"p@ss/w?rd", "p#ss", "a:b@c", "", "%zz", "[::1", "&password=", "?sslpassword="} {
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

package sqldb

import (
	"net/url"
	"slices"
	"strings"
)

// HasPassword reports whether dsn holds a password: a postgres:// URL one
// in its user information or a password or sslpassword parameter that is
// not empty (its name as pgx reads it, queryPasswords), a keyword DSN a
// password or sslpassword setting. A SQLite path holds none. Redact
// changing dsn does not tell: with a '@' in a parameter it masks from the
// user name's ':' (the port's) to that '@', password or not. A URL that
// cannot be parsed, or whose '@' a password may hide (misplacedAt, which
// Open refuses), counts as holding one.
func HasPassword(dsn string) bool {
	if isKeywordDSN(dsn) {
		return keywordPassword.MatchString(dsn)
	}
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return false
	}
	if misplacedAt(dsn) || slices.ContainsFunc(queryPasswords(dsn), func(v [2]int) bool { return v[1] > v[0] }) {
		return true
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return true
	}
	pw, _ := u.User.Password()
	return pw != ""
}

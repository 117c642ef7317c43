package backup

import (
	"context"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"strings"
)

// dumpCommand returns the pg_dump command that writes the database of dsn
// to file in the custom format. The DSN goes on pg_dump's command line
// without its password, which any local user can read there
// (/proc/PID/cmdline, ps); the password goes in the child's environment
// (PGPASSWORD) instead, which only its owner and root can read
// (/proc/PID/environ is private to them). A DSN without a password leaves
// the environment as it is (a PGPASSWORD or ~/.pgpass of the operator's
// still serves).
func dumpCommand(ctx context.Context, pgDump, dsn, file string) (*exec.Cmd, error) {
	conn, password, err := clientDSN(dsn)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--no-owner", "--no-privileges", "--file="+file, "--dbname="+conn)
	if password != "" {
		cmd.Env = append(os.Environ(), "PGPASSWORD="+password)
	}
	return cmd, nil
}

// pgxOnly tells the DSN settings that pgx or pgxpool read themselves and
// that libpq, and so pg_dump, refuses ("invalid URI query parameter",
// "invalid connection option"): pgx's statement and description caches
// and query mode, pgx v4's read buffer, and pgxpool's pool_* settings.
func pgxOnly(key string) bool {
	switch key {
	case "default_query_exec_mode", "statement_cache_capacity", "description_cache_capacity", "min_read_buffer_size":
		return true
	}
	return strings.HasPrefix(key, "pool_")
}

// clientDSN returns dsn as the PostgreSQL client programs get it, without
// its password and the settings only pgx reads (pgxOnly), and the
// password, as libpq and pgx read it: in a postgres:// URL the password of
// the user information, or the password parameter, which wins; in a
// keyword DSN the last password setting. The rest of the DSN is kept as it
// was written.
func clientDSN(dsn string) (conn, password string, err error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", "", errors.New("无法解析数据库地址（postgres:// URL）")
		}
		if u.User != nil {
			password, _ = u.User.Password()
			u.User = url.User(u.User.Username())
		}
		q := u.Query()
		if q.Has("password") {
			password = q.Get("password")
		}
		dropped := false
		for k := range q {
			if k == "password" || pgxOnly(k) {
				dropped = true
				q.Del(k)
			}
		}
		if dropped {
			u.RawQuery = q.Encode()
		}
		return u.String(), password, nil
	}
	return keywordDSN(dsn)
}

// spaces are the characters libpq skips between keyword settings.
const spaces = " \t\n\r\v\f"

// keywordDSN removes the password settings and those only pgx reads from
// a keyword DSN (host=… password=…), read as libpq reads it: keyword =
// value, the value single-quoted or running to the next space, a
// backslash escaping the character after it. The other settings are kept
// verbatim.
func keywordDSN(dsn string) (conn, password string, err error) {
	var kept strings.Builder
	s := dsn
	for {
		start := len(dsn) - len(s)
		s = strings.TrimLeft(s, spaces)
		if s == "" {
			kept.WriteString(dsn[start:])
			return strings.TrimSpace(kept.String()), password, nil
		}
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return "", "", errors.New("无法解析数据库地址（keyword=value 形式）：缺少“=”")
		}
		key := strings.TrimRight(s[:eq], spaces)
		s = strings.TrimLeft(s[eq+1:], spaces)
		var raw string
		if strings.HasPrefix(s, "'") {
			end := 1
			for ; end < len(s) && s[end] != '\''; end++ {
				if s[end] == '\\' {
					end++
				}
			}
			if end >= len(s) {
				return "", "", errors.New("无法解析数据库地址（keyword=value 形式）：引号未闭合")
			}
			raw, s = s[1:end], s[end+1:]
		} else {
			end := 0
			for ; end < len(s) && !strings.ContainsRune(spaces, rune(s[end])); end++ {
				if s[end] == '\\' {
					end++
				}
			}
			end = min(end, len(s))
			raw, s = s[:end], s[end:]
		}
		if key == "password" {
			password = unescape(raw)
			continue
		}
		if pgxOnly(key) {
			continue
		}
		kept.WriteString(dsn[start : len(dsn)-len(s)])
	}
}

// unescape drops the backslash before each escaped character of a keyword
// DSN's value.
func unescape(raw string) string {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\\' {
			i++
			if i == len(raw) {
				break
			}
		}
		b.WriteByte(raw[i])
	}
	return b.String()
}

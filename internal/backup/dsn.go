package backup

import (
	"context"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
)

// dumpCommand returns the pg_dump command that writes the database of dsn
// to file in the custom format. The DSN goes on pg_dump's command line
// without its password, which any local user can read there
// (/proc/PID/cmdline, ps); the password goes in the child's environment
// (PGPASSWORD) instead, which only its owner and root can read
// (/proc/PID/environ is private to them). The tables of sessionTables
// are dumped without their rows. A DSN without a password leaves
// the environment as it is (a PGPASSWORD or ~/.pgpass of the operator's
// still serves). On Linux pg_dump is killed when hutong is (dieWithParent).
func dumpCommand(ctx context.Context, pgDump, dsn, file string) (*exec.Cmd, error) {
	conn, password, err := clientDSN(dsn)
	if err != nil {
		return nil, err
	}
	args := []string{"--format=custom", "--no-owner", "--no-privileges"}
	for _, t := range sessionTables {
		args = append(args, "--exclude-table-data="+t)
	}
	cmd := exec.CommandContext(ctx, pgDump, append(args, "--file="+file, "--dbname="+conn)...)
	dieWithParent(cmd)
	if password != "" {
		cmd.Env = append(os.Environ(), "PGPASSWORD="+password)
	}
	return cmd, nil
}

// pgxOnly tells the DSN settings that pgx or pgxpool read themselves and
// that libpq (PostgreSQL 15 to 17), and so pg_dump, refuses ("invalid URI
// query parameter", "invalid connection option"): pgx's statement and
// description caches and query mode, pgx v4's read buffer, pgxpool's
// pool_* settings, and the connection settings pgx knows that libpq does
// not (krbspn, servicefile, the protocol versions), which pgx does not send
// to the server either, so that they must not become server parameters.
func pgxOnly(key string) bool {
	switch key {
	case "default_query_exec_mode", "statement_cache_capacity", "description_cache_capacity", "min_read_buffer_size",
		"krbspn", "servicefile", "min_protocol_version", "max_protocol_version":
		return true
	}
	return strings.HasPrefix(key, "pool_")
}

// libpqKeys are the connection settings libpq (PostgreSQL 15 to 17) knows.
// pgx takes any other setting of a DSN for a server run-time parameter
// (statement_timeout, search_path …) and sends it at startup; libpq
// refuses it ("invalid URI query parameter", "invalid connection option")
// and takes such parameters only in options, as -c name=value.
var libpqKeys = map[string]bool{"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true,
	"password": true, "passfile": true, "require_auth": true, "channel_binding": true, "connect_timeout": true,
	"client_encoding": true, "options": true, "application_name": true, "fallback_application_name": true,
	"keepalives": true, "keepalives_idle": true, "keepalives_interval": true, "keepalives_count": true,
	"tcp_user_timeout": true, "replication": true, "gssencmode": true, "sslmode": true, "requiressl": true,
	"sslcompression": true, "sslcert": true, "sslkey": true, "sslcertmode": true, "sslpassword": true,
	"sslrootcert": true, "sslcrl": true, "sslcrldir": true, "sslsni": true, "requirepeer": true,
	"ssl_min_protocol_version": true, "ssl_max_protocol_version": true, "krbsrvname": true, "gsslib": true,
	"gssdelegation": true, "service": true, "target_session_attrs": true, "load_balance_hosts": true,
	"sslnegotiation": true}

// withParams returns the value of libpq's options setting: options, then
// -c name=value for each of params, in the order of their names, each
// space and backslash of a name or value escaped with a backslash, as
// libpq splits options.
func withParams(options string, params map[string]string) string {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	esc := strings.NewReplacer(`\`, `\\`, " ", `\ `)
	opts := []string{}
	if options = strings.TrimSpace(options); options != "" {
		opts = append(opts, options)
	}
	for _, k := range names {
		opts = append(opts, "-c "+esc.Replace(k+"="+params[k]))
	}
	return strings.Join(opts, " ")
}

// clientDSN returns dsn as the PostgreSQL client programs get it, without
// its password and the settings only pgx reads (pgxOnly), and the
// password, as libpq and pgx read it: in a postgres:// URL the password of
// the user information, or the password parameter, which wins; in a
// keyword DSN the last password setting. The server run-time parameters
// libpq does not know as settings (statement_timeout, search_path …) move
// into options (withParams). The rest of the DSN is kept as it was
// written.
func clientDSN(dsn string) (conn, password string, err error) {
	for _, scheme := range []string{"postgres://", "postgresql://"} {
		if rest, ok := strings.CutPrefix(dsn, scheme); ok {
			return urlDSN(scheme, rest)
		}
	}
	return keywordDSN(dsn)
}

// urlDSN is clientDSN for a postgres:// URL, scheme and the rest, read as
// pgx (which serve and migrate connect with) and libpq read it, not as a
// URL of the web: the user information runs to the first '@' before any
// '/', the password from its first ':', so that a '#' or '?' in it need
// not be encoded; the query starts at the first '?' after it.
func urlDSN(scheme, rest string) (conn, password string, err error) {
	user := ""
	if i := strings.IndexAny(rest, "@/"); i >= 0 && rest[i] == '@' {
		var pw string
		var hasPassword bool
		user, pw, hasPassword = strings.Cut(rest[:i], ":")
		user += "@"
		rest = rest[i+1:]
		if hasPassword {
			if password, err = url.PathUnescape(pw); err != nil {
				return "", "", errors.New("无法解析数据库地址（postgres:// URL）：密码中的 % 须写作 %25")
			}
		}
	}
	base, query, _ := strings.Cut(rest, "?")
	q, err := urlQuery(query)
	if err != nil {
		return "", "", err
	}
	if q.Has("password") {
		password = q.Get("password")
	}
	dropped := false
	params := map[string]string{}
	for k := range q {
		if k == "password" || pgxOnly(k) {
			dropped = true
			q.Del(k)
		} else if !libpqKeys[k] {
			params[k] = q.Get(k)
			q.Del(k)
		}
	}
	if len(params) > 0 {
		dropped = true
		q.Set("options", withParams(q.Get("options"), params))
	}
	if dropped {
		// libpq reads "+" as itself, not as a space: Encode's
		// "+" (a "+" of the value is %2B) is written %20.
		query = strings.ReplaceAll(q.Encode(), "+", "%20")
	}
	conn = scheme + user + base
	if query != "" {
		conn += "?" + query
	}
	return conn, password, nil
}

// urlQuery reads the query of a postgres:// URL as pgx and libpq do:
// name=value pairs split at '&', percent-decoded, a '+' kept as it is;
// the last of a name wins.
func urlQuery(query string) (url.Values, error) {
	q := url.Values{}
	for pair := range strings.SplitSeq(query, "&") {
		if pair == "" {
			continue
		}
		rawKey, rawValue, _ := strings.Cut(pair, "=")
		key, err := url.PathUnescape(rawKey)
		if err != nil {
			return nil, errors.New("无法解析数据库地址（postgres:// URL）的参数 " + rawKey)
		}
		value, err := url.PathUnescape(rawValue)
		if err != nil {
			return nil, errors.New("无法解析数据库地址（postgres:// URL）的参数 " + key + "：其值中的 % 须写作 %25")
		}
		q.Set(key, value)
	}
	return q, nil
}

// spaces are the characters libpq skips between keyword settings.
const spaces = " \t\n\r\v\f"

// keywordDSN removes the password settings and those only pgx reads from
// a keyword DSN (host=… password=…), read as libpq reads it: keyword =
// value, the value single-quoted or running to the next space, a
// backslash escaping the character after it. The settings libpq does not
// know go into an options setting at the end (withParams), with the
// options the DSN had; the other settings are kept verbatim.
func keywordDSN(dsn string) (conn, password string, err error) {
	// The settings kept, each as written with the spaces before it, and
	// which of them is options, merged with the parameters at the end.
	var kept []string
	optionsAt, options := -1, ""
	params := map[string]string{}
	s := dsn
	for {
		start := len(dsn) - len(s)
		s = strings.TrimLeft(s, spaces)
		if s == "" {
			break
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
		switch {
		case key == "password":
			password = unescape(raw)
			continue
		case pgxOnly(key):
			continue
		case !libpqKeys[key]:
			params[key] = unescape(raw)
			continue
		case key == "options":
			optionsAt, options = len(kept), unescape(raw)
		}
		kept = append(kept, dsn[start:len(dsn)-len(s)])
	}
	if len(params) > 0 {
		quote := strings.NewReplacer(`\`, `\\`, "'", `\'`)
		merged := " options='" + quote.Replace(withParams(options, params)) + "'"
		if optionsAt >= 0 {
			kept = slices.Delete(kept, optionsAt, optionsAt+1)
		}
		kept = append(kept, merged)
	}
	return strings.TrimSpace(strings.Join(kept, "")), password, nil
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

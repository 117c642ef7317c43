// Package sqldb opens Hutong's database — an embedded SQLite file or a
// PostgreSQL server — migrates it, and runs transactions.
//
// One SQL layer serves both engines: queries are written once with $1, $2
// placeholders (modernc's SQLite binds $N by ordinal) in the subset both
// accept (RETURNING, ON CONFLICT); an IN list is made with In, which gives
// SQLite "?"s, bound faster. The few differences — DDL, full-text
// search, locking — are chosen with DB.Dialect, in this package or beside the
// query that needs them.
package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgservicefile"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/groupcommit"
)

// Dialect names the SQL engine behind a DB.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// Querier is what domain functions take: a *sql.DB, *sql.Tx or *Tx, so that an
// action and its audit row share one transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// IDs returns the integers in the one column query selects, in its order.
func IDs(ctx context.Context, q Querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// DB is an open Hutong database. On SQLite it holds two pools over one file:
// a single writer connection and a pool of read-only readers. On PostgreSQL
// both are the same pool.
type DB struct {
	Dialect Dialect
	// Source is the DSN the database was opened with, with any password removed.
	Source string

	read   *sql.DB
	write  *sql.DB
	reader Querier     // read, through a statement cache on SQLite
	writes *writeStmts // the SQLite writer's prepared statements; nil on PostgreSQL
	// side are the -wal and -shm files that lay beside the SQLite file
	// when it was opened: a failed open may checkpoint and remove them
	// before its error is said (corruptCause).
	side []string
	// timedOut is what a PostgreSQL connection timed out says, naming
	// the setting that applied (openPostgres): the DSN's
	// connect_timeout or the default, PGCONNECT_TIMEOUT, or the service
	// file's connect_timeout.
	timedOut string
	// wait bounds waits for the database (Options.WaitTimeout).
	wait time.Duration
	// unanswered is when a transaction's BEGIN, on a connection it held,
	// last ran out of time (nanoseconds since clockStart, at least 1), 0
	// once one began in time since (Unanswered).
	unanswered atomic.Int64
}

// Options tunes Open.
type Options struct {
	// Durable sets SQLite's synchronous=FULL (the default for production);
	// when false, synchronous=NORMAL, which can lose the last transactions on
	// power loss but never corrupts the file. PostgreSQL ignores it.
	Durable bool
	// MaxReaders bounds the reader pool (default 8 on SQLite; on PostgreSQL
	// the DSN's pool_max_conns, else 20).
	MaxReaders int
	// WaitTimeout bounds how long a transaction waits for the database
	// (WaitTimeout when zero; tests shorten it).
	WaitTimeout time.Duration
}

// WaitTimeout bounds how long a request waits for the database, as
// groupcommit.RoundTimeout bounds the wait of a group-commit round's
// callers, and is the same: a transaction's wait for a connection (on
// SQLite, for the one writer, which a long import may hold for minutes)
// and for its BEGIN (on SQLite, for the write lock another process holds),
// measured together from when Tx is called, so that the tenth transaction
// queued for the writer does not wait ten times as long as the first; on
// PostgreSQL, each statement's wait for a lock (lock_timeout: a row or
// table another session holds); the whole of a short operation run under
// DB.Bounded (an authentication, a session's lookup); and the whole of a
// short transaction run by DB.BoundedTx (a login's, a logout's): its wait
// and its work under the one bound. Once a transaction run by Tx has
// begun and holds its locks, its work is not bounded: a batch of 200,000
// lines, an import, takes as long as it takes. A wait that outlasts the
// bound fails with ErrWaitTimeout (on PostgreSQL, lock_not_available),
// which IsUnavailable reports: the request is answered 503
// database_unavailable with Retry-After.
const WaitTimeout = groupcommit.RoundTimeout

// ErrWaitTimeout is the error of a wait for the database that outlasted
// its bound (WaitTimeout).
var ErrWaitTimeout = errors.New("sqldb: the database did not answer in time")

// IsWaitTimeout reports whether err is a wait for the database that
// outlasted its bound (WaitTimeout): ErrWaitTimeout, or on PostgreSQL
// lock_not_available, a lock another session held past lock_timeout.
func IsWaitTimeout(err error) bool {
	var pg *pgconn.PgError
	return errors.Is(err, ErrWaitTimeout) || errors.As(err, &pg) && pg.Code == "55P03"
}

// Bounded runs fn, a short operation (an authentication, a session's
// lookup, a login), with a context that ends once db's wait bound
// (WaitTimeout) has passed, so that a database that does not answer — a
// stalled server, a lock held — fails it in bounded time. When the bound
// ended it, fn's error is returned as ErrWaitTimeout too. A short
// transaction is run by BoundedTx, not by Tx under Bounded: the
// transaction's own bound on its BEGIN would race the outer one.
func (db *DB) Bounded(ctx context.Context, fn func(ctx context.Context) error) error {
	bctx, cancel := context.WithTimeoutCause(ctx, db.wait, ErrWaitTimeout)
	defer cancel()
	err := fn(bctx)
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(bctx), ErrWaitTimeout) {
		return fmt.Errorf("%w (waited %s): %w", ErrWaitTimeout, db.wait, err)
	}
	return err
}

// IsPostgresDSN reports whether dsn names a PostgreSQL server rather than a
// file: a postgres:// URL, or libpq's keyword form (host=… user=…
// dbname=…), which pgx reads too, told apart from a file path by its first
// keyword.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") || isKeywordDSN(dsn)
}

// firstKeyword is the keyword of a keyword DSN's first setting.
var firstKeyword = regexp.MustCompile(`^\s*([a-z_]+)\s*=`)

// libpqKeywords are the connection keywords a keyword DSN may start with.
var libpqKeywords = map[string]bool{"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true,
	"password": true, "passfile": true, "connect_timeout": true, "sslmode": true, "sslcert": true, "sslkey": true,
	"sslrootcert": true, "sslpassword": true, "application_name": true, "options": true, "service": true,
	"target_session_attrs": true, "client_encoding": true}

func isKeywordDSN(dsn string) bool {
	m := firstKeyword.FindStringSubmatch(dsn)
	return m != nil && libpqKeywords[m[1]]
}

// keywordPassword is a password or sslpassword setting of a keyword DSN:
// its value single-quoted, to the closing quote or, unclosed, to the end,
// or unquoted, to the next space; a backslash escapes the character after
// it in both, as libpq reads them. A space is any of pgx's, the vertical
// tab included (which \s is not). pgx and libpq read the keyword as
// written, but PASSWORD= is masked too: pgx sends it to the server as a
// setting.
var keywordPassword = regexp.MustCompile(`(?is)(\b(?:ssl)?password[\t\n\v\f\r ]*=[\t\n\v\f\r ]*)(?:'(?:[^'\\]|\\(?:.|$))*(?:'|$)|(?:[^\t\n\v\f\r \\]|\\(?:.|$))+)`)

// queryPasswords are the values of the password and sslpassword
// parameters of a postgres:// URL s, as [start, end) offsets into s. A
// parameter is read after every '?' and '&', its name to the first '='
// (isPasswordName), its value to the next '&' ('#' included, which pgx and
// libpq read as part of it).
func queryPasswords(s string) [][2]int {
	var vs [][2]int
	for i := 0; i < len(s); i++ {
		if s[i] != '?' && s[i] != '&' {
			continue
		}
		end := len(s)
		if j := strings.IndexByte(s[i+1:], '&'); j >= 0 {
			end = i + 1 + j
		}
		name, _, ok := strings.Cut(s[i+1:end], "=")
		if !ok || !isPasswordName(name) {
			continue
		}
		vs = append(vs, [2]int{i + 1 + len(name) + 1, end})
		i = end - 1
	}
	return vs
}

// isPasswordName reports whether a URL parameter's name, as written, is
// password or sslpassword: pgx and libpq percent-decode it and skip the
// spaces around it, so pass%77ord and " password" are the password; the
// case is ignored, as PASSWORD, which pgx sends to the server as a
// setting, is a secret too.
func isPasswordName(name string) bool {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		if name[i] == '%' && i+2 < len(name) {
			if c, err := strconv.ParseUint(name[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(c))
				i += 2
				continue
			}
		}
		b.WriteByte(name[i])
	}
	n := strings.TrimSpace(b.String())
	return strings.EqualFold(n, "password") || strings.EqualFold(n, "sslpassword")
}

// Open opens the database named by dsn: a PostgreSQL DSN (IsPostgresDSN) or
// a file path.
// It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, opt Options) (*DB, error) {
	if dsn == "" {
		return nil, errors.New("未指定数据库")
	}
	if err := CheckDSN(dsn); err != nil {
		return nil, err
	}
	var db *DB
	var err error
	opt.WaitTimeout = cmp.Or(opt.WaitTimeout, WaitTimeout)
	if IsPostgresDSN(dsn) {
		db, err = openPostgres(dsn, opt)
	} else {
		db, err = openSQLite(ctx, dsn, opt)
	}
	if err != nil {
		return nil, err
	}
	db.wait = opt.WaitTimeout
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, openError(db, err, ctx.Err() != nil)
	}
	return db, nil
}

// openFailure is why a database could not be opened, in one Chinese line
// for the person who named it: the database (its password masked), the
// common case in words (数据库不存在, 无法连接到数据库服务器 …) and the
// driver's cause where it helps. It unwraps to the driver's error.
type openFailure struct {
	msg string
	err error
}

func (e *openFailure) Error() string { return e.msg }
func (e *openFailure) Unwrap() error { return e.err }

// openError says why db, just opened, does not answer. callerDone is
// whether the caller's context had ended: a connection cut short by the
// caller's own deadline names no connect timeout.
func openError(db *DB, err error, callerDone bool) error {
	if db.Dialect == SQLite {
		why := lastLine(err)
		var se *sqlite.Error
		if errors.As(err, &se) {
			switch se.Code() & 0xff {
			case sqlite3.SQLITE_NOTADB:
				why = "不是数据库文件"
			case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
				// One code for several causes: the file system tells which.
				why = probeFile(db.Source).cause()
				if why == "" && se.Code()&0xff == sqlite3.SQLITE_CANTOPEN {
					why = "无法打开数据库文件"
				} else if why == "" {
					why = "无写入权限"
				}
			case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR:
				why = StorageCause(se)
			case sqlite3.SQLITE_CORRUPT:
				why = corruptCause(db.Source, db.side)
			}
		}
		return &openFailure{msg: "无法打开数据库 " + db.Source + "：" + why, err: err}
	}
	why := lastLine(err)
	var pg *pgconn.PgError
	var dns *net.DNSError
	var op *net.OpError
	var parse *pgconn.ParseConfigError
	switch {
	case errors.As(err, &parse):
		// Only what is wrong: its text quotes the DSN, and its cause may
		// too (url.Parse's), with the password masked at best effort.
		_, what, _ := strings.Cut(parse.Error(), "`: ")
		what, _, _ = strings.Cut(what, " (")
		why = "数据库地址无效（" + what + "）"
		// pgx's words for an sslmode not among libpq's (sslmode=disabled),
		// under "failed to configure TLS".
		if cause := parse.Unwrap(); cause != nil && cause.Error() == "sslmode is invalid" {
			why = "数据库地址无效（sslmode 的值无效：应为 disable、allow、prefer、require、verify-ca 或 verify-full）"
		}
	case errors.As(err, &pg) && pg.Code == "3D000": // invalid_catalog_name
		why = "数据库不存在（" + pg.Message + "）"
	case errors.As(err, &pg) && (pg.Code == "28000" || pg.Code == "28P01"): // invalid authorization, invalid password
		why = "角色不存在或密码错误（" + pg.Message + "）"
	case errors.As(err, &pg) && pg.Code == "53300": // too_many_connections
		why = "数据库服务器的连接已满（" + pg.Message + "）"
	case errors.As(err, &pg) && pg.Code == "42501": // insufficient_privilege: no CONNECT on the database
		why = "数据库用户无权连接该数据库（" + pg.Message + "）"
	case errors.As(err, &pg):
		why = pg.Message + "（SQLSTATE " + pg.Code + "）"
	case strings.HasSuffix(why, "tls error: server refused TLS connection"):
		// pgx's words when sslmode (require, verify-ca, verify-full) asks
		// for TLS of a server that has none; it has no error value for it.
		why = "数据库服务器不支持 TLS 连接：请检查 sslmode"
	case errors.As(err, &dns):
		why = "无法解析数据库服务器的主机名 " + dns.Name
	case errors.As(err, &op):
		why = "无法连接到数据库服务器（" + op.Error() + "）"
	case errors.Is(err, context.DeadlineExceeded) && callerDone:
		why = "连接数据库服务器超时：本次操作的时限已到，服务器仍未应答，请检查主机和端口是否为 PostgreSQL 服务器，或稍后重试"
	case errors.Is(err, context.DeadlineExceeded):
		why = db.timedOut
	}
	return &openFailure{msg: "无法连接数据库 " + db.Source + "：" + why, err: err}
}

// deniedObject is the object PostgreSQL names in a permission denied
// message ("permission denied for table schema_migrations"): its kind and
// name.
var deniedObject = regexp.MustCompile(`^permission denied for (table|sequence|view|schema) (\S+)$`)

var deniedKinds = map[string]string{"table": "表", "sequence": "序列", "view": "视图", "schema": "模式"}

// accessError says, in one Chinese line naming the database, that the
// role the database was opened as may not read or change what the
// migrations need (insufficient_privilege, 42501), and what to do, with
// the commands, named for the role and the database: denied the schema
// (public), as on a first install into a database the role does not own,
// the database is given to the role (PostgreSQL 15 and later give its
// owner the schema public) or the role CREATE on the schema; denied a
// table or another object, as after a restore run as another role, which
// then owns them, the dump is restored again as the role, or the objects
// are given to it (docs/backup.md). Other errors are returned as they
// are.
func accessError(db *DB, err error) error {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || pg.Code != "42501" {
		return err
	}
	what := "（" + pg.Message + "）"
	kind := ""
	if m := deniedObject.FindStringSubmatch(pg.Message); m != nil {
		kind, what = m[1], deniedKinds[m[1]]+" "+m[2]
	}
	role, name := db.roleAndName()
	remedy := "：这些表属于其他角色，多因恢复时以 postgres 等其他角色还原。恢复时请以数据库所有者身份还原：在新建的空数据库中以超级用户执行 " +
		"pg_restore --no-owner --role=" + role + " --exit-on-error -d <新数据库> <备份文件>；或由超级用户将模式 public 中的表、序列和函数的所有权交给 " +
		role + "（ALTER TABLE … OWNER TO " + role + "，逐一执行的语句见 docs/backup.md）"
	if kind == "schema" {
		remedy = "：新安装时请由超级用户执行 ALTER DATABASE " + name + " OWNER TO " + role + ";（PostgreSQL 15 起模式 public 归数据库所有者）" +
			"或 GRANT CREATE ON SCHEMA public TO " + role + ";（见 docs/postgresql.md）；恢复时请以数据库所有者身份还原（见 docs/backup.md）"
	}
	return &openFailure{msg: "无法访问数据库 " + db.Source + "：数据库用户无权访问" + what + remedy, err: err}
}

// simpleIdent is a name SQL takes without quotes.
var simpleIdent = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// roleAndName returns the role db is connected as and the name of its
// database, as SQL names them (quoted where needed), or placeholders
// when they cannot be read.
func (db *DB) roleAndName() (role, name string) {
	role, name = "<角色>", "<数据库>"
	if db.read == nil {
		return role, name
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var r, n string
	if err := db.read.QueryRowContext(ctx, `SELECT current_user, current_database()`).Scan(&r, &n); err != nil {
		return role, name
	}
	quote := func(s string) string {
		if simpleIdent.MatchString(s) {
			return s
		}
		return pgx.Identifier{s}.Sanitize()
	}
	return quote(r), quote(n)
}

// AccessError is err, from a statement run on db, said as migrate says
// it when the role db was opened as may not read or change a table
// (insufficient_privilege, 42501): in one Chinese line naming the
// database, the table and the remedy. Other errors are returned as they
// are.
func (db *DB) AccessError(err error) error { return accessError(db, err) }

// lastLine is err's text without the driver's prefixes, its last
// line when it has several (pgx lists every address it tried).
func lastLine(err error) string {
	s := strings.TrimSpace(err.Error())
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[i+1:])
	}
	return s
}

// errUnencodedAt is the refusal of a postgres:// URL whose password holds
// an unencoded '@' or '/' (misplacedAt).
var errUnencodedAt = errors.New("数据库地址无效（URL 的密码中有未编码的 @ 或 /）：请将密码中的 @ 写作 %40，/ 写作 %2F，或改用 keyword=value 形式")

// misplacedAt reports whether the postgres:// URL dsn has a '@' that pgx
// and libpq read as part of the host, the port, the path or a parameter's
// name: after the user information, which ends at the first '@' before
// any '/', and before the first '='. Such a '@' ends a password holding
// an unencoded '@' or '/' ("postgres://u:p@ss/w@db/hutong"), whose rest
// would be taken for the host and the database, and shown in the errors.
func misplacedAt(dsn string) bool {
	rest, ok := strings.CutPrefix(dsn, "postgres://")
	if !ok {
		if rest, ok = strings.CutPrefix(dsn, "postgresql://"); !ok {
			return false
		}
	}
	if i := strings.IndexAny(rest, "@/"); i >= 0 && rest[i] == '@' {
		rest = rest[i+1:]
	}
	rest, _, _ = strings.Cut(rest, "=")
	return strings.Contains(rest, "@")
}

// defaultConnectTimeout bounds the connection to a PostgreSQL server of a
// DSN that sets no connect_timeout: pgx would wait for ever.
var defaultConnectTimeout = 10 * time.Second

// unsetConnectTimeout is a connect_timeout no DSN sets (68 years, in
// seconds), which setsConnectTimeout puts before a keyword DSN.
const unsetConnectTimeout = math.MaxInt32

// setsConnectTimeout reports whether the PostgreSQL DSN dsn, which pgx
// parsed, sets connect_timeout. A keyword DSN is parsed again by pgx after
// a connect_timeout setting of unsetConnectTimeout, which a setting of the
// DSN, coming later, overrides: what pgx reads as a setting, not a quoted
// value holding "connect_timeout=" (password='x connect_timeout=1').
func setsConnectTimeout(dsn string) bool {
	if isKeywordDSN(dsn) {
		cfg, err := pgx.ParseConfig("connect_timeout=" + strconv.Itoa(unsetConnectTimeout) + " " + dsn)
		return err == nil && cfg.ConnectTimeout != unsetConnectTimeout*time.Second
	}
	u, err := url.Parse(dsn)
	return err == nil && u.Query().Has("connect_timeout")
}

// serviceConnectTimeout reports whether the connection service that dsn
// uses sets connect_timeout, which pgx, as libpq, applies over
// PGCONNECT_TIMEOUT, and names the service and its file: the service of
// the DSN's service setting, else PGSERVICE; in the file of its
// servicefile setting, else PGSERVICEFILE, else the system's default
// (defaultServiceFile), as pgx reads them.
func serviceConnectTimeout(dsn string) (service, file string, sets bool) {
	service, file = dsnSetting(dsn, "service"), dsnSetting(dsn, "servicefile")
	service = cmp.Or(service, os.Getenv("PGSERVICE"))
	if service == "" {
		return "", "", false
	}
	file = cmp.Or(file, os.Getenv("PGSERVICEFILE"), defaultServiceFile(runtime.GOOS == "windows", os.Getenv, os.UserHomeDir))
	if file == "" {
		return "", "", false
	}
	sf, err := pgservicefile.ReadServicefile(file)
	if err != nil {
		return "", "", false
	}
	s, err := sf.GetService(service)
	if err != nil {
		return "", "", false
	}
	_, sets = s.Settings["connect_timeout"]
	return service, file, sets
}

// defaultServiceFile is the connection service file pgx reads when
// neither the DSN nor PGSERVICEFILE names one (pgconn's defaultSettings),
// "" when there is none: ~/.pg_service.conf (home, os.UserHomeDir); on
// Windows %APPDATA%\postgresql\.pg_service.conf, as libpq, unless it does
// not exist and ~/.pg_service.conf does, or APPDATA is unset.
func defaultServiceFile(windows bool, getenv func(string) string, home func() (string, error)) string {
	homeFile := ""
	if h, err := home(); err == nil {
		homeFile = filepath.Join(h, ".pg_service.conf")
	}
	appData := getenv("APPDATA")
	if !windows || appData == "" {
		return homeFile
	}
	file := filepath.Join(appData, "postgresql", ".pg_service.conf")
	if homeFile != "" {
		if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
			if _, err := os.Stat(homeFile); err == nil {
				return homeFile
			}
		}
	}
	return file
}

// dsnSetting is the value of the setting key of the PostgreSQL DSN dsn
// (its last, as pgx reads them), "" when it has none: a URL's query
// parameter, or a keyword DSN's setting, its value single-quoted or
// running to the next space, a backslash escaping the character after it.
func dsnSetting(dsn, key string) string {
	if !isKeywordDSN(dsn) {
		u, err := url.Parse(dsn)
		if err != nil {
			return ""
		}
		return u.Query().Get(key)
	}
	const spaces = " \t\n\r\v\f"
	val, s := "", dsn
	for {
		k, rest, ok := strings.Cut(strings.TrimLeft(s, spaces), "=")
		if !ok {
			return val
		}
		s = strings.TrimLeft(rest, spaces)
		quoted := strings.HasPrefix(s, "'")
		if quoted {
			s = s[1:]
		}
		var v strings.Builder
		i := 0
		for ; i < len(s); i++ {
			c := s[i]
			if quoted && c == '\'' {
				i++
				break
			}
			if !quoted && strings.IndexByte(spaces, c) >= 0 {
				break
			}
			if c == '\\' && i+1 < len(s) {
				i++
				c = s[i]
			}
			v.WriteByte(c)
		}
		s = s[i:]
		if strings.TrimSpace(k) == key {
			val = v.String()
		}
	}
}

func openPostgres(dsn string, opt Options) (*DB, error) {
	if misplacedAt(dsn) {
		return nil, &openFailure{msg: "无法连接数据库 " + Redact(dsn) + "：" + errUnencodedAt.Error(), err: errUnencodedAt}
	}
	cfg, err := pgx.ParseConfig(dsn)
	var ps poolSettings
	if err == nil {
		ps, err = takeDriverSettings(dsn, cfg)
	}
	if err != nil {
		return nil, openError(&DB{Dialect: Postgres, Source: Redact(dsn)}, err, false)
	}
	// A server that accepts the connection and never answers (hung, or
	// another service on the port, waiting for its own protocol's request)
	// fails the connection after defaultConnectTimeout, unless the DSN,
	// its service file or PGCONNECT_TIMEOUT sets connect_timeout (0: wait
	// without end).
	own := setsConnectTimeout(dsn)
	service, file, byService := "", "", false
	if !own {
		service, file, byService = serviceConnectTimeout(dsn)
	}
	byEnv := !own && !byService && os.Getenv("PGCONNECT_TIMEOUT") != ""
	if cfg.ConnectTimeout == 0 && !own && !byService && !byEnv {
		cfg.ConnectTimeout = defaultConnectTimeout
	}
	timedOut := "连接数据库服务器超时：服务器未在 connect_timeout（地址中未设置时为 " + defaultConnectTimeout.String() +
		"）内应答，请检查主机和端口是否为 PostgreSQL 服务器，或在地址中加大 connect_timeout"
	secs := strconv.FormatInt(int64(cfg.ConnectTimeout/time.Second), 10)
	switch {
	case byService:
		timedOut = "连接数据库服务器超时：服务器未在连接服务文件 " + file + " 中服务 " + service + " 的 connect_timeout（" + secs +
			" 秒）内应答，请检查主机和端口是否为 PostgreSQL 服务器，或在该服务中加大 connect_timeout，或在地址中设置 connect_timeout"
	case byEnv:
		timedOut = "连接数据库服务器超时：服务器未在环境变量 PGCONNECT_TIMEOUT（" + secs +
			" 秒）内应答，请检查主机和端口是否为 PostgreSQL 服务器，或加大 PGCONNECT_TIMEOUT，或在地址中设置 connect_timeout"
	}
	// A statement waiting for a lock fails with lock_not_available once
	// the wait bound has passed, unless the DSN sets its own lock_timeout.
	// It is set once connected, not sent as a startup parameter, which a
	// pooler such as PgBouncer refuses (unsupported startup parameter)
	// unless told to ignore it.
	set := ""
	if _, ok := cfg.RuntimeParams["lock_timeout"]; !ok && !strings.Contains(cfg.RuntimeParams["options"], "lock_timeout") {
		set = "SET lock_timeout = " + strconv.FormatInt(max(opt.WaitTimeout.Milliseconds(), 1), 10)
	}
	// A connection's ping before its reuse (pgx pings one idle for more
	// than a second) and a new connection are a transaction's first round
	// trip to the server, sent as its BEGIN is (roundTrip), and answered
	// once pgx has its answer (answered): the new connection set up, the
	// ping returned (ResetSession follows a ping that succeeded).
	opts := []stdlib.OptionOpenDB{
		stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
			if set != "" {
				if _, err := c.Exec(ctx, set); err != nil {
					return err
				}
			}
			answered(ctx)
			return nil
		}),
		stdlib.OptionShouldPing(func(ctx context.Context, p stdlib.ShouldPingParams) bool {
			ping := p.IdleDuration > time.Second
			if ping {
				roundTrip(ctx)
			}
			return ping
		}),
		stdlib.OptionResetSession(func(ctx context.Context, _ *pgx.Conn) error {
			answered(ctx)
			return nil
		}),
	}
	dial := cfg.DialFunc
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		roundTrip(ctx)
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return dbConn{c}, nil
	}
	pool := stdlib.OpenDB(*cfg, opts...)
	n := opt.MaxReaders
	if n <= 0 {
		n = cmp.Or(ps.maxConns, 20)
	}
	pool.SetMaxOpenConns(n)
	pool.SetMaxIdleConns(n)
	pool.SetConnMaxIdleTime(cmp.Or(ps.idleFor, 5*time.Minute))
	pool.SetConnMaxLifetime(ps.lifetime)
	return &DB{Dialect: Postgres, Source: Redact(dsn), read: pool, write: pool, reader: pool,
		timedOut: timedOut}, nil
}

// SQLiteTime is how the SQLite driver writes and reads a time.Time: the
// connections ask for it (_time_format=sqlite). Code that writes many rows
// may pass times as this text, formatted once, and read it back unparsed.
const SQLiteTime = "2006-01-02 15:04:05.999999999-07:00"

// Redact returns dsn as it may be shown: a postgres:// URL with its
// password masked (xxxxx), in the user information or in a password or
// sslpassword parameter, a keyword DSN with its password and sslpassword
// settings masked, and a SQLite path as it is. The log, migrate and the
// usage of the commands show a database this way.
//
// A URL is masked as written, not as parsed: a password holding an
// unencoded '@', '/', '?' or '#' makes the URL unparsable or parsed with
// part of the password taken for the host or the path, and that part must
// not show either. So everything from the ':' after the user name to the
// last '@' of the URL is masked (with a '@' in the query, that hides the
// host too, never the password), and a password parameter to the next '&';
// and first, as pgx reads it, from that ':' to the first '@' before any
// '/', so that a password holding "&password=" shows no part either.
func Redact(dsn string) string {
	if isKeywordDSN(dsn) {
		return keywordPassword.ReplaceAllString(dsn, "${1}xxxxx")
	}
	scheme := "postgres://"
	if strings.HasPrefix(dsn, "postgresql://") {
		scheme = "postgresql://"
	} else if !strings.HasPrefix(dsn, scheme) {
		return dsn
	}
	rest := dsn[len(scheme):]
	// pgx's user information, to the first '@' before any '/', goes first:
	// its password may hold what reads as a password parameter, whose
	// value would otherwise take the '@' with it.
	if i := strings.IndexAny(rest, "@/"); i >= 0 && rest[i] == '@' {
		if user, _, ok := strings.Cut(rest[:i], ":"); ok {
			rest = user + ":xxxxx" + rest[i:]
		}
	}
	var masked strings.Builder
	last := 0
	for _, v := range queryPasswords(rest) {
		masked.WriteString(rest[last:v[0]])
		masked.WriteString("xxxxx")
		last = v[1]
	}
	masked.WriteString(rest[last:])
	rest = masked.String()
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		if user, _, ok := strings.Cut(rest[:at], ":"); ok {
			rest = user + ":xxxxx" + rest[at:]
		}
	}
	return scheme + rest
}

// FileURI returns the SQLite URI of the file at path, made absolute, with
// the query (URI parameters, without '?'), as sqliteURI writes it.
func FileURI(path, query string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("sqldb: %w", err)
	}
	return sqliteURI(filepath.ToSlash(abs), query), nil
}

// sqliteURI returns the SQLite URI of an absolute path in slash form
// (filepath.ToSlash): /var/lib/x.db, a Windows drive path C:/x.db or a
// Windows UNC path //server/share/x.db. Its authority is always empty, the
// path following "file://" (a drive path after a '/', which SQLite drops
// on Windows): SQLite refuses any authority but localhost, so the UNC path
// as file://server/share/x.db would fail where file:////server/share/x.db
// opens it. The path is escaped: in a URI, '?' would start the query, '#'
// a fragment, and "%XX" would name another byte, so a file name holding
// them would name another file.
func sqliteURI(path, query string) string {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	uri := "file://" + (&url.URL{Path: path}).EscapedPath()
	if query != "" {
		uri += "?" + query
	}
	return uri
}

// afterCreate, when set (by tests), is called with the path of a new
// SQLite database once Open has created its file, before it opens it.
var afterCreate func(path string)

func openSQLite(ctx context.Context, path string, opt Options) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqldb: %w", err)
	}
	// Before any connection that could checkpoint a -wal into the file.
	if err := checkLeftWAL(ctx, abs); err != nil {
		return nil, err
	}
	// A new database is created here, empty, readable and writable by its
	// owner only (0600) whatever the umask: it will hold citizen data, and
	// SQLite, which would create it 0644 under the usual umask, takes an
	// empty file for a new database and gives its -wal and -shm files the
	// database file's mode. An existing file is left as it is; any other
	// failure (a missing folder) is SQLite's to report when it opens.
	//
	// A file created here is kept when the open then fails: another
	// process may have opened it in the meantime and written to it (a
	// writer in WAL mode leaves it empty until a checkpoint, one holding
	// its lock leaves it empty until it commits), and no check before
	// removing it would stop one from opening it after the check. An
	// empty file is a new database to SQLite; the next migrate fills it.
	if f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
		if afterCreate != nil {
			afterCreate(abs)
		}
	}
	sync := "synchronous(NORMAL)"
	if opt.Durable {
		sync = "synchronous(FULL)" + fullFsync
	}
	// Statement journals (temp_store) stay in memory; the writer's page
	// cache holds the hot parts of large indexes (the search postings, the
	// records' history) so that big transactions do not spill to disk
	// mid-way, and it maps the file. Readers do not map it: a reader whose
	// read transaction finds the database changed since its last one drops
	// its whole cache, and with a mapping unmaps it too, which under steady
	// writes (every audited read writes) cost more than reading the pages.
	common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
		"&_pragma=" + sync + "&_pragma=temp_store(2)&_time_format=sqlite"
	// The writer takes the write lock at BEGIN, so that two processes (a
	// server and a CLI command) never deadlock upgrading read locks.
	writeURI, err := FileURI(abs, common+"&_pragma=cache_size(-65536)&_pragma=mmap_size(1073741824)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	readURI, err := FileURI(abs, common+"&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	write, err := sql.Open("sqlite", writeURI)
	if err != nil {
		return nil, fmt.Errorf("sqldb: open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)
	read, err := sql.Open("sqlite", readURI)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqldb: open sqlite: %w", err)
	}
	n := opt.MaxReaders
	if n <= 0 {
		n = 8
	}
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	return &DB{Dialect: SQLite, Source: abs, read: read, write: write, reader: newStmtCache(read, maxCachedStmts),
		writes: newWriteStmts(write, maxCachedStmts), side: sideFiles(abs)}, nil
}

// Analyze refreshes the query planner's statistics of tables (of every
// table when none is named): ANALYZE on SQLite, VACUUM ANALYZE on
// PostgreSQL, whose index-only scans need the visibility map that VACUUM
// sets (autovacuum does both in time; bulk loads want them at once).
//
// On SQLite it keeps the per-index row estimates (sqlite_stat1) and drops
// the value samples (sqlite_stat4): with samples, a statement whose plan
// could depend on a parameter's value is prepared again every time it runs
// with new values, which undoes the readers' statement cache — a bare
// record read went from 8,300 to 15,800 requests/s without them. The
// queries here look rows up by keys their indexes lead with, where samples
// choose no better plan.
func (db *DB) Analyze(ctx context.Context, tables ...string) error {
	if db.Dialect == Postgres {
		q := "VACUUM ANALYZE " + strings.Join(tables, ", ")
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sqldb: %s: %w", q, err)
		}
		return nil
	}
	stmts := []string{"ANALYZE"}
	if len(tables) > 0 {
		stmts = nil
		for _, t := range tables {
			stmts = append(stmts, "ANALYZE "+t)
		}
	}
	// ANALYZE sqlite_schema makes the connection reload the statistics.
	stmts = append(stmts, "DELETE FROM sqlite_stat4", "ANALYZE sqlite_schema")
	for _, q := range stmts {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sqldb: %s: %w", q, err)
		}
	}
	return nil
}

// Ping checks that the database answers, through the writer (a full disk or
// lost server shows there first).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return err
	}
	if db.read != db.write {
		return db.read.PingContext(ctx)
	}
	return nil
}

// Reachable checks that the database answers through the reader pool,
// which a long write does not hold: on SQLite the writer pool is one
// connection, which a write transaction keeps until it commits (a batch
// of megabytes for seconds), so pinging it would answer a readiness probe
// "unreachable" for as long. Ping, at open, checks the writer too.
func (db *DB) Reachable(ctx context.Context) error { return db.read.PingContext(ctx) }

// Close closes both pools.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Read returns the reader pool, for queries outside a transaction.
func (db *DB) Read() Querier { return db.reader }

// Snapshot runs fn in a read-only transaction on the reader pool, so that
// all its queries see the database as of one moment (SQLite: from fn's
// first read; PostgreSQL: REPEATABLE READ), while writers go on.
func (db *DB) Snapshot(ctx context.Context, fn func(q Querier) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.Dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("sqldb: begin snapshot: %w", err)
	}
	defer tx.Rollback()
	return fn(&snapshot{Tx: tx, dialect: db.Dialect})
}

// snapshot is Snapshot's transaction, which tells In its engine.
type snapshot struct {
	*sql.Tx
	dialect Dialect
}

// Write returns the writer pool. Prefer Tx; this is for single statements
// that need no transaction around them.
func (db *DB) Write() Querier { return db.write }

// Pools returns the connection pools by name, for their statistics: on
// SQLite "read" (the readers) and "write" (the one writer), on PostgreSQL
// "read" alone, which writes too.
func (db *DB) Pools() map[string]*sql.DB {
	if db.read == db.write {
		return map[string]*sql.DB{"read": db.read}
	}
	return map[string]*sql.DB{"read": db.read, "write": db.write}
}

// Tx is a write transaction. It is a Querier.
type Tx struct {
	*sql.Tx
	Dialect Dialect

	stmts     *writeStmts          // nil on PostgreSQL, whose driver keeps its statements prepared itself
	bound     map[string]*sql.Stmt // the writer's statements bound to this transaction, by query
	held      []*cached            // their users, counted until the transaction ends
	own       map[string]*sql.Stmt // statements prepared for this transaction alone (ownStmt), by query
	ran       map[string]bool      // queries run unprepared in this transaction: true once tried for own
	committed []func()

	deferred   deferredState   // rows written once before commit (Deferred)
	savepoints []savepointMark // the savepoints set, innermost last, with the Deferreds of then
	done       []any           // the keys of Once's runs that succeeded, in order
}

// Once runs f the first time tx is asked to with key and answers its
// error, and answers nil without running f later, for what holds until
// the transaction ends once done: a SET LOCAL, a transaction's advisory
// lock. After a rollback to a savepoint set before f succeeded, f runs
// again, as the rollback may have undone it; a failed f runs again too.
func (tx *Tx) Once(key any, f func() error) error {
	if slices.Contains(tx.done, key) {
		return nil
	}
	if err := f(); err != nil {
		return err
	}
	tx.done = append(tx.done, key)
	return nil
}

// customPlans is CustomPlans' key for Once.
type customPlans struct{}

// CustomPlans has PostgreSQL plan the transaction's later queries for the
// values they are given (plan_cache_mode = force_custom_plan) until it
// ends, once however often it is asked (Once); SQLite has no such
// setting. A connection's generic plan of a prepared query, made while a
// table looked empty (a transaction's first rows), would scan the table
// at every run of the query after it grew.
func (tx *Tx) CustomPlans(ctx context.Context) error {
	if tx.Dialect != Postgres {
		return nil
	}
	return tx.Once(customPlans{}, func() error {
		if _, err := tx.ExecContext(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
			return fmt.Errorf("sqldb: custom plans: %w", err)
		}
		return nil
	})
}

// ExecContext runs query in the transaction, through its prepared
// statement when the writer has one.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	if len(args) == 0 {
		defer func() {
			if err == nil {
				tx.noteSavepoint(query)
			}
		}()
	}
	if st := tx.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

// QueryRowContext is ExecContext for a query whose one row is scanned
// before the query runs again. QueryContext always runs its query as it is:
// rows still open would hold the one prepared statement that running the
// query again in the loop reading them would need.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := tx.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// prepared returns query's statement prepared on the writer, bound to tx
// once for all the transaction's runs of it, or nil.
func (tx *Tx) prepared(ctx context.Context, query string) *sql.Stmt {
	if tx.stmts == nil {
		return nil
	}
	if st, ok := tx.bound[query]; ok {
		return st
	}
	if st, ok := tx.own[query]; ok {
		return st
	}
	s := tx.stmts.use(query)
	if s == nil {
		return tx.ownStmt(ctx, query)
	}
	if tx.bound == nil {
		tx.bound = map[string]*sql.Stmt{}
	}
	// Bound without ctx's end: a statement bound under a context already
	// done would fail every later run in tx. Each run has its own context.
	st := tx.Tx.StmtContext(context.WithoutCancel(ctx), s.st)
	tx.bound[query], tx.held = st, append(tx.held, s)
	return st
}

// maxOwnStmts bounds the statements a transaction prepares for itself
// (ownStmt), and maxRanQueries the unprepared queries it remembers.
const (
	maxOwnStmts   = 64
	maxRanQueries = 1024
)

// ownStmt returns query's statement prepared on tx alone, or nil. The
// writer's statements are prepared only between transactions (writeStmts),
// so one long transaction running the same queries for each of thousands
// of rows (a catalog import) parsed each anew every time: a third of its
// time. A query tx runs unprepared a second time is prepared on tx for its
// later runs, whatever its length (its statement is closed when tx ends).
// One that fails to prepare runs as it is, which reports its error.
func (tx *Tx) ownStmt(ctx context.Context, query string) *sql.Stmt {
	tried, seen := tx.ran[query]
	switch {
	case !seen:
		if tx.ran == nil || len(tx.ran) >= maxRanQueries {
			tx.ran = map[string]bool{}
		}
		tx.ran[query] = false
		return nil
	case tried || len(tx.own) >= maxOwnStmts:
		return nil
	}
	tx.ran[query] = true
	// Prepared without ctx's end, as bound statements are (prepared).
	st, err := tx.Tx.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	if tx.own == nil {
		tx.own = map[string]*sql.Stmt{}
	}
	tx.own[query] = st
	return st
}

// end releases the writer's statements tx used, once it has ended.
func (tx *Tx) end() {
	for _, s := range tx.held {
		tx.stmts.release(s)
	}
}

// OnCommit has f run once the transaction has committed, and not if it
// rolls back: for forgetting what the process remembers of rows the
// transaction changed. f runs even when it was registered under a savepoint
// that was rolled back, so it must be harmless when nothing changed.
func (tx *Tx) OnCommit(f func()) { tx.committed = append(tx.committed, f) }

type txKey struct{}

// WithTx returns ctx carrying tx: DB.Tx calls under ctx join tx instead of
// opening their own transaction, so that a wrapper (such as the API's
// Idempotency-Key store) can commit its own writes atomically with a
// handler's.
func WithTx(ctx context.Context, tx *Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// Tx runs fn in one write transaction: it commits when fn returns nil and
// rolls back otherwise (also on panic). If ctx carries a transaction from
// WithTx, fn runs in it and whoever opened it commits or rolls back.
func (db *DB) Tx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok {
		return fn(tx)
	}
	return db.TxRaw(ctx, func(tx *Tx, _ func(func(any) error) error) error { return fn(tx) })
}

// BoundedTx runs fn in one write transaction, as Tx does, as a short
// operation (a login, a logout): one bound, db's wait bound (WaitTimeout)
// from when it is called, ends the wait for a connection and the BEGIN,
// as Tx's does, and then fn's work, which Tx leaves unbounded, so that a
// database that stops answering mid-way fails it in bounded time, rolled
// back. Whatever the bound ends is returned as ErrWaitTimeout, and wrote
// nothing; only a BEGIN it cut short is the database not answering
// (Unanswered). fn runs with the context the bound ends. The COMMIT is
// sent only before the bound has passed, and once sent the bound does
// not end its wait, which ctx alone ends, as under Tx: a transaction the
// server committed is never reported refused by the bound (a login told
// 503 with its session stored). A server that stops answering just then
// holds the COMMIT until it answers or ctx ends; a COMMIT whose answer
// is lost so (ctx's error) or with its connection (IsUnavailable) may
// have been committed, under Tx as here. If ctx carries a transaction
// from WithTx, fn runs in it, bounded as under Bounded.
func (db *DB) BoundedTx(ctx context.Context, fn func(ctx context.Context, tx *Tx) error) error {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok {
		return db.Bounded(ctx, func(ctx context.Context) error { return fn(ctx, tx) })
	}
	return db.txRaw(ctx, true, func(ctx context.Context, tx *Tx, _ func(func(any) error) error) error { return fn(ctx, tx) })
}

// awaitBegin bounds the wait of a transaction that is about to begin: ctx
// ends (with ErrWaitTimeout as its cause) once db's wait bound has passed,
// unless begun is called first, with the transaction begun (stx nil when
// no connection was had) and its error. From begun on, ctx ends only with
// the caller's context, and the transaction's work is unbounded, unless
// whole: then the bound goes on and ends the work too (BoundedTx), until
// commit is called, as the COMMIT is about to be sent, which it must then
// not be when commit returns false (the bound has passed). issue
// is called as the BEGIN is sent, on a connection had, and connected once
// a connection is had, which any round trip it took was answered. begun returns err,
// or ErrWaitTimeout (with err, if any) when the bound ended the wait,
// rolling back a transaction begun as it ended. end releases ctx, once
// the transaction has ended.
//
// A BEGIN sent in time that the bound, or an outer one (a context ended
// with ErrWaitTimeout, as Bounded's), then cut short is the database not
// answering (on SQLite, another process holding the write lock; on
// PostgreSQL, a stalled server), which Unanswered reports until a BEGIN
// is in time again. On PostgreSQL the transaction's first round trip to
// the server counts as its BEGIN: a new connection's, or the ping before
// reusing an idle one (roundTrip), which ctx carries issue for, and
// connected for pgx's return with its answer (answered), so that the
// bound passing just after that answer is no round trip cut short, as it
// is no BEGIN cut short just after the BEGIN's answer; and a new
// connection that its connect_timeout ended (by default 10 s, before the
// bound's 15 s) counts as one cut short, its error still the connection
// timed out (IsUnavailable), not ErrWaitTimeout. A wait
// for one of the pool's connections is not: they are this process's,
// held by its own transactions (on SQLite the one writer, which a long
// import holds for minutes); nor is a BEGIN sent or answered once the
// bound, or the outer one, had passed.
func (db *DB) awaitBegin(ctx context.Context, whole bool) (_ context.Context, issue, connected func(), begun func(stx *sql.Tx, err error) error, commit func() bool, end func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	var state atomic.Int32 // a beginState
	timer := time.AfterFunc(db.wait, func() {
		if state.CompareAndSwap(beginWaiting, beginLate) || state.CompareAndSwap(beginSent, beginCut) ||
			whole && state.CompareAndSwap(beginAnswered, workCut) {
			cancel(ErrWaitTimeout)
		}
	})
	issue = func() {
		// A context already ended (by an outer bound) sends no BEGIN.
		if ctx.Err() == nil {
			state.CompareAndSwap(beginWaiting, beginSent)
		}
	}
	connected = func() { state.CompareAndSwap(beginSent, beginWaiting) }
	begun = func(stx *sql.Tx, err error) error {
		sent := state.Load() == beginSent
		if state.CompareAndSwap(beginWaiting, beginAnswered) || state.CompareAndSwap(beginSent, beginAnswered) {
			if !whole {
				timer.Stop()
			}
			switch {
			case err == nil && db.unanswered.Load() != 0:
				db.unanswered.Store(0)
			case err != nil && sent && (errors.Is(context.Cause(ctx), ErrWaitTimeout) || ctx.Err() == nil && connectTimedOut(err)):
				db.unanswered.Store(sinceStart())
			}
			return err
		}
		if err == nil {
			stx.Rollback()
			return fmt.Errorf("%w (waited %s)", ErrWaitTimeout, db.wait)
		}
		if state.Load() == beginCut {
			db.unanswered.Store(sinceStart())
		}
		return fmt.Errorf("%w (waited %s): %w", ErrWaitTimeout, db.wait, err)
	}
	commit = func() bool { return state.CompareAndSwap(beginAnswered, committing) }
	ctx = context.WithValue(ctx, roundTripsKey{}, roundTrips{sent: issue, answered: connected})
	return ctx, issue, connected, begun, commit, func() { timer.Stop(); cancel(nil) }
}

// connectTimedOut reports whether err is a connection to PostgreSQL that
// its connect_timeout ended (pgx's deadline inside its ConnectError).
func connectTimedOut(err error) bool {
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) && errors.Is(err, context.DeadlineExceeded)
}

// roundTripsKey is the context key of a transaction's roundTrips.
type roundTripsKey struct{}

// roundTrips are a transaction's issue and connected (awaitBegin), which
// its context carries for its connection's first round trip to a
// PostgreSQL server (roundTrip, answered).
type roundTrips struct{ sent, answered func() }

// roundTrip calls the issue ctx carries, if any, as a connection sends
// its first round trip to a PostgreSQL server for a transaction about to
// begin: a new connection's, or a ping before an idle one's reuse.
func roundTrip(ctx context.Context) {
	if r, ok := ctx.Value(roundTripsKey{}).(roundTrips); ok {
		r.sent()
	}
}

// answered calls the connected ctx carries, if any, as pgx returns with
// the answer to a connection's first round trip (roundTrip): so that the
// bound passing after the answer, before the transaction has its
// connection, is no round trip cut short.
func answered(ctx context.Context) {
	if r, ok := ctx.Value(roundTripsKey{}).(roundTrips); ok {
		r.answered()
	}
}

// The states of a transaction's wait for its BEGIN (awaitBegin): whichever
// of begun and the bound comes first moves it out of beginWaiting or
// beginSent, and the other then finds it moved; under a bound on the
// whole transaction, whichever of commit and the bound comes first moves
// it out of beginAnswered.
const (
	beginWaiting  int32 = iota // for a connection
	beginSent                  // the BEGIN sent, in time
	beginAnswered              // begun before the bound passed
	beginLate                  // the bound passed before the BEGIN was sent
	beginCut                   // the bound passed while the BEGIN was waiting
	workCut                    // the bound passed before the COMMIT was sent
	committing                 // the COMMIT sent before the bound passed
)

// Unanswered returns when a transaction last waited past the wait bound
// for its BEGIN, on a connection it had (see awaitBegin), or on
// PostgreSQL for its first round trip to the server, or zero when none
// did, or a BEGIN was answered in time since.
func (db *DB) Unanswered() time.Time {
	if n := db.unanswered.Load(); n != 0 {
		return clockStart.Add(time.Duration(n))
	}
	return time.Time{}
}

// clockStart is a reading of time.Now taken as the process starts. The
// times a DB keeps in an atomic integer are kept as nanoseconds since it
// (sinceStart) and read back as clockStart.Add of them, which carry its
// monotonic reading, moved: time.Since then measures from them by the
// monotonic clock, so that a step of the wall clock (an NTP correction, a
// VM resumed) does not move them, where Unix nanoseconds kept /readyz
// unready for its bound plus a step back.
var clockStart = time.Now()

// sinceStart is the time now as nanoseconds since clockStart, at least 1:
// 0 stands for none.
func sinceStart() int64 { return max(int64(time.Since(clockStart)), 1) }

// preparePending prepares the writer's statements that its transactions
// ran unprepared twice (writeStmts), before a transaction takes it.
func (db *DB) preparePending(ctx context.Context) {
	if db.writes != nil {
		db.writes.preparePending(ctx)
	}
}

// finish runs fn in stx, writes its Deferreds and commits, or rolls back
// when fn or a write fails, fn panics, or commit (awaitBegin) returns
// false: the bound passed before the COMMIT could be sent. A COMMIT that
// fails once ctx has ended returns ctx's error (its cause).
func (db *DB) finish(ctx context.Context, stx *sql.Tx, commit func() bool, fn func(tx *Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			stx.Rollback()
			panic(p)
		}
		if err != nil {
			stx.Rollback()
		}
	}()
	tx := &Tx{Tx: stx, Dialect: db.Dialect, stmts: db.writes}
	defer tx.end()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.FlushDeferred(ctx); err != nil {
		return err
	}
	if !commit() {
		return fmt.Errorf("%w (waited %s)", ErrWaitTimeout, db.wait)
	}
	if err := stx.Commit(); err != nil {
		if ctx.Err() != nil {
			// The caller left: database/sql rolled the transaction back
			// as ctx ended, before the COMMIT was sent, and refused it
			// (sql.ErrTxDone, whose words could read as committed), or
			// the COMMIT was sent and its answer is lost. Either way the
			// error is ctx's.
			return fmt.Errorf("sqldb: commit: %w", context.Cause(ctx))
		}
		return fmt.Errorf("sqldb: commit: %w", err)
	}
	for _, f := range tx.committed {
		f()
	}
	return nil
}

// beforeBegin and afterBegin, when set (by tests), are called by TxRaw
// with the context bounding its wait, once it has a connection and before
// it sends the BEGIN, and once the BEGIN has returned.
var beforeBegin, afterBegin func(ctx context.Context)

// TxRaw is Tx on a dedicated connection that fn can also reach as the
// driver's own, through raw (which calls f with it, as sql.Conn.Raw), for a
// driver-specific bulk path such as PostgreSQL COPY inside the
// transaction. When ctx carries a transaction from WithTx, fn joins it and
// raw is nil: the caller must then do without.
func (db *DB) TxRaw(ctx context.Context, fn func(tx *Tx, raw func(f func(driverConn any) error) error) error) (err error) {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok {
		return fn(tx, nil)
	}
	return db.txRaw(ctx, false, func(_ context.Context, tx *Tx, raw func(func(any) error) error) error { return fn(tx, raw) })
}

// txRaw is TxRaw, its wait bounded (awaitBegin) and, when whole, its work
// too, up to sending the COMMIT (BoundedTx); fn runs with the context the
// bound ends.
func (db *DB) txRaw(ctx context.Context, whole bool, fn func(ctx context.Context, tx *Tx, raw func(f func(driverConn any) error) error) error) (err error) {
	parent := ctx
	ctx, issue, connected, begun, commit, end := db.awaitBegin(ctx, whole)
	defer end()
	db.preparePending(ctx)
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqldb: connect: %w", begun(nil, err))
	}
	defer conn.Close()
	if beforeBegin != nil {
		beforeBegin(ctx)
	}
	connected()
	issue()
	stx, err := conn.BeginTx(ctx, nil)
	if afterBegin != nil {
		afterBegin(ctx)
	}
	if err = begun(stx, err); err != nil {
		return fmt.Errorf("sqldb: begin: %w", err)
	}
	err = db.finish(ctx, stx, commit, func(tx *Tx) error { return fn(ctx, tx, conn.Raw) })
	if err != nil && parent.Err() == nil && errors.Is(context.Cause(ctx), ErrWaitTimeout) && !errors.Is(err, ErrWaitTimeout) {
		return fmt.Errorf("%w (waited %s): %w", ErrWaitTimeout, db.wait, err)
	}
	return err
}

// IsUniqueViolation reports whether err is a unique or primary-key
// constraint violation, by the engine's error code.
func IsUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// A Key is a unique key of a table, named by its columns in order: its
// primary key or a UNIQUE constraint declared with the table. A unique
// violation names the key violated, which is all that tells a duplicate
// of what the key stands for (a name taken) from a collision of something
// else: an id drawn from a sequence that lags behind the rows, as after a
// restore that left the sequences out, collides on the primary key.
type Key struct {
	Table   string
	Columns []string
	Primary bool
}

// PrimaryKey is the key of table's primary key.
func PrimaryKey(table string, columns ...string) Key {
	return Key{Table: table, Columns: columns, Primary: true}
}

// Unique is the key of a UNIQUE constraint of table.
func Unique(table string, columns ...string) Key { return Key{Table: table, Columns: columns} }

// Constraint is the key's name on PostgreSQL, the name it gives a
// constraint declared without one: <table>_pkey for the primary key,
// <table>_<columns>_key for a UNIQUE constraint.
func (k Key) Constraint() string {
	if k.Primary {
		return k.Table + "_pkey"
	}
	return k.Table + "_" + strings.Join(k.Columns, "_") + "_key"
}

// IsUniqueViolationOf reports whether err is a violation of key k: on
// PostgreSQL by the constraint's name, on SQLite by the table and columns
// its message names ("UNIQUE constraint failed: apps.department_id,
// apps.name").
func IsUniqueViolationOf(err error, k Key) bool {
	if !IsUniqueViolation(err) {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.ConstraintName == k.Constraint()
	}
	var se *sqlite.Error
	errors.As(err, &se)
	_, cols, ok := strings.Cut(se.Error(), "UNIQUE constraint failed: ")
	if !ok {
		return false
	}
	cols, _, _ = strings.Cut(cols, " (")
	want := make([]string, len(k.Columns))
	for i, c := range k.Columns {
		want[i] = k.Table + "." + c
	}
	return cols == strings.Join(want, ", ")
}

// IsRetryable reports whether err is PostgreSQL aborting a transaction
// that would succeed when run again: a deadlock with another transaction,
// or a serialization failure. (SQLite has one writer, and neither.)
func IsRetryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40P01" || pg.Code == "40001")
}

// IsForeignKeyViolation reports whether err is a foreign-key violation.
func IsForeignKeyViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// IsUnavailable reports whether err says the database cannot serve now,
// rather than that the statement is wrong: the server is unreachable, shut
// down, out of connections, out of disk or read-only; on SQLite, the file is
// locked by another process past the busy timeout, read-only, full or failing
// I/O; or a wait for it (a connection, SQLite's writer, a lock) outlasted
// WaitTimeout. The request may succeed later, so callers answer 503.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	// A connection that could not be made is the database's failure, even
	// when it timed out: pgx reports connect_timeout as a context deadline
	// inside its ConnectError.
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	if IsWaitTimeout(err) {
		return true
	}
	// Any other deadline or cancellation is the request's, not the
	// database's (context.DeadlineExceeded is a net.Error too).
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case strings.HasPrefix(pg.Code, "08"): // connection exception
			return true
		case strings.HasPrefix(pg.Code, "53"): // insufficient resources: disk full, out of memory, too many connections
			return true
		}
		switch pg.Code {
		case "57P01", "57P02", "57P03", // admin shutdown, crash shutdown, cannot connect now
			"25006": // read-only SQL transaction: a standby, or default_transaction_read_only
			return true
		}
		return false
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary result code
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR,
			sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN:
			return true
		}
		return false
	}
	// The connection to PostgreSQL broke (reset, timed out): an error of
	// a connection to the database (dbConn), not any network error — the
	// client's own connection closing under its request (a body cut off,
	// a server shutting down) is not the database's failure.
	var de *dbConnError
	return errors.As(err, &de)
}

// dbConn is a connection to the PostgreSQL server, whose network errors
// are marked as the database's (dbConnError) for IsUnavailable.
type dbConn struct{ net.Conn }

func (c dbConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	return n, markDBConn(err)
}

func (c dbConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	return n, markDBConn(err)
}

// markDBConn returns a network error of a connection to the database as a
// dbConnError, and any other (io.EOF, which readers compare) as it is.
func markDBConn(err error) error {
	if oe, ok := err.(*net.OpError); ok {
		return &dbConnError{oe}
	}
	return err
}

// dbConnError is a network error (reset, timed out) of a connection to the
// database. It is the *net.OpError it holds for errors.As and errors.Is,
// and a net.Error, timeout or not as it is, for pgx and crypto/tls.
type dbConnError struct{ op *net.OpError }

func (e *dbConnError) Error() string   { return e.op.Error() }
func (e *dbConnError) Unwrap() error   { return e.op }
func (e *dbConnError) Timeout() bool   { return e.op.Timeout() }
func (e *dbConnError) Temporary() bool { return e.op.Temporary() }

// Unavailable returns err as a user-facing 503 when the database could not
// serve it now but may later: database_unavailable when IsUnavailable(err),
// said busy (数据库繁忙) when a wait outlasted its bound (IsWaitTimeout: the
// writer or a lock held, as by a long import, on a server that answers)
// and unreachable (数据库暂时无法访问) otherwise; database_busy when
// IsRetryable(err) (a deadlock or serialization failure its caller's
// retries did not outlast, or a caller that does not retry: the request
// succeeds when sent again); and nil otherwise. An error that already
// carries a kind other than Internal keeps it.
func Unavailable(err error) *errs.Error {
	if e := errs.As(err); e != nil && e.Kind != errs.Internal {
		return nil
	}
	var ce *pgconn.ConnectError
	switch {
	case IsWaitTimeout(err) && !errors.As(err, &ce):
		return errs.Wrap(errs.Unavailable, "database_unavailable", "数据库繁忙，未能在限定时间内完成，请稍后重试", err)
	case IsUnavailable(err):
		return errs.Wrap(errs.Unavailable, "database_unavailable", "数据库暂时无法访问，请稍后重试", err)
	case IsRetryable(err):
		return errs.Wrap(errs.Unavailable, "database_busy", "数据库繁忙，请稍后重试", err)
	}
	return nil
}

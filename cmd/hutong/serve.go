package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/reqlog"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/web"
)

// envOr returns the environment variable or def.
func envOr(e *env, name, def string) string {
	if v := e.Getenv(name); v != "" {
		return v
	}
	return def
}

// envBool returns the boolean environment variable name, or def when it is
// not set. A value that strconv.ParseBool does not read ("yes", "on") is
// reported through *bad, so that the command refuses it instead of quietly
// using def: HUTONG_MIGRATE=no must not migrate, nor
// HUTONG_SECURE_COOKIES=yes leave cookies without Secure.
func envBool(e *env, name string, def bool, bad *error) bool {
	s := e.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		*bad = fmt.Errorf("%s=“%s”：应为 true 或 false（或 1 / 0）", name, s)
		return def
	}
	return v
}

// envInt returns the integer environment variable name, or def when it is
// not set; a value that is not an integer is reported through *bad, as
// envBool does.
func envInt(e *env, name string, def int, bad *error) int {
	s := e.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		*bad = fmt.Errorf("%s=“%s”：应为整数", name, s)
		return def
	}
	return v
}

// newFlags returns a flag set whose -h prints usage (the command's
// description) followed by its flags.
func newFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args; -h prints the usage on standard output, as hutong
// help's, and returns errHelp, which run turns into success. A flag it cannot read is reported by flagError alone,
// without the usage the flag package prints with its error. A word left
// after the flags is refused: the flag package stops at it, so that it and
// the flags after it would be ignored ("audit list x -action auth.login"
// listed every action); it is usually a value whose flag was forgotten
// ("app show 3"). A command that takes arguments calls parseArgs.
func parse(e *env, fs *flag.FlagSet, args []string) error {
	if err := parseArgs(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("多余的参数 %s（值要跟在参数名之后，如 -名称 值；用法见 hutong %s -h）", fs.Arg(0), fs.Name())
	}
	return nil
}

// parseArgs is parse for a command that takes arguments after its flags
// (fs.Args).
func parseArgs(e *env, fs *flag.FlagSet, args []string) error {
	out := fs.Output()
	var usage bytes.Buffer
	fs.SetOutput(&usage)
	err := fs.Parse(args)
	fs.SetOutput(out)
	switch {
	case errors.Is(err, flag.ErrHelp):
		e.Stdout.Write(usage.Bytes())
		return errHelp
	case err != nil:
		return flagError(fs, err)
	}
	return nil
}

// The flag package's errors, which it only gives as text.
var (
	flagUndefined = regexp.MustCompile(`^flag provided but not defined: -(.*)$`)
	flagNoValue   = regexp.MustCompile(`^flag needs an argument: -(.*)$`)
	flagBadValue  = regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-([^:]*): (.*)$`)
	flagSyntax    = regexp.MustCompile(`^bad flag syntax: (.*)$`)
)

// flagError turns the flag package's English error into one Chinese line
// naming the flag and what it takes, and pointing to the usage:
// -grace 的值“abc”无效：应为时长，如 24h、90m 或 30s（用法见 hutong app rotate -h）.
func flagError(fs *flag.FlagSet, err error) error {
	see := "（用法见 hutong " + fs.Name() + " -h）"
	msg := err.Error()
	if m := flagUndefined.FindStringSubmatch(msg); m != nil {
		if near := nearestFlag(fs, m[1]); near != "" {
			return fmt.Errorf("没有参数 -%s，是否指 -%s？%s", m[1], near, see)
		}
		return fmt.Errorf("没有参数 -%s%s", m[1], see)
	}
	if m := flagNoValue.FindStringSubmatch(msg); m != nil {
		if form := flagForm(fs.Lookup(m[1])); form != "" {
			return fmt.Errorf("-%s 需要一个值：%s%s", m[1], form, see)
		}
		return fmt.Errorf("-%s 需要一个值%s", m[1], see)
	}
	if m := flagBadValue.FindStringSubmatch(msg); m != nil {
		value, name, reason := m[1], m[2], m[3]
		if v, err := strconv.Unquote(value); err == nil { // the flag package quotes it as Go does
			value = "“" + v + "”"
		}
		if reason == "value out of range" {
			return fmt.Errorf("-%s 的值%s超出范围%s", name, value, see)
		}
		form := flagForm(fs.Lookup(name))
		switch {
		case form == "":
			form = reason // a Set of this package's, in Chinese
		case form[0] < utf8.RuneSelf:
			form = " " + form // 应为 true 或 false
		}
		return fmt.Errorf("-%s 的值%s无效：应为%s%s", name, value, form, see)
	}
	if m := flagSyntax.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("参数写法有误：%s，应为 -名称 值 或 -名称=值%s", m[1], see)
	}
	return fmt.Errorf("参数有误：%s%s", msg, see)
}

// flagForm is what flag f takes, by its type, or "" for a string or a
// flag.Value of this package's.
func flagForm(f *flag.Flag) string {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return ""
	}
	switch g.Get().(type) {
	case time.Duration:
		return "时长，如 24h、90m 或 30s"
	case bool:
		return "true 或 false"
	case int, int64:
		return "整数"
	case uint, uint64:
		return "不小于 0 的整数"
	case float64:
		return "数字"
	}
	return ""
}

// nearestFlag is the flag of fs that name is most likely a typo of (a
// letter added, dropped or changed in every three), or "".
func nearestFlag(fs *flag.FlagSet, name string) string {
	best, bestDist := "", utf8.RuneCountInString(name)/3+1
	fs.VisitAll(func(f *flag.Flag) {
		if d := editDistance(name, f.Name); d < bestDist {
			best, bestDist = f.Name, d
		}
	})
	return best
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

var errHelp = errors.New("help shown")

func dbFlag(fs *flag.FlagSet, e *env) *string {
	var dsn string
	dsnFlag(fs, &dsn, "db", envOr(e, "HUTONG_DB", "hutong.db"), dbUsage)
	return &dsn
}

// dsnFlag defines a flag naming a database whose default, from the
// environment, the usage shows with its password masked (sqldb.Redact), as
// the log does: -h would print HUTONG_DB's password in clear. The flag
// holds the real value.
func dsnFlag(fs *flag.FlagSet, p *string, name, def, usage string) {
	fs.StringVar(p, name, def, usage)
	fs.Lookup(name).DefValue = sqldb.Redact(def)
}

// openDB opens the database with opt. With migrate it brings it to the
// current schema, and creates a SQLite file that does not exist, for the
// commands that build a database (demo, bench); a command that migrates an
// existing one calls requireDB first. Without migrate the database must
// exist and have the binary's schema (requireSchema): as docs/backup.md
// says, only migrate, and serve and demo at start, apply migrations, so
// that a listing from an admin box does not migrate a database several
// servers share; and a schema a newer release migrated is refused, since
// this binary's reads and writes may miss what it expects.
func openDB(ctx context.Context, e *env, dsn string, opt sqldb.Options, migrate bool) (*sqldb.DB, error) {
	if !migrate {
		db, err := openExisting(ctx, dsn, opt)
		if err != nil {
			return nil, err
		}
		if err := requireSchema(ctx, db, ""); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	db, err := sqldb.Open(ctx, dsn, opt)
	if err != nil {
		return nil, err
	}
	if err := migrateDB(ctx, e, db, nil); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openExisting opens a database that must exist (requireDB), whatever its
// schema: for migrate -status, which lists what is pending, and backup,
// which copies the database whole, so that a backup can be taken before
// hutong migrate upgrades it, and of one a newer release migrated (its
// -verify names the release the copy needs).
func openExisting(ctx context.Context, dsn string, opt sqldb.Options) (*sqldb.DB, error) {
	if err := requireDB(dsn); err != nil {
		return nil, err
	}
	return sqldb.Open(ctx, dsn, opt)
}

// migrateDB applies db's pending migrations (migrateChecked), saying each
// as it starts and once applied (migrationProgress): on standard error,
// or, for serve and demo (fr not nil), in fr's JSON log when it is one,
// and in /readyz.
func migrateDB(ctx context.Context, e *env, db *sqldb.DB, fr *front) error {
	var log *slog.Logger
	if fr != nil {
		log = fr.structured()
	}
	_, err := migrateChecked(ctx, db, migrationProgress(ctx, e.Stderr, log, fr))
	return err
}

// migrationHook, when not nil, is called as each migration starts, once
// it is said: tests hold the migration there.
var migrationHook func(ctx context.Context, name string)

// migrationProgress says each migration as it starts (正在应用迁移 …（第
// i/n 个）…) and once applied (已应用迁移 …（time）), as it happens, so that
// an upgrade taking minutes is seen to progress and one killed part-way
// shows what it committed: on w, or in log when not nil (JSON: "applying
// migration", "migration applied"); fr, when not nil, names the migration
// in /readyz.
func migrationProgress(ctx context.Context, w io.Writer, log *slog.Logger, fr *front) sqldb.Progress {
	return sqldb.Progress{
		Before: func(name string, i, n int) {
			if fr != nil {
				fr.set(server.StartingMigration(name, i, n))
			}
			if log != nil {
				log.Info("applying migration", "name", name, "number", i, "of", n)
			} else {
				fmt.Fprintf(w, "正在应用迁移 %s（第 %d/%d 个）…\n", name, i, n)
			}
			if migrationHook != nil {
				migrationHook(ctx, name)
			}
		},
		After: func(name string, elapsed time.Duration) {
			if log != nil {
				log.Info("migration applied", "name", name, "seconds", elapsed.Round(time.Millisecond).Seconds())
			} else {
				fmt.Fprintf(w, "已应用迁移 %s（%s）\n", name, zhDuration(elapsed.Round(100*time.Millisecond)))
			}
		},
	}
}

// migrateChecked applies db's pending migrations, telling p of each, and
// returns those applied, after checking that it has the objects its
// migrations applied create (sqldb.CheckObjects), so that a half-restored
// backup, of this release or a former one, is refused before any
// migration is applied to it, and checks them again after. A migration
// that fails is said as migrationFailed says it.
func migrateChecked(ctx context.Context, db *sqldb.DB, p sqldb.Progress) ([]string, error) {
	if err := db.CheckObjects(ctx); err != nil {
		return nil, err
	}
	names, err := db.MigrateProgress(ctx, p)
	if err != nil {
		return names, migrationFailed(db, err)
	}
	return names, db.CheckObjects(ctx)
}

// requireDB refuses a SQLite file that does not exist: opening it would
// create an empty database, so that a mistyped -db would fail on a missing
// table, report on nothing, or be served or migrated as a new platform.
// An address written as a URL of another scheme (postgress://, mysql://)
// is refused as such (sqldb.CheckDSN), not as a file to create. When dsn
// is the default hutong.db and the working directory holds the demo's
// hutong-demo.db, the advice names that first: run where hutong demo ran,
// a command without -db would otherwise be sent to create an empty
// platform.
func requireDB(dsn string) error {
	advice := "新建数据库：hutong migrate -db " + shellQuote(dsn) + "（或试试 hutong demo）"
	if dsn == "hutong.db" {
		if fi, err := os.Stat("hutong-demo.db"); err == nil && fi.Mode().IsRegular() {
			advice = "此目录有演示数据库 hutong-demo.db：要用它，请加 -db hutong-demo.db 再运行；要新建数据库：hutong migrate -db hutong.db"
		}
	}
	// migrate creates the file, not its folder.
	if dsn != "" && !sqldb.IsPostgresDSN(dsn) {
		if dir, err := filepath.Abs(filepath.Dir(dsn)); err == nil {
			if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
				advice = "目录 " + dir + " 不存在：请先建立该目录（mkdir -p " + shellQuote(dir) + "），再" + advice
			}
		}
	}
	return requireFile(dsn, advice)
}

// requireFile is requireDB with what to do about a file that is not
// there: advice follows the refusal.
func requireFile(dsn, advice string) error {
	if err := sqldb.CheckDSN(dsn); err != nil {
		return err
	}
	if dsn == "" || sqldb.IsPostgresDSN(dsn) {
		return nil
	}
	_, err := os.Stat(dsn)
	if errors.Is(err, fs.ErrNotExist) {
		abs, aerr := filepath.Abs(dsn)
		if aerr != nil {
			abs = dsn
		}
		return fmt.Errorf("数据库 %s 不存在（请检查 -db 或 HUTONG_DB）；%s", abs, advice)
	}
	if err != nil {
		if abs, aerr := filepath.Abs(dsn); aerr == nil {
			if f := sqldb.FileOnPath(filepath.Dir(abs)); f != "" {
				return fmt.Errorf("数据库 %s 无法打开：%s 是文件，不是目录（请检查 -db 或 HUTONG_DB）", abs, f)
			}
		}
		return fmt.Errorf("数据库：%w", err)
	}
	return nil
}

func newLogger(e *env, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(e.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(e.Stderr, nil))
}

const serveUsage = `Usage: hutong serve [flags]

Run the HTTP server: the JSON API under /api/v1 (OpenAPI document at
/api/v1/openapi.json), the web console at /, /healthz, /readyz and /metrics.
Several servers may share one PostgreSQL database behind a load balancer.
SIGINT or SIGTERM shuts it down gracefully. It binds its address first:
while it opens and migrates the database, /healthz answers 200 and every
other path 503 (/readyz "starting: …", the API a problem "starting").

The database must exist: a new platform starts with 'hutong migrate', then
'hutong org' and 'hutong user' to create its first departments and
accounts. serve refuses a SQLite file that is not there, and a database
without the platform's schema (an empty one, another program's, or one a
restore failed to fill), rather than make it a new, empty platform.

Flags:
`

type serveFlags struct {
	db, addr, logFormat, calendarFile, proxies string
	dbConns, unchangedKeyDays                  int
	secureCookies, migrate, dev                bool
	envErrs                                    []*envError        // the environment variables of the flags, in their order
	cal                                        *calendar.Calendar // loaded by check
	trusted                                    []netip.Prefix     // -trusted-proxies, read by check
}

// envError is what the environment variable of a flag held that could not
// be read: nil when it was read or not set.
type envError struct {
	flag string
	err  error
}

// envOf is where envBool and envInt report a bad value of flag's
// environment variable.
func (f *serveFlags) envOf(flag string) *error {
	x := &envError{flag: flag}
	f.envErrs = append(f.envErrs, x)
	return &x.err
}

// maxDBConns bounds -db-conns: more connections than this only queue in
// the database server.
const maxDBConns = 500

// maxUnchangedKeyDays bounds -unchanged-key-days: ten years.
const maxUnchangedKeyDays = 3650

// check refuses what parsing the flags of fs could not: an environment
// variable that is not a boolean or a number (unless its flag was given,
// which wins over it), a log format other than text or json,
// a connection count or retention out of range, a calendar file that
// cannot be read, and -dev outside the repository root, where the console's
// templates and static files are not.
// It runs before the database is opened (and created or migrated).
func (f *serveFlags) check(fs *flag.FlagSet) error {
	given := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = true })
	for _, x := range f.envErrs {
		if x.err != nil && !given[x.flag] {
			return x.err
		}
	}
	if err := checkAddr(f.addr); err != nil {
		return err
	}
	if f.logFormat != "text" && f.logFormat != "json" {
		return fmt.Errorf("-log-format “%s”（或 HUTONG_LOG_FORMAT）：应为 text 或 json", f.logFormat)
	}
	if f.dbConns < 0 || f.dbConns > maxDBConns {
		return fmt.Errorf("-db-conns %d（或 HUTONG_DB_CONNS）：应为 1 到 %d，或 0 表示默认值", f.dbConns, maxDBConns)
	}
	if f.unchangedKeyDays < 0 || f.unchangedKeyDays > maxUnchangedKeyDays {
		return fmt.Errorf("-unchanged-key-days %d（或 HUTONG_UNCHANGED_KEY_DAYS）：应为 1 到 %d，或 0 表示永久保留",
			f.unchangedKeyDays, maxUnchangedKeyDays)
	}
	if f.dev {
		for _, dir := range []string{"templates", "static"} {
			p := filepath.Join(web.DevDir, dir)
			if st, err := os.Stat(p); err != nil || !st.IsDir() {
				return fmt.Errorf("-dev（或 HUTONG_DEV）从源码树的 %s 读取模板和静态文件，须在仓库根目录运行：当前目录下没有 %s",
					web.DevDir, p)
			}
		}
	}
	trusted, err := server.ParseTrustedProxies(f.proxies)
	if err != nil {
		return fmt.Errorf("-trusted-proxies（或 HUTONG_TRUSTED_PROXIES）：%v；应为以逗号分隔的 IP 地址或 CIDR 网段，如 10.0.0.5,10.1.0.0/16", err)
	}
	f.trusted = trusted
	cal, err := loadCalendar(f.calendarFile)
	if err != nil {
		return err
	}
	f.cal = cal
	return nil
}

// jsonLog reports whether f asks for the JSON log (-log-format json): the
// front end's (startFront), and the start log's (startLog) before it.
func (f *serveFlags) jsonLog() bool { return f.logFormat == "json" }

// options are the database options of the server: durable commits, and
// the connection pool of -db-conns.
func (f *serveFlags) options(durable bool) sqldb.Options {
	return sqldb.Options{Durable: durable, MaxReaders: f.dbConns}
}

// dbUsage is the usage of -db.
const dbUsage = "database: SQLite file path, postgres:// URL or libpq keyword string host=… dbname=… (env HUTONG_DB)"

func addServeFlags(fs *flag.FlagSet, e *env, defDB string) *serveFlags {
	f := &serveFlags{}
	dsnFlag(fs, &f.db, "db", envOr(e, "HUTONG_DB", defDB), dbUsage)
	fs.StringVar(&f.addr, "addr", envOr(e, "HUTONG_ADDR", "127.0.0.1:8080"), "listen address (env HUTONG_ADDR)")
	fs.StringVar(&f.logFormat, "log-format", envOr(e, "HUTONG_LOG_FORMAT", "text"), "log format: text or json (env HUTONG_LOG_FORMAT)")
	calendarFlag(fs, e, &f.calendarFile)
	fs.StringVar(&f.proxies, "trusted-proxies", envOr(e, "HUTONG_TRUSTED_PROXIES", ""),
		"reverse proxies or load balancers whose X-Forwarded-For names the client, IP addresses or CIDR prefixes separated by commas; the audit log records that client's address, not the proxy's (env HUTONG_TRUSTED_PROXIES)")
	fs.BoolVar(&f.secureCookies, "secure-cookies", envBool(e, "HUTONG_SECURE_COOKIES", false, f.envOf("secure-cookies")), "mark session cookies Secure: set when served over HTTPS (env HUTONG_SECURE_COOKIES)")
	fs.BoolVar(&f.migrate, "migrate", envBool(e, "HUTONG_MIGRATE", true, f.envOf("migrate")), "apply pending migrations at start (env HUTONG_MIGRATE)")
	fs.IntVar(&f.dbConns, "db-conns", envInt(e, "HUTONG_DB_CONNS", 0, f.envOf("db-conns")),
		"database connections, 0 for the default: on PostgreSQL the most the server opens, for reads and writes together (default the DSN's pool_max_conns, else 20); on SQLite its readers, which write on one more (default 8) (env HUTONG_DB_CONNS)")
	fs.IntVar(&f.unchangedKeyDays, "unchanged-key-days", envInt(e, "HUTONG_UNCHANGED_KEY_DAYS", int(records.DefaultUnchangedKeyRetention/(24*time.Hour)), f.envOf("unchanged-key-days")),
		"days the key of a record change acknowledged as unchanged is kept, so that the change resent is a duplicate; older keys are deleted hourly, 0 keeps them forever (env HUTONG_UNCHANGED_KEY_DAYS)")
	fs.BoolVar(&f.dev, "dev", envBool(e, "HUTONG_DEV", false, f.envOf("dev")), "reload web templates from disk on every request, for their development (env HUTONG_DEV)")
	return f
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", serveUsage)
	f := addServeFlags(fs, e, "hutong.db")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := f.check(fs); err != nil {
		return err
	}
	if err := requireDB(f.db); err != nil {
		return err
	}
	// Bound before the database is migrated: a port in use is refused at
	// once, not after the migrations, during which the address answers
	// that the server is starting.
	fr, err := bindFront(e, f)
	if err != nil {
		return err
	}
	defer fr.shutdown()
	db, err := openExisting(ctx, f.db, f.options(true))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := warnCollation(ctx, db, func(w string) { fr.log.Warn(w) }); err != nil {
		return err
	}
	// A database without the platform's schema is refused, migrated or
	// not: serve would make an empty one a new, empty platform, and
	// migrate another program's, or a restore that failed, into a mix.
	// A new platform is made by hutong migrate. requireSchema refuses it
	// too, with the other schemas serve -migrate=false cannot serve.
	if f.migrate {
		if err = requireBuilt(ctx, db, false); err == nil {
			fr.starting(ctx, server.Migrating)
			err = migrateDB(ctx, e, db, fr)
		}
	} else {
		err = requireSchema(ctx, db, "serve")
	}
	if err != nil {
		return err
	}
	return serve(ctx, e, db, f, fr, nil)
}

// warnCollation gives warn the warning of a PostgreSQL database whose
// collation does not sort text by code point as SQLite does
// (sqldb.CollationWarning), for serve, demo, migrate and migrate -status,
// before they build or migrate the schema in it (an empty database is the
// moment to create another). They
// warn where they refuse a wrong encoding (EncodingError): only the order
// of lists differs, no value is stored or counted wrong.
func warnCollation(ctx context.Context, db *sqldb.DB, warn func(string)) error {
	w, err := db.CheckCollation(ctx)
	if err != nil {
		return err
	}
	if w != nil {
		warn(w.String())
	}
	return nil
}

// requireSchema refuses a database whose schema is behind the binary's,
// or empty, for serve (or demo, cmd) -migrate=false, and for the other
// commands (cmd ""), which never migrate: served, its requests would fail
// on missing tables and columns (500, relation … does not exist) while
// /readyz answered 503. It names the pending migrations and the command
// that applies them. It refuses too a database a newer release migrated
// (newerSchema), as Migrate does. It reads the schema once for all three;
// then, current or behind, the catalog for the objects the migrations it
// records create (sqldb.CheckObjects): a restore that did not finish has
// the migrations' records and lacks indexes and constraints, and is
// refused as such rather than sent to hutong migrate.
func requireSchema(ctx context.Context, db *sqldb.DB, cmd string) error {
	pending, unknown, err := db.Schema(ctx)
	if err != nil {
		return err
	}
	if err := db.NewerError(unknown); err != nil {
		return newerSchema(db, err)
	}
	if err := requireBuiltOf(ctx, db, pending, false); err != nil {
		return err
	}
	if err := db.CheckObjects(ctx); err != nil || len(pending) == 0 {
		return err
	}
	state := "的结构落后于本程序"
	names := strings.Join(pending, "、")
	if len(pending) > 2 {
		names = pending[0] + " 至 " + pending[len(pending)-1]
	}
	why := "只有 hutong migrate 及启动时的 serve、demo 应用迁移"
	if cmd != "" {
		why = "-migrate=false 时 " + cmd + " 不迁移"
	}
	return fmt.Errorf("数据库 %s %s：%d 个迁移待应用（%s）；请先运行 hutong migrate（%s）",
		db.Source, state, len(pending), names, why)
}

// emptySchema is how a database without any migration applied is said:
// one just created, or one a restore failed to fill.
const emptySchema = "尚未建立结构"

// schemaAbsent is a database none of the binary's migrations were applied
// to: empty (no tables), a new one or one a restore failed to fill, or
// holding tables without Hutong's record of its schema (schema_migrations
// missing or empty), another program's or a restore that failed part-way
// (pg_restore stopped after the tables were created). migrate -status
// prints it; every other command refuses such a database with it, in the
// same words.
type schemaAbsent struct {
	source  string
	dialect sqldb.Dialect
	pending []string // every migration of the binary
	tables  []string // the tables it holds nonetheless: none when empty
}

// lines are what migrate -status prints of a: its state, then what to do.
func (a *schemaAbsent) lines() (state, advice string) {
	if len(a.tables) == 0 {
		return fmt.Sprintf("%s（%s）：空数据库，%s，%d 个迁移待应用（%s 至 %s）", a.source, a.dialect,
				emptySchema, len(a.pending), a.pending[0], a.pending[len(a.pending)-1]),
			"hutong migrate 将在其中建立一个新的空平台（没有部门、账号和数据）：新平台请先运行 hutong migrate。" +
				"若这是刚恢复的数据库（pg_restore 或复制的备份文件），说明恢复没有成功：请检查恢复的输出并重新恢复，" +
				"不要对它运行 hutong migrate（见 docs/backup.md）"
	}
	names := strings.Join(a.tables, "、")
	if len(a.tables) > 3 {
		names = strings.Join(a.tables[:3], "、") + " 等"
	}
	return fmt.Sprintf("%s（%s）：有 %d 个表（%s），却没有 Hutong 的迁移记录（schema_migrations），%s", a.source, a.dialect,
			len(a.tables), names, emptySchema),
		"若这是刚恢复的数据库，说明恢复没有成功（表已建立，数据和迁移记录没有恢复）：请检查恢复的输出，" +
			"在新建的空数据库中重新恢复（见 docs/backup.md）；若这是其他程序的数据库，请检查 -db 或 HUTONG_DB。" +
			"不要对它运行 hutong migrate：它不会因此成为可用的平台"
}

func (a *schemaAbsent) Error() string {
	state, advice := a.lines()
	return "数据库 " + state + "。" + advice
}

// requireBuilt refuses, with a *schemaAbsent, a database none of the
// binary's migrations were applied to; with emptyOK it lets an empty one
// through, for the commands that build a platform in it (migrate, demo).
// A database a newer release migrated is not refused here (CheckNewer).
func requireBuilt(ctx context.Context, db *sqldb.DB, emptyOK bool) error {
	pending, unknown, err := db.Schema(ctx)
	if err != nil || len(unknown) > 0 {
		return err
	}
	return requireBuiltOf(ctx, db, pending, emptyOK)
}

// requireBuiltOf is requireBuilt for a database without unknown
// migrations, whose pending ones db.Schema read.
func requireBuiltOf(ctx context.Context, db *sqldb.DB, pending []string, emptyOK bool) error {
	all, err := sqldb.Migrations(db.Dialect)
	if err != nil || len(pending) < len(all) {
		return err
	}
	tables, err := db.Tables(ctx)
	if err != nil || (emptyOK && len(tables) == 0) {
		return err
	}
	return &schemaAbsent{source: db.Source, dialect: db.Dialect, pending: pending, tables: tables}
}

// newerSchema words sqldb's refusal of a database a newer release migrated
// (sqldb.NewerSchemaError), naming the database's schema and the binary's:
// served by this binary, its writes might leave out what the newer schema
// expects, and migrations do not go back. Other errors are returned as
// they are.
func newerSchema(db *sqldb.DB, err error) error {
	var newer *sqldb.NewerSchemaError
	if !errors.As(err, &newer) {
		return err
	}
	if newer.Development() {
		return fmt.Errorf("数据库 %s 记录了本程序不认识的迁移 %s：这不是更新版本的迁移（本程序的结构已到 %s），而是某个开发版本应用、从未发布的迁移；"+
			"本程序无法判断它对数据库做了什么，拒绝使用该数据库。请恢复应用它之前的备份，或向维护者说明该迁移的名称",
			db.Source, strings.Join(newer.Unknown, "、"), newer.Binary)
	}
	return fmt.Errorf("数据库 %s 的结构新于本程序：数据库已由更新的版本迁移至 %s，本程序的结构只到 %s；请使用该版本或更新版本的 hutong（迁移不能回退）",
		db.Source, newer.Database, newer.Binary)
}

// migrationFailed words an error of Migrate: a newer schema as newerSchema
// does, and a migration that failed (rolled back in its transaction; those
// before it stay applied) in Chinese naming it, with the driver's error as
// the detail, instead of "sqldb: migration …: SQL logic error: …". Other
// errors, nil among them, are returned as they are.
func migrationFailed(db *sqldb.DB, err error) error {
	if m, ok := err.(*sqldb.MigrationError); ok {
		return fmt.Errorf("迁移 %s 失败，未应用：%w", m.Name, m.Err)
	}
	return newerSchema(db, err)
}

// checkAddr refuses a listen address that is not host:port, before the
// database is opened.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		_, err = net.LookupPort("tcp", port)
	}
	if err != nil {
		return fmt.Errorf("-addr “%s”（或 HUTONG_ADDR）：应为 主机:端口，如 127.0.0.1:8080 或 :8080", addr)
	}
	return nil
}

// listenError says why serve cannot listen on addr, in Chinese, instead of
// "listen tcp …: bind: address already in use".
func listenError(addr string, err error) error {
	var dns *net.DNSError
	switch {
	case errors.Is(err, errAddrInUse):
		return fmt.Errorf("无法在 %s 监听：端口已被占用（换一个 -addr 或 HUTONG_ADDR，或先停止占用它的程序）", addr)
	case errors.Is(err, errAddrDenied):
		return fmt.Errorf("无法在 %s 监听：没有权限（1024 以下的端口需要特权，可换用 8080 等端口）", addr)
	case errors.Is(err, errAddrNotAvail):
		return fmt.Errorf("无法在 %s 监听：本机没有这个地址（请检查 -addr 或 HUTONG_ADDR）", addr)
	case errors.As(err, &dns):
		return fmt.Errorf("无法在 %s 监听：无法解析主机名 %s（请检查 -addr 或 HUTONG_ADDR）", addr, dns.Name)
	}
	return fmt.Errorf("无法在 %s 监听：%w", addr, err)
}

// shutdownTimeout is how long serve, once ctx is done, waits for the
// requests in flight before it closes their connections.
var shutdownTimeout = 20 * time.Second

// listen binds addr for serve, saying why it cannot in Chinese
// (listenError). serve and demo bind before they open the database, so
// that a port in use is refused before they migrate or seed it.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, listenError(addr, err)
	}
	return ln, nil
}

// front is the HTTP server of serve and demo, serving on their listener
// from the time they bind it: while they start (open, migrate, seed) its
// handler is server.Starting, so that probes and clients are answered
// (/healthz 200, /readyz and the rest 503) rather than left on a
// connection accepted but never read; serve then swaps in the real
// handler, on the same server and listener.
type front struct {
	hs      *http.Server
	once    sync.Once
	err     error // the shutdown's
	log     *slog.Logger
	json    bool // log is JSON: standard error holds JSON only (structured)
	url     string
	handler atomic.Pointer[http.Handler]
	errc    chan error              // hs.Serve's return
	abort   context.CancelCauseFunc // cancels the requests' contexts
}

// startingHook, when not nil, is called as the start-up enters each phase,
// after front answers for it: tests hold the start-up there.
var startingHook func(ctx context.Context, p server.Phase)

// bindFront binds f's address and answers on it that the server is
// starting (startFront). Its shutdown closes the listener.
func bindFront(e *env, f *serveFlags) (*front, error) {
	ln, err := listen(f.addr)
	if err != nil {
		return nil, err
	}
	return startFront(e, f, ln), nil
}

// startFront serves server.Starting(server.Opening) on ln, logging with
// f's format, after warning of f's unsafe settings (warnUnsafe). It is
// e's front end from then on (run logs a failure there).
func startFront(e *env, f *serveFlags, ln net.Listener) *front {
	fr := &front{log: newLogger(e, f.logFormat), json: f.jsonLog(), url: baseURL(f.addr, ln.Addr()), errc: make(chan error, 1)}
	e.front = fr
	warnUnsafe(fr.log, f, ln.Addr())
	fr.set(server.Starting(server.Opening))
	// Requests' contexts are cancelled when the shutdown gives up on them,
	// with the cause reqlog.ErrShutdown: they failed for the server, not
	// because their clients left (reqlog.ClientLeft); and so is their
	// work detached from their connections (reqlog.WithShutdown).
	base, abort := context.WithCancelCause(context.Background())
	fr.abort = abort
	fr.hs = &http.Server{
		Handler:           http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*fr.handler.Load()).ServeHTTP(w, r) }),
		BaseContext:       func(net.Listener) context.Context { return reqlog.WithShutdown(base) },
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // authenticated uploads get auth.LongRequest
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(fr.log.Handler(), slog.LevelWarn),
	}
	go func() { fr.errc <- fr.hs.Serve(ln) }()
	return fr
}

// baseURL is the server's URL: the host of -addr as given (0.0.0.0,
// localhost), where the listener's address would say [::] for 0.0.0.0,
// with the port bound (the one chosen for port 0). An -addr without a
// host (:8080) gives the listener's address.
func baseURL(addr string, bound net.Addr) string {
	host, _, err := net.SplitHostPort(addr)
	tcp, ok := bound.(*net.TCPAddr)
	if err != nil || host == "" || !ok {
		return "http://" + bound.String()
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}

// warnUnsafe logs a warning for each setting of f that leaves the server
// open to abuse: trusted proxies that include every address, so that any
// client writes the address the audit log records (X-Forwarded-For); and
// a listener reachable from other machines (bound, not on a loopback
// address) without -secure-cookies, so that session cookies travel
// without Secure, as over plain HTTP.
func warnUnsafe(log *slog.Logger, f *serveFlags, bound net.Addr) {
	for _, p := range f.trusted {
		if p.Bits() == 0 {
			log.Warn("-trusted-proxies（或 HUTONG_TRUSTED_PROXIES）信任所有地址为代理：任何客户端都能以 X-Forwarded-For 自报地址，写入审计日志；请只列出反向代理或负载均衡器的地址",
				"trusted_proxies", p.String())
			break
		}
	}
	if tcp, ok := bound.(*net.TCPAddr); ok && !tcp.IP.IsLoopback() && !f.secureCookies {
		log.Warn("在非本机回环地址上监听而未设 -secure-cookies（或 HUTONG_SECURE_COOKIES）：会话 Cookie 不带 Secure 标记；"+
			"请经 HTTPS 反向代理提供服务并设置 -secure-cookies，或只在 127.0.0.1 上监听",
			"addr", f.addr)
	}
}

func (fr *front) set(h http.Handler) { fr.handler.Store(&h) }

// structured is fr's log when it is JSON (-log-format json), for what
// serve and demo otherwise print for a person (已应用迁移 …): in JSON mode
// their standard error holds JSON only. nil in text mode.
func (fr *front) structured() *slog.Logger {
	if fr.json {
		return fr.log
	}
	return nil
}

// starting says the start-up entered phase p.
func (fr *front) starting(ctx context.Context, p server.Phase) {
	fr.set(server.Starting(p))
	if startingHook != nil {
		startingHook(ctx, p)
	}
}

// shutdown stops the server, closing its listener: gracefully, waiting up
// to shutdownTimeout for the requests in flight, then by force, their
// contexts cancelled and connections closed, before the caller closes the
// database. It is deferred by serve and demo, so that a start-up that
// fails, or is interrupted, stops answering for the server.
func (fr *front) shutdown() error {
	fr.once.Do(func() {
		sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		fr.err = fr.hs.Shutdown(sctx)
		fr.abort(reqlog.ErrShutdown)
		if fr.err != nil {
			fr.hs.Close()
		}
	})
	return fr.err
}

// serve runs the server on db, on fr's listener, until ctx is done. ready,
// if not nil, is called with the base URL once the server serves.
func serve(ctx context.Context, e *env, db *sqldb.DB, f *serveFlags, fr *front, ready func(url string)) error {
	log := fr.log
	srv, err := server.New(server.Config{DB: db, Log: log, Calendar: f.cal, SecureCookies: f.secureCookies, Dev: f.dev,
		UnchangedKeyRetention: time.Duration(f.unchangedKeyDays) * 24 * time.Hour, TrustedProxies: f.trusted})
	if err != nil {
		return err
	}
	// The server stops before serve returns, whatever it returns, and so
	// before db is closed; then its background work (/readyz's probe of
	// the audit log) does.
	defer srv.Close()
	defer fr.shutdown()
	// The upkeep stops before serve returns, and so before db is closed.
	mctx, stop := context.WithCancel(ctx)
	maintained := make(chan struct{})
	go func() {
		defer close(maintained)
		srv.Maintain(mctx)
	}()
	defer func() {
		stop()
		<-maintained
	}()
	// A Ctrl-C after the start-up's last step that heeds ctx ends the
	// command as one during it (已取消, 130), not with the server
	// announced; and a server that already stopped serving is not
	// announced either.
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case err := <-fr.errc:
		return err
	default:
	}
	fr.set(srv)
	log.Info("listening", "url", fr.url, "db", db.Source, "engine", db.Dialect.String(), "version", server.Version())
	if ready != nil {
		ready(fr.url)
	} else {
		fmt.Fprintf(e.Stdout, "互通 Hutong 已启动：%s\n", fr.url)
	}
	defer signalLog.Store(signalLog.Swap(log))
	select {
	case err := <-fr.errc:
		return err
	case <-ctx.Done():
	}
	var i interrupted
	if errors.As(context.Cause(ctx), &i) {
		log.Info("shutting down", "signal", i.sig.String(), "timeout", shutdownTimeout,
			"hint", "a second signal exits at once")
	} else {
		log.Info("shutting down", "cause", context.Cause(ctx).Error())
	}
	if err := fr.shutdown(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("关闭服务：%g 秒内仍有请求未完成，已强制断开", shutdownTimeout.Seconds())
		}
		return fmt.Errorf("关闭服务：%w", err)
	}
	log.Info("stopped")
	return nil
}

const migrateUsage = `Usage: hutong migrate [flags]

Bring the database (SQLite file or PostgreSQL) to the current schema.
Migrations are embedded in the binary, applied in order, each in its own
transaction; running it twice does nothing the second time. It creates a
SQLite file that does not exist: this is how a new platform's database is
made. With -status it only lists the pending migrations, saying so when
the database has no schema at all (a new one, or one a restore failed to
fill), and refuses a SQLite file that does not exist. A database that
holds tables but no record of Hutong's migrations (another program's, or
one a restore left half-made) is refused, as every command refuses it,
rather than migrated into a mix; -status says so and exits non-zero. So
is, by every command, a database that lacks indexes, keys, constraints
or triggers the migrations it records create: what a pg_restore that did
not finish leaves, of this release's backup or a former one's, which
migrate refuses before applying anything (see docs/backup.md). A database
a newer release migrated is refused, naming its schema and the binary's:
migrations do not go back. So is a PostgreSQL database whose server
encoding is not UTF8, in which SQL counts the bytes of Chinese text, not
its characters (createdb -E UTF8 --locale=C.UTF-8 -T template0 makes one
that is right; see docs/postgresql.md).
Only migrate, and serve and demo at start, apply migrations: the other
commands (backup aside) refuse a database whose schema is behind.

Flags:
`

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate", migrateUsage)
	dsn := dbFlag(fs, e)
	status := fs.Bool("status", false, "list pending migrations without applying them")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if *status {
		db, err := openExisting(ctx, *dsn, sqldb.Options{Durable: true})
		if err != nil {
			return err
		}
		defer db.Close()
		// One read of the schema for the three checks, as requireSchema.
		pending, unknown, err := db.Schema(ctx)
		if err != nil {
			return err
		}
		if err := db.NewerError(unknown); err != nil {
			return newerSchema(db, err)
		}
		if err := warnCollation(ctx, db, func(w string) { fmt.Fprintln(e.Stderr, "hutong: 警告："+w) }); err != nil {
			return err
		}
		var absent *schemaAbsent
		if err := requireBuiltOf(ctx, db, pending, false); errors.As(err, &absent) {
			state, advice := absent.lines()
			fmt.Fprintln(e.Stdout, state)
			fmt.Fprintln(e.Stdout, advice)
			if len(absent.tables) > 0 {
				return errReported // no platform, and no database to migrate into one
			}
			return nil
		} else if err != nil {
			return err
		}
		if err := db.CheckObjects(ctx); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "%s（%s）：%d 个迁移待应用\n", db.Source, db.Dialect, len(pending))
		for _, n := range pending {
			fmt.Fprintln(e.Stdout, "  "+n)
		}
		return nil
	}
	db, err := sqldb.Open(ctx, *dsn, sqldb.Options{Durable: true})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := requireBuilt(ctx, db, true); err != nil {
		return err
	}
	if err := warnCollation(ctx, db, func(w string) { fmt.Fprintln(e.Stderr, "hutong: 警告："+w) }); err != nil {
		return err
	}
	applied, err := migrateChecked(ctx, db, migrationProgress(ctx, e.Stdout, nil, nil))
	if err != nil {
		return err
	}
	// The departments' name keys, which migration 0045 could only start
	// as their names, and their search forms, which migration 0056 could
	// only start without their radicals folded, and those stored before
	// text.NameKey's folding or the forms' last changed; SQL cannot
	// compute them on SQLite. The count is of the departments, either
	// rewritten.
	rekeyed, err := org.RekeyDepartments(ctx, db)
	if err != nil {
		return err
	}
	if rekeyed > 0 {
		fmt.Fprintf(e.Stdout, "已重写 %d 个部门的名称比较键与检索形式（外观相同的部门名称、简称视为同名）\n", rekeyed)
	}
	// The apps' name keys likewise, which migration 0053 could only start
	// as their names; two active apps of one department whose names only
	// look different are both kept, and said so until either is revoked.
	apps, err := org.RekeyApps(ctx, db)
	if err != nil {
		return err
	}
	if apps.Changed > 0 {
		fmt.Fprintf(e.Stdout, "已重写 %d 个应用的名称比较键（外观相同的应用名称视为同名）\n", apps.Changed)
	}
	for _, a := range apps.Shared {
		fmt.Fprintf(e.Stderr, "hutong: 警告：部门“%s”（编号 %d）的应用“%s”（编号 %d）与应用“%s”（编号 %d）名称看起来相同"+
			"（只差全角半角、大小写、空格或同一字符的不同写法），是按此比较名称之前建立的：两个应用都保留，密钥照常可用；"+
			"此后本部门新建应用时，与二者之一看起来相同的名称都视为重名。注销其中一个应用后不再提示\n", a.Department, a.DepartmentID, a.App, a.AppID, a.Holder, a.HolderID)
	}
	// Name keys stored before catalog.NameKey folded names as they look;
	// SQL cannot compute them on SQLite, so they are rewritten here.
	if rekeyed, err = catalog.RekeyNames(ctx, db, newLogger(e, "text")); err != nil {
		return err
	}
	if rekeyed > 0 {
		fmt.Fprintf(e.Stdout, "已重写 %d 个数据资源的名称比较键或搜索索引（外观相同的名称视为同名、一样可搜到）\n", rekeyed)
	}
	// Item keys likewise, stored before catalog.ItemKey folded names so.
	if rekeyed, err = catalog.RekeyItems(ctx, db, newLogger(e, "text")); err != nil {
		return err
	}
	if rekeyed > 0 {
		fmt.Fprintf(e.Stdout, "已重写 %d 个数据资源的信息项比较键（外观相同的信息项名称视为同一数据项，适用一数一源）\n", rekeyed)
	}
	// And those the records' cross-check stored, right after the
	// catalog's, whose one sources its discrepancies look up.
	r, err := records.RekeyItems(ctx, db, cliActor(e), time.Now(), newLogger(e, "text"))
	if err != nil {
		return err
	}
	if r.Changed() {
		fmt.Fprintf(e.Stdout, "已重写 %d 个数据资源归集数据的信息项比较键、%d 条多源校核差异的信息项比较键（外观相同的信息项名称视为同一数据项）", r.Entries,
			r.Discrepancies)
		if r.Merged > 0 {
			fmt.Fprintf(e.Stdout, "，其中 %d 条与同一事实的较早差异合并", r.Merged)
		}
		fmt.Fprintln(e.Stdout)
	}
	fmt.Fprintf(e.Stdout, "%s（%s）已是当前结构（本次应用 %d 个迁移）\n", db.Source, db.Dialect, len(applied))
	return nil
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
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
// reported through *bad, the first one only, so that the command refuses it
// instead of quietly using def: HUTONG_MIGRATE=no must not migrate, nor
// HUTONG_SECURE_COOKIES=yes leave cookies without Secure.
func envBool(e *env, name string, def bool, bad *error) bool {
	s := e.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.ParseBool(s)
	if err != nil {
		if *bad == nil {
			*bad = fmt.Errorf("%s=%q：应为 true 或 false（或 1 / 0）", name, s)
		}
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
		if *bad == nil {
			*bad = fmt.Errorf("%s=%q：应为整数", name, s)
		}
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

// parse parses args; -h returns errHelp, which run turns into success.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	return err
}

var errHelp = errors.New("help shown")

func dbFlag(fs *flag.FlagSet, e *env) *string {
	var dsn string
	dsnFlag(fs, &dsn, "db", envOr(e, "HUTONG_DB", "hutong.db"), "database: SQLite file path or postgres:// URL (env HUTONG_DB)")
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

// openDB opens the database with opt and, when migrate is set, brings it to the
// current schema. Only with migrate does it create a SQLite file that does
// not exist, for the commands that build a database (demo, bench); a
// command that migrates an existing one calls requireDB first.
func openDB(ctx context.Context, e *env, dsn string, opt sqldb.Options, migrate bool) (*sqldb.DB, error) {
	if !migrate {
		if err := requireDB(dsn); err != nil {
			return nil, err
		}
	}
	db, err := sqldb.Open(ctx, dsn, opt)
	if err != nil {
		return nil, err
	}
	if migrate {
		applied, err := db.Migrate(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		for _, name := range applied {
			fmt.Fprintf(e.Stderr, "已应用迁移 %s\n", name)
		}
	}
	return db, nil
}

// requireDB refuses a SQLite file that does not exist: opening it would
// create an empty database, so that a mistyped -db would fail on a missing
// table, report on nothing, or be served or migrated as a new platform.
func requireDB(dsn string) error {
	if dsn == "" || sqldb.IsPostgresDSN(dsn) {
		return nil
	}
	_, err := os.Stat(dsn)
	if errors.Is(err, fs.ErrNotExist) {
		abs, aerr := filepath.Abs(dsn)
		if aerr != nil {
			abs = dsn
		}
		return fmt.Errorf("数据库 %s 不存在（请检查 -db 或 HUTONG_DB）；新建数据库：hutong migrate -db %s（或试试 hutong demo）",
			abs, shellQuote(dsn))
	}
	if err != nil {
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
SIGINT or SIGTERM shuts it down gracefully.

The database must exist: a new platform starts with 'hutong migrate', then
'hutong org' and 'hutong user' to create its first departments and
accounts. serve refuses a SQLite file that is not there rather than serve
an empty platform in its place.

Flags:
`

type serveFlags struct {
	db, addr, logFormat, calendarFile string
	dbConns, unchangedKeyDays         int
	secureCookies, migrate, dev       bool
	envErr                            error              // an environment variable that could not be read
	cal                               *calendar.Calendar // loaded by check
}

// maxDBConns bounds -db-conns: more connections than this only queue in
// the database server.
const maxDBConns = 500

// maxUnchangedKeyDays bounds -unchanged-key-days: ten years.
const maxUnchangedKeyDays = 3650

// check refuses what parsing the flags could not: an environment variable
// that is not a boolean or a number, a log format other than text or json,
// a connection count or retention out of range, and a calendar file that
// cannot be read.
// It runs before the database is opened (and created or migrated).
func (f *serveFlags) check() error {
	if f.envErr != nil {
		return f.envErr
	}
	if f.logFormat != "text" && f.logFormat != "json" {
		return fmt.Errorf("-log-format %q（或 HUTONG_LOG_FORMAT）：应为 text 或 json", f.logFormat)
	}
	if f.dbConns < 0 || f.dbConns > maxDBConns {
		return fmt.Errorf("-db-conns %d（或 HUTONG_DB_CONNS）：应为 1 到 %d，或 0 表示默认值", f.dbConns, maxDBConns)
	}
	if f.unchangedKeyDays < 0 || f.unchangedKeyDays > maxUnchangedKeyDays {
		return fmt.Errorf("-unchanged-key-days %d（或 HUTONG_UNCHANGED_KEY_DAYS）：应为 1 到 %d，或 0 表示永久保留",
			f.unchangedKeyDays, maxUnchangedKeyDays)
	}
	cal, err := loadCalendar(f.calendarFile)
	if err != nil {
		return err
	}
	f.cal = cal
	return nil
}

// options are the database options of the server: durable commits, and
// the connection pool of -db-conns.
func (f *serveFlags) options(durable bool) sqldb.Options {
	return sqldb.Options{Durable: durable, MaxReaders: f.dbConns}
}

func addServeFlags(fs *flag.FlagSet, e *env, defDB string) *serveFlags {
	f := &serveFlags{}
	dsnFlag(fs, &f.db, "db", envOr(e, "HUTONG_DB", defDB), "database: SQLite file path or postgres:// URL (env HUTONG_DB)")
	fs.StringVar(&f.addr, "addr", envOr(e, "HUTONG_ADDR", "127.0.0.1:8080"), "listen address (env HUTONG_ADDR)")
	fs.StringVar(&f.logFormat, "log-format", envOr(e, "HUTONG_LOG_FORMAT", "text"), "log format: text or json (env HUTONG_LOG_FORMAT)")
	fs.StringVar(&f.calendarFile, "calendar", envOr(e, "HUTONG_CALENDAR", ""), "extra working-day rules file for later years (env HUTONG_CALENDAR; see hutong help calendar)")
	fs.BoolVar(&f.secureCookies, "secure-cookies", envBool(e, "HUTONG_SECURE_COOKIES", false, &f.envErr), "mark session cookies Secure: set when served over HTTPS (env HUTONG_SECURE_COOKIES)")
	fs.BoolVar(&f.migrate, "migrate", envBool(e, "HUTONG_MIGRATE", true, &f.envErr), "apply pending migrations at start (env HUTONG_MIGRATE)")
	fs.IntVar(&f.dbConns, "db-conns", envInt(e, "HUTONG_DB_CONNS", 0, &f.envErr),
		"database connections for reading, 0 for the default: 8 on SQLite (which writes on one more), 20 on PostgreSQL (env HUTONG_DB_CONNS)")
	fs.IntVar(&f.unchangedKeyDays, "unchanged-key-days", envInt(e, "HUTONG_UNCHANGED_KEY_DAYS", int(records.DefaultUnchangedKeyRetention/(24*time.Hour)), &f.envErr),
		"days the key of a record change acknowledged as unchanged is kept, so that the change resent is a duplicate; older keys are deleted hourly, 0 keeps them forever (env HUTONG_UNCHANGED_KEY_DAYS)")
	fs.BoolVar(&f.dev, "dev", false, "reload web templates from disk on every request")
	return f
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", serveUsage)
	f := addServeFlags(fs, e, "hutong.db")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	if err := requireDB(f.db); err != nil {
		return err
	}
	db, err := openDB(ctx, e, f.db, f.options(true), f.migrate)
	if err != nil {
		return err
	}
	defer db.Close()
	return serve(ctx, e, db, f, nil)
}

func loadCalendar(file string) (*calendar.Calendar, error) {
	cal := calendar.Default()
	if file == "" {
		return cal, nil
	}
	fh, err := openInput(file, "-calendar 或 HUTONG_CALENDAR")
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	rules, err := calendar.Parse(fh)
	if err != nil {
		return nil, fmt.Errorf("%s：%w", file, err)
	}
	return cal.With(rules)
}

// serve runs the server on db until ctx is done. ready, if not nil, is
// called with the base URL once the server listens.
func serve(ctx context.Context, e *env, db *sqldb.DB, f *serveFlags, ready func(url string)) error {
	log := newLogger(e, f.logFormat)
	srv, err := server.New(server.Config{DB: db, Log: log, Calendar: f.cal, SecureCookies: f.secureCookies, Dev: f.dev,
		UnchangedKeyRetention: time.Duration(f.unchangedKeyDays) * 24 * time.Hour})
	if err != nil {
		return err
	}
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
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // authenticated uploads get auth.LongRequest
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	url := "http://" + ln.Addr().String()
	log.Info("listening", "url", url, "db", db.Source, "engine", db.Dialect.String())
	if ready != nil {
		ready(url)
	} else {
		fmt.Fprintf(e.Stdout, "互通 Hutong 已启动：%s\n", url)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("关闭服务：%w", err)
	}
	return nil
}

const migrateUsage = `Usage: hutong migrate [flags]

Bring the database (SQLite file or PostgreSQL) to the current schema.
Migrations are embedded in the binary, applied in order, each in its own
transaction; running it twice does nothing the second time. It creates a
SQLite file that does not exist: this is how a new platform's database is
made. With -status it only lists the pending migrations, and refuses a
SQLite file that does not exist.

Flags:
`

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate", migrateUsage)
	dsn := dbFlag(fs, e)
	status := fs.Bool("status", false, "list pending migrations without applying them")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *status {
		db, err := openDB(ctx, e, *dsn, sqldb.Options{Durable: true}, false)
		if err != nil {
			return err
		}
		defer db.Close()
		pending, err := db.Pending(ctx)
		if err != nil {
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
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	for _, n := range applied {
		fmt.Fprintf(e.Stdout, "已应用迁移 %s\n", n)
	}
	fmt.Fprintf(e.Stdout, "%s（%s）已是当前结构（本次应用 %d 个迁移）\n", db.Source, db.Dialect, len(applied))
	return nil
}

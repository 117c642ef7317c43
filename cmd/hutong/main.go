// Command hutong runs the Hutong government data sharing and mutual
// recognition platform (政务数据共享互认平台) and its administration tools.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/errs"
)

func main() {
	// Ctrl-C and SIGTERM cancel the command's context, with the signal as
	// its cause (exitCode), rather than end the process: the command
	// stops its work and says what it kept.
	// A second one ends the process at once (watchSignals).
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	log := startLog(os.Args[1:], os.Getenv, os.Stderr)
	if log != nil {
		signalLog.Store(log)
	}
	go watchSignals(sigs, cancel, os.Stderr, os.Exit)
	warnUnknownEnv(os.Stderr, os.Environ(), log)
	err := runLogged(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, log)
	signal.Stop(sigs)
	if err != nil {
		report(os.Stderr, err)
		os.Exit(exitCode(ctx, err))
	}
}

// watchSignals cancels the command's context with the first signal of
// sigs as its cause, for the command to stop its work and say what it
// kept (serve waits up to shutdownTimeout for the requests in flight). A
// second signal ends the process at once, with exit status 128 plus its
// number, said on stderr: through signalLog, the log of a server running
// (JSON with -log-format json), else in Chinese.
func watchSignals(sigs <-chan os.Signal, cancel context.CancelCauseFunc, stderr io.Writer, exit func(int)) {
	first := true
	for s := range sigs {
		sig, ok := s.(syscall.Signal)
		if !ok {
			continue
		}
		if first {
			first = false
			cancel(interrupted{sig})
			continue
		}
		if log := signalLog.Load(); log != nil {
			log.Warn("second signal: exiting at once", "signal", sig.String())
		} else {
			fmt.Fprintf(stderr, "hutong: 再次收到信号（%s），立即退出\n", sig)
		}
		exit(128 + int(sig))
		return
	}
}

// startLog is the JSON log serve and demo write to stderr with
// -log-format json (or --log-format json before the command, or
// HUTONG_LOG_FORMAT=json), for what main says before the command runs
// (warnUnknownEnv, watchSignals) and for their failure before they bind
// their address (run): their standard error then holds JSON only. It is
// nil for any other command or format. It reads their flags as they do
// (addServeFlags), so that it is JSON exactly when their front end's log
// is. When the flags before the command cannot be parsed they are read
// by commandArgs, and when the command's own cannot, -log-format is
// looked for among them (lenientLogFormat), so that serve's or demo's
// failure to parse its flags is said in JSON too.
func startLog(args []string, getenv func(string) string, stderr io.Writer) *slog.Logger {
	rest, vals := commandArgs(args)
	if len(rest) == 0 || rest[0] != "serve" && rest[0] != "demo" {
		return nil
	}
	e := &env{Stderr: stderr, Getenv: func(k string) string {
		if v, ok := vals[k]; ok {
			return v
		}
		return getenv(k)
	}}
	fs := flag.NewFlagSet(rest[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f := addServeFlags(fs, e, "")
	if err := fs.Parse(rest[1:]); err != nil || fs.NArg() > 0 {
		f.logFormat = lenientLogFormat(rest[1:], e.Getenv("HUTONG_LOG_FORMAT"))
	}
	if !f.jsonLog() {
		return nil
	}
	return newLogger(e, f.logFormat)
}

// lenientLogFormat is the last -log-format of args, serve's or demo's
// flags that cannot be parsed, up to --, or format when none is there.
func lenientLogFormat(args []string, format string) string {
	for i, a := range args {
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case a == "--":
			return format
		case name != "log-format" || !strings.HasPrefix(a, "-"):
			continue
		case hasVal:
			format = val
		case i+1 < len(args):
			format = args[i+1]
		}
	}
	return format
}

// commandArgs is the command of args with the arguments after it, and the
// values of the global flags before it, as parseGlobals reads them. When
// parseGlobals refuses them (an unknown flag, a value missing or wrong),
// they are read leniently, wherever the flag at fault stands: the command
// is the first argument that names one (or the one after --); a global
// flag without =VALUE takes the next argument unless that is a flag or a
// command, and an argument that is neither, after an unknown flag, is
// taken as that flag's value and skipped. hutong --bogus --log-format json
// serve is then serve's, with JSON asked for.
func commandArgs(args []string) (rest []string, vals map[string]string) {
	rest, _, vals, err := parseGlobals(args)
	if err == nil {
		return rest, vals
	}
	vals = map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return args[i+1:], vals
		case isCommand(a):
			return args[i:], vals
		case !strings.HasPrefix(a, "-"):
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		for _, g := range globalFlags {
			if g.name != name {
				continue
			}
			if !hasVal && !g.isBool && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") && !isCommand(args[i+1]) {
				i++
				val, hasVal = args[i], true
			}
			if hasVal {
				vals[g.env] = val
			}
		}
	}
	return nil, vals
}

// signalLog is the log of the server running in the process, if any: the
// signals it gets are logged there (watchSignals, serve).
var signalLog atomic.Pointer[slog.Logger]

// interrupted is the cause of the command's context when a signal stopped
// it.
type interrupted struct{ sig syscall.Signal }

func (i interrupted) Error() string { return i.sig.String() + " received" }

// exitCode is the exit status of a command that failed with err: 128 plus
// the signal's number (130 for Ctrl-C, 143 for SIGTERM), as a shell reports
// a command a signal ended, when a signal canceled ctx and err is that
// cancellation; 1 otherwise.
func exitCode(ctx context.Context, err error) int {
	var i interrupted
	if errors.Is(err, context.Canceled) && errors.As(context.Cause(ctx), &i) {
		return 128 + int(i.sig)
	}
	return 1
}

// canceled is a command stopped by Ctrl-C, said in Chinese with what it
// kept (导入已取消：…未导入任何数据), in place of the cancellation's Go
// words ("load records: context canceled").
type canceled struct {
	err error
	msg string
}

func (c *canceled) Error() string { return c.msg }
func (c *canceled) Unwrap() error { return c.err }

// Is makes a canceled a context.Canceled whatever its cause: a query cut
// short may fail with its connection's error instead (sql: connection is
// already closed).
func (c *canceled) Is(target error) bool { return target == context.Canceled }

// canceledAs is err, the failure of the work ctx cancels (a batch, a
// sweep), said as msg when ctx was canceled: what failed then failed
// because of it, whatever it says. Otherwise it is err. A command calls it
// on that work's error only, not on one of its flags.
func canceledAs(ctx context.Context, err error, msg string) error {
	if err != nil && ctx.Err() != nil {
		return &canceled{err: err, msg: msg}
	}
	return err
}

// report prints err on w for the person who ran the command, on one line
// after "hutong:" (message), unless the command has printed why it failed
// (errInvalidInput, errReported).
func report(w io.Writer, err error) {
	if errors.Is(err, errInvalidInput) || errors.Is(err, errReported) {
		return
	}
	fmt.Fprintln(w, "hutong:", message(err))
}

// message is err as the command line shows it: a domain error (errs) by
// its Chinese message, without its stable code, which is the API's
// ("app_not_found: 应用不存在" reads 应用不存在), and with its field only
// when the command named it as a flag ("-until：…"), not the API's field
// name. What wraps it ("第 3 行：%w") is kept around it. Its cause follows
// when it tells more: a system's failure the message only names (数据库暂时
// 无法访问：connection refused), or another domain error; not the English
// cause a domain error keeps for the log, which its message already says
// (未发布, not "entry 301001/000021 is draft"). A SQLite database that
// another process held locked, a full disk, a disk I/O error or a lock
// another session held past lock_timeout on PostgreSQL is said in
// Chinese (storageCause) in place of the driver's words and the
// English that wraps them ("sqldb: commit: database or disk is full
// (13)"), what wraps that kept (迁移 … 失败，未应用：磁盘已满…). The English
// prefixes of packages in front of a domain error are dropped
// (packagePrefix), also behind a Chinese wrap (保存列映射：sqldb: write
// deferred rows: 审计日志暂时无法写入… reads 保存列映射：审计日志暂时无法写入…).
func message(err error) string {
	s := err.Error()
	e := errs.As(err)
	if e == nil {
		return storageSaid(err, s)
	}
	m := e.Message
	if strings.HasPrefix(e.Field, "-") {
		m = e.Field + "：" + m
	}
	if e.Err != nil && (e.Kind == errs.Internal || e.Kind == errs.Unavailable || errs.As(e.Err) != nil || storageCause(e.Err) != "") {
		m += "：" + message(e.Err)
	}
	if pre, _, ok := strings.Cut(s, e.Error()); ok {
		// What follows a Chinese wrap's colon, or the whole of pre, is
		// the packages' English when it reads as theirs alone.
		from := 0
		if i := strings.LastIndex(pre, "："); i >= 0 {
			from = i + len("：")
		}
		if packagePrefix.MatchString(pre[from:]) {
			s = pre[:from] + s[len(pre):]
		}
	}
	return strings.Replace(s, e.Error(), m, 1)
}

// packagePrefix matches the English prefixes of the packages an error went
// through ("sqldb: write deferred rows: ", "create app: sqldb: commit: "),
// which message drops in front of a domain error: they say nothing to the
// command's user. Such a prefix begins with one of wrapPrefixes or with a
// step named in more than one word of letters alone (stepPhrase: "create
// app", "rekey department names", "cross-check"); the steps after it,
// in ASCII ("create schema_migrations", "start PostgreSQL"), are that
// package's. What a command wraps it in (第 3 行：, a file's name,
// "line 3: ", "region 330100: ", "data: ") is kept: a single word not in
// the list, or words with a number or a dot.
var packagePrefix = regexp.MustCompile(`^(?:` + strings.Join(wrapPrefixes, "|") + `|` + stepPhrase + `): (?:[ -9;-~]+: )*$`)

// stepPhrase is a package's step named in more than one word of
// lowercase letters, apart by a space or a hyphen ("create app", "load
// peers' item types", "cross-check"), with which packages begin the
// English wraps of their errors beside the words of wrapPrefixes.
const stepPhrase = `[a-z]+(?:[ -][a-z]+'?)+`

// wrapPrefixes are the words Hutong's packages begin the English wraps of
// their errors with: a package's name (sqldb, audit), or a step of one
// that wraps its errors by the step's name alone (records' sweep and
// feedback, catalogio's savepoint, org's login). TestWrapPrefixesComplete
// holds it to what the packages the command is built from wrap errors in
// (fmt.Errorf("word: …%w")).
var wrapPrefixes = []string{
	"audit", "authenticate", "backup", "bench", "export", "feedback", "home", "login", "logout",
	"org", "quality", "resolve", "savepoint", "session", "sqldb", "sweep", "web",
}

// storageSaid is s, err's text, with the outermost error of err's chain
// whose text is English alone and whose cause is the machine's
// (storageCause) said in Chinese instead: the driver's error and the
// English prefixes of the packages it went through. When s already says
// it in Chinese (无法打开数据库 …：磁盘读写错误（disk I/O error (2570)）…,
// the driver's words inside), s is returned as it is.
func storageSaid(err error, s string) string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if t := e.Error(); isASCII(t) {
			if why := storageCause(e); why != "" && !strings.Contains(s, why) {
				return strings.Replace(s, t, why, 1)
			}
		}
	}
	return s
}

// isASCII reports whether s is ASCII alone: no Chinese.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// errInvalidInput makes a command exit with status 1 after it has printed
// why its input is invalid (hutong ident).
var errInvalidInput = errors.New("invalid input")

// errReported makes a command exit with status 1 after it has printed its
// own report (hutong audit verify).
var errReported = errors.New("reported")

// env is what commands get from the outside world.
type env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// global are the environment variables that flags before the command
	// set (hutong --db X demo), which Getenv returns over the environment.
	global map[string]string
	front  *front // serve's or demo's front end, once bound (startFront)
	// lostOutput, when a command has set it, says what became of what it
	// prints only once (an API key) when its standard output could not be
	// written, and what to do then (outputLost); set by showOnce.
	lostOutput string
}

// output is a command's standard output, which keeps the first error of a
// write to it (a full disk, an I/O error) and writes nothing after it:
// what reached the output is the beginning of what the command printed.
// The command then fails (runCommand), whatever it did besides printing.
// It may be written from several goroutines at once (hutong bench's
// progress of two engines), as an *os.File may.
type output struct {
	w   io.Writer
	mu  sync.Mutex
	err error
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err != nil {
		return 0, o.err
	}
	n, err := o.w.Write(p)
	o.err = err
	return n, err
}

// lost is the first error of a write to o, nil when none failed.
func (o *output) lost() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}

// nullOutput reports whether the command's standard output is the null
// device, where what it prints reaches no one: /dev/null, which is also
// what a closed standard output is (Go's runtime opens /dev/null in place
// of a closed descriptor 0, 1 or 2, so that hutong app create >&- wrote
// the key there and exited 0). A command that shows something only once
// (a new API key) refuses to run then, before it does anything.
func (e *env) nullOutput() bool {
	o, ok := e.Stdout.(*output)
	if !ok {
		return false
	}
	f, ok := o.w.(*os.File)
	return ok && devNull(f)
}

// showOnce readies the command's standard output for what it shows only
// once (a new API key), lost saying what became of it if it cannot be
// shown (outputLost), and returns what to call once it is printed. Into a
// pipe closed at its other end, its write fails (EPIPE), the command
// saying so, instead of the process being killed by SIGPIPE with the key
// made and lost, as any other command still is (hutong audit list | head
// -1 ends quietly): SIGPIPE is received, not left to kill, until done is
// called.
func (e *env) showOnce(lost string) (done func()) {
	e.lostOutput = lost
	o, ok := e.Stdout.(*output)
	if !ok {
		return func() {}
	}
	if _, ok := o.w.(*os.File); !ok {
		return func() {}
	}
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	return func() { signal.Stop(pipe) }
}

// outputLost is the failure of a command that ended with err and whose
// standard output could not be written (lost). A command that did its
// work (err nil, or the write's own error: a command prints after its
// work) says what became of it (lostOutput) when it has said so, else
// that it was done but its output is missing or cut short. One that
// failed after printing why (errReported, errInvalidInput) says that it
// failed, its report being what was lost; one that failed otherwise says
// its own error, then that its output was lost too.
func outputLost(e *env, lost, err error) error {
	switch {
	case err == nil || errors.Is(err, lost):
		done := e.lostOutput
		if done == "" {
			done = "命令已执行，其输出缺失或不完整"
		}
		return fmt.Errorf("未能写入标准输出（%w）：%s", lost, done)
	case errors.Is(err, errReported) || errors.Is(err, errInvalidInput):
		return fmt.Errorf("未能写入标准输出（%w）：命令未成功，其报告缺失或不完整", lost)
	}
	return fmt.Errorf("%w（另外，未能写入标准输出：%v，其输出缺失或不完整）", err, lost)
}

type command struct {
	run     func(ctx context.Context, env *env, args []string) error
	summary string
	// verbs are the words the command takes first (its verbs, or the
	// kinds of import and export), nil for a command without: verbFlags
	// accepts them, hutong help lists them after the summary and takes
	// hutong help COMMAND VERB for them.
	verbs []string
}

func commands() map[string]command {
	return map[string]command{
		"serve":   {cmdServe, "run the HTTP server (API and web console)", nil},
		"demo":    {cmdDemo, "run the server on a database (SQLite or PostgreSQL) filled with a demo district", nil},
		"migrate": {cmdMigrate, "bring the database to the current schema", nil},
		"org": {cmdOrg, "manage regions and departments",
			[]string{"region-create", "department-create", "department-disable", "department-enable", "list"}},
		"user": {cmdUser, "manage staff accounts",
			[]string{"create", "list", "password", "passwd", "disable", "enable", "update"}},
		"app":      {cmdApp, "manage API apps and keys", []string{"create", "list", "show", "rotate", "revoke", "revoke-key"}},
		"audit":    {cmdAudit, "read and verify the audit log", []string{"verify", "list"}},
		"ident":    {cmdIdent, "validate citizen IDs, credit codes and organisation codes", nil},
		"calendar": {cmdCalendar, "print a year's working days, holidays and adjusted working days", nil},
		"backup":   {cmdBackup, "make a consistent online backup of the database, or -verify one", nil},
		"catalog": {cmdCatalog, "check catalog entries against the rules, move them between departments",
			[]string{"check", "transfer"}},
		"records": {cmdRecords, "aggregated records' applied batches, 多源校核 sweep, stale entries and quality scores",
			[]string{"batches", "crosscheck", "stale", "quality"}},
		"import": {cmdImport, "import data of a kind from XLSX, CSV or JSON Lines", slices.Sorted(maps.Keys(importKinds))},
		"export": {cmdExport, "export data of a kind as XLSX, CSV or JSON Lines", slices.Sorted(maps.Keys(exportKinds))},
		"bench":  {cmdBench, "load-test the server in-process against a bare baseline; prints req/s and latency", nil},
	}
}

const usage = `hutong — 互通 政务数据共享互认平台

Usage: hutong [--db DSN] COMMAND [flags] [arguments]

Commands:
%s
Run 'hutong help COMMAND' for a command's flags, 'hutong help COMMAND VERB'
for those of a verb (hutong help org region-create). Every command that touches
data takes --db (a SQLite file path, a postgres:// URL or a libpq keyword
string, host=… dbname=…; env HUTONG_DB).
Only migrate, demo and bench create a SQLite file that does not exist; the
other commands refuse it, so that a mistyped path is not taken for a new,
empty database.

--db may come before the command as well as after it (hutong --db FILE app
list), and so may serve's and demo's --addr, --log-format, --calendar,
--db-conns, --unchanged-key-days, --secure-cookies, --trusted-proxies,
--migrate and --dev. --calendar may also come before calendar (which reads it,
or HUTONG_CALENDAR, unless given -file), records and import: records
crosscheck, stale and quality and import records count working days with it,
records batches and import catalog ignore it, as they ignore HUTONG_CALENDAR. A
flag after the command wins over one before it, which wins over the environment
variable. Other flags go after the command (or its verb: hutong app list
-department D). Only ident and calendar take words after their flags; the
other commands refuse one (多余的参数), as a value whose flag was forgotten.
`

// globalFlag is a flag that may come before the command: it stands for
// its environment variable, so that every command reads it where it reads
// the variable, and the command's own flag still overrides it.
type globalFlag struct {
	name, env string
	isBool    bool
	serveOnly bool // taken by serve and demo only (--calendar by a few more: takesGlobal)
}

var globalFlags = []globalFlag{
	{name: "db", env: "HUTONG_DB"},
	{name: "addr", env: "HUTONG_ADDR", serveOnly: true},
	{name: "log-format", env: "HUTONG_LOG_FORMAT", serveOnly: true},
	{name: "calendar", env: "HUTONG_CALENDAR", serveOnly: true},
	{name: "db-conns", env: "HUTONG_DB_CONNS", serveOnly: true},
	{name: "unchanged-key-days", env: "HUTONG_UNCHANGED_KEY_DAYS", serveOnly: true},
	{name: "secure-cookies", env: "HUTONG_SECURE_COOKIES", isBool: true, serveOnly: true},
	{name: "trusted-proxies", env: "HUTONG_TRUSTED_PROXIES", serveOnly: true},
	{name: "migrate", env: "HUTONG_MIGRATE", isBool: true, serveOnly: true},
	{name: "dev", env: "HUTONG_DEV", isBool: true, serveOnly: true},
}

// dataCommands are the commands whose --db is the database (env
// HUTONG_DB). bench's -db names the SQLite file it builds instead.
var dataCommands = map[string]bool{"serve": true, "demo": true, "migrate": true, "org": true, "user": true, "app": true,
	"audit": true, "backup": true, "records": true, "import": true, "export": true, "catalog": true}

// takesGlobal reports whether command cmd reads global flag g.
func takesGlobal(cmd string, g globalFlag) bool {
	if g.serveOnly {
		// calendar previews the working days of serve's --calendar;
		// records (crosscheck, stale, quality) and import (records) count
		// working days with it. Their verbs that count none ignore it, as
		// they ignore HUTONG_CALENDAR.
		return cmd == "serve" || cmd == "demo" ||
			g.name == "calendar" && (cmd == "calendar" || cmd == "records" || cmd == "import")
	}
	return dataCommands[cmd]
}

// parseGlobals takes the global flags before the command off args (-db X,
// --db X, --db=X; a boolean alone means true) and returns the rest and the
// environment variables they set, in order.
func parseGlobals(args []string) (rest []string, set []globalFlag, vals map[string]string, err error) {
	vals = map[string]string{}
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && len(args[0]) > 1 {
		a := args[0]
		switch a {
		case "-h", "-help", "--help":
			return args, set, vals, nil
		case "--":
			return args[1:], set, vals, nil
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		var g *globalFlag
		for i := range globalFlags {
			if globalFlags[i].name == name {
				g = &globalFlags[i]
			}
		}
		if g == nil {
			return nil, nil, nil, fmt.Errorf("命令前不能有参数 %s：命令前只能有 --db 和 serve、demo 的服务参数；"+
				"命令的参数写在命令之后，如 hutong app list -department D（'hutong help COMMAND' 列出各命令的参数）", strings.SplitN(a, "=", 2)[0])
		}
		args = args[1:]
		switch {
		case hasVal:
		case g.isBool:
			val = "true"
		case len(args) == 0 || strings.HasPrefix(args[0], "-") && len(args[0]) > 1:
			return nil, nil, nil, fmt.Errorf("--%s 需要一个值，如 hutong --%s VALUE COMMAND", g.name, g.name)
		default:
			val, args = args[0], args[1:]
			if isCommand(val) && (len(args) == 0 || !isCommand(args[0])) {
				// hutong --db $DB migrate with DB unset: the command
				// was taken for the value.
				return nil, nil, nil, fmt.Errorf("--%s 需要一个值，如 hutong --%s VALUE COMMAND（“%s”被当作了它的值，其后没有命令）",
					g.name, g.name, val)
			}
		}
		if g.isBool {
			if _, perr := strconv.ParseBool(val); perr != nil {
				return nil, nil, nil, fmt.Errorf("--%s=%s：应为 true 或 false", g.name, val)
			}
		} else if val == "" {
			return nil, nil, nil, fmt.Errorf("--%s 需要一个值，如 hutong --%s VALUE COMMAND", g.name, g.name)
		}
		if _, dup := vals[g.env]; !dup {
			set = append(set, *g)
		}
		vals[g.env] = val
	}
	return args, set, vals, nil
}

// nearestCommand is the command that name is most likely a typo of (a
// letter added, dropped or changed in every three, as nearestFlag), or "".
func nearestCommand(name string) string {
	best, bestDist := "", utf8.RuneCountInString(name)/3+1
	for _, c := range slices.Sorted(maps.Keys(commands())) {
		if d := editDistance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// isCommand reports whether s names a command, help included.
func isCommand(s string) bool {
	_, ok := commands()[s]
	return ok || s == "help"
}

func printUsage(w io.Writer) {
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		c := cmds[n]
		fmt.Fprintf(&b, "  %-9s %s", n, c.summary)
		if c.verbs != nil {
			fmt.Fprintf(&b, ": %s", strings.Join(c.verbs, ", "))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(w, usage, b.String())
}

// run is main without the process: tests call it. A failure of serve or
// demo with their JSON log is logged there, before their address is bound
// (startLog) as after (their front end's), and not printed again by main
// (report): their standard error holds JSON only.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runLogged(ctx, args, getenv, stdout, stderr, startLog(args, getenv, stderr))
}

// runLogged is run with start, startLog's log of args, which main has
// already.
func runLogged(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, start *slog.Logger) error {
	fr, err := runCommand(ctx, args, getenv, stdout, stderr)
	if err == nil || errors.Is(err, errReported) || errors.Is(err, errInvalidInput) {
		return err
	}
	log := start
	if fr != nil {
		log = fr.structured()
	}
	if log == nil {
		return err
	}
	log.Error("stopped on error", "err", message(err))
	return reportedError{err}
}

// reportedError is an error already said (errReported), keeping its
// cause for the exit status (exitCode).
type reportedError struct{ err error }

func (r reportedError) Error() string   { return r.err.Error() }
func (r reportedError) Unwrap() []error { return []error{r.err, errReported} }

// runCommand is run without the JSON log of its failure, with the front
// end serve or demo bound (startFront), nil when none was.
func runCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (*front, error) {
	args, globals, vals, err := parseGlobals(args)
	if err != nil {
		return nil, err
	}
	out := &output{w: stdout}
	e := &env{Stdout: out, Stderr: stderr, Getenv: func(k string) string {
		if v, ok := vals[k]; ok {
			return v
		}
		return getenv(k)
	}, global: vals}
	err = runIn(ctx, e, args, globals)
	// A command that could not print what it did fails, saying so
	// (outputLost), also one that had failed or printed its report there.
	// Not a server (serve, demo) once bound: its standard output only
	// announced it, and its exit status says how it stopped.
	if lost := out.lost(); lost != nil && e.front == nil {
		err = outputLost(e, lost, err)
	}
	return e.front, err
}

// runIn runs the command of args, after the global flags, in e.
func runIn(ctx context.Context, e *env, args []string, globals []globalFlag) error {
	if len(args) == 0 {
		printUsage(e.Stderr)
		return errors.New("未指定命令")
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) == 0 || rest[0] == "-h" || rest[0] == "-help" || rest[0] == "--help" {
			printUsage(e.Stdout)
			return nil
		}
		name, rest = rest[0], rest[1:]
		// hutong help COMMAND VERB is hutong COMMAND VERB -h.
		hasVerbs := commands()[name].verbs != nil
		switch {
		case len(rest) == 0:
			rest = []string{"-h"}
		case hasVerbs && len(rest) == 1:
			rest = []string{rest[0], "-h"} // hutong help org region-create
		case hasVerbs:
			return fmt.Errorf("多余的参数 %s（hutong help %s VERB 说明一个子命令）", rest[1], name)
		case isCommand(name):
			return fmt.Errorf("%s 没有子命令（用法见 hutong help %s）", name, name)
		}
	}
	cmd, ok := commands()[name]
	if !ok {
		if strings.HasPrefix(name, "-") {
			return fmt.Errorf("命令前不能有参数 %s：先写命令，如 hutong app list %s", name, name)
		}
		guess := ""
		if near := nearestCommand(name); near != "" {
			guess = "是否指 " + near + "？"
		}
		return fmt.Errorf("未知命令“%s”，%s可用的命令：%s（说明见 hutong help）", name, guess,
			strings.Join(slices.Sorted(maps.Keys(commands())), "、"))
	}
	for _, g := range globals {
		if !takesGlobal(name, g) {
			return fmt.Errorf("%s 命令前不能有 --%s（它的参数写在命令之后，见 'hutong help %s'）", name, g.name, name)
		}
	}
	err := cmd.run(ctx, e, rest)
	var c *canceled
	switch {
	case errors.Is(err, errHelp):
		return nil
	case errors.As(err, &c):
	case err != nil && strings.HasSuffix(message(err), context.Canceled.Error()):
		// A command stopped by Ctrl-C that did not say what it kept,
		// nor that it was canceled in its own words (备份已取消).
		return canceledAs(ctx, err, canceledMessage(message(err)))
	}
	return err
}

// canceledMessage is m, the message of a command stopped by Ctrl-C, which
// ends in Go's "context canceled", with 已取消 in its place. The command's
// words before it are kept when they are Chinese, as they say what was
// being done and what to do (填充演示记录（再次运行 hutong demo 即可补全）：
// …：已取消); Go's own ("load records: ") are not.
func canceledMessage(m string) string {
	done := strings.TrimRight(strings.TrimSuffix(m, context.Canceled.Error()), ":： ")
	if !strings.ContainsFunc(done, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return "已取消：命令被中断，未执行完"
	}
	return done + "：已取消"
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

const demoUsage = `Usage: hutong demo [flags]

Run the server on a database filled with a demo district (广东省 →
佛山市 → 南海区: departments, staff accounts of every role, API apps, a
published catalog and aggregated records): by default the SQLite file
hutong-demo.db, or the database -db names, a PostgreSQL one too
(-db postgres://user@host/hutong_demo, an empty database or the demo's).
A SQLite file is created when it does not exist; the database is reused
after; when an earlier start was stopped before the demo records were
complete, the next start completes them. It prints the address, the demo
accounts and what to try first, and the demo apps' API keys on the start
that creates them, as soon as they are created, before the records are
filled, and again with the address (later starts say how to issue a new
key).

A database that holds another platform's departments is refused, before it
is migrated. With -migrate=false the demo migrates nothing: its database
must exist with a current schema.

Flags:
`

// openDemoDB opens the demo's database, creating it when it does not
// exist, and migrates it unless -migrate=false, which requires its schema
// to be current. A database that has a schema already is first checked to
// be the demo's (demo.Seeded): another platform's is refused before it is
// migrated. fr is told once the database is open and checked, before it
// is migrated (/readyz says opening the database until then, as serve's
// does), and of each migration (migrateDB).
func openDemoDB(ctx context.Context, e *env, f *serveFlags, fr *front) (*sqldb.DB, error) {
	open := sqldb.Open
	if !f.migrate {
		open = openExisting
	}
	db, err := open(ctx, f.db, f.options(false))
	if err != nil {
		return nil, err
	}
	err = func() error {
		pending, err := db.Pending(ctx)
		if err != nil {
			return err
		}
		all, err := sqldb.Migrations(db.Dialect)
		if err != nil {
			return err
		}
		if len(pending) < len(all) {
			if _, err := demo.Seeded(ctx, db); err != nil {
				return fmt.Errorf("%s：%w", db.Source, err)
			}
		} else if err := requireBuilt(ctx, db, true); err != nil {
			return err
		}
		if !f.migrate {
			return requireSchema(ctx, db, "demo")
		}
		fr.starting(ctx, server.Migrating)
		return migrateDB(ctx, e, db, fr)
	}()
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", demoUsage)
	f := addServeFlags(fs, e, "hutong-demo.db")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if err := f.check(fs); err != nil {
		return err
	}
	// Bound before the database is opened, migrated and seeded: a port in
	// use is refused at once, not after the seeding, whose API keys only
	// this start would print. Meanwhile the address answers that the
	// server is starting.
	fr, err := bindFront(e, f)
	if err != nil {
		return err
	}
	defer fr.shutdown()
	db, err := openDemoDB(ctx, e, f, fr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := warnCollation(ctx, db, func(w string) { fr.log.Warn(w) }); err != nil {
		return err
	}
	seeded, err := demo.Seeded(ctx, db)
	if err != nil {
		return fmt.Errorf("%s：%w", db.Source, err)
	}
	fr.starting(ctx, server.Seeding)
	start := time.Now()
	var info *demo.Info
	if !seeded {
		if log := fr.structured(); log != nil {
			log.Info("seeding the demo district", "db", db.Source)
		} else {
			fmt.Fprintf(e.Stderr, "正在 %s 中创建演示区 …\n", db.Source)
		}
		in, err := demo.Seed(ctx, db, server.Clock())
		if err != nil {
			return fmt.Errorf("创建演示区：%w", err)
		}
		info = &in
		// Printed at once, before the records are filled: a start stopped
		// while filling them would otherwise never have shown the keys,
		// which the next start cannot.
		fmt.Fprintln(e.Stdout)
		printKeys(e.Stdout, info.Apps)
	}
	// In JSON mode the progress, for a person, is not shown.
	progress, done := io.Writer(io.Discard), func() {}
	if fr.structured() == nil {
		progress, done = progressWriter(e.Stderr)
	}
	filled, err := demo.SeedRecords(ctx, db, server.Clock(), progress)
	done()
	if err != nil {
		return fmt.Errorf("填充演示记录（再次运行 hutong demo 即可补全）：%w", err)
	}
	if log := fr.structured(); log != nil && (info != nil || filled > 0) {
		log.Info("demo data ready", "records_filled", filled, "duration", time.Since(start).Round(time.Millisecond))
	} else if info != nil || filled > 0 {
		fmt.Fprintf(e.Stderr, "演示数据已就绪，用时 %s\n", time.Since(start).Round(time.Millisecond))
	}
	var apps []org.App
	if info == nil {
		if apps, err = demo.Apps(ctx, db.Read()); err != nil {
			return err
		}
	}
	accounts, err := demo.Accounts(ctx, db.Read())
	if err != nil {
		return err
	}
	dbArg, dbNote := dbArgument(e, fs, f.db, db.Source)
	return serve(ctx, e, db, f, fr, func(url string) { printDemo(e.Stdout, url, db, accounts, info, apps, dbArg, dbNote) })
}

// dbArgument returns the -db argument of the commands a command prints
// for the operator to run on database dsn (source, its password removed):
// demo's app rotate, audit verify's backup of the evidence. It also
// returns a note to print above them. The argument is empty when the
// database came from HUTONG_DB in the environment, which those commands
// read too, and when dsn
// holds a password (sqldb.HasPassword): the masked password of source
// would be taken for the real one, and the real one must not be printed,
// so the note says to set HUTONG_DB. A dsn without a password that Redact
// changes all the same (a '@' in a parameter) is named as given.
func dbArgument(e *env, fs *flag.FlagSet, dsn, source string) (arg, note string) {
	given := false
	fs.Visit(func(fl *flag.Flag) { given = given || fl.Name == "db" })
	_, global := e.global["HUTONG_DB"]
	switch {
	case !given && !global && e.Getenv("HUTONG_DB") != "":
		return "", "（数据库取自环境变量 HUTONG_DB）"
	case sqldb.HasPassword(dsn):
		return "", "连接串含密码，命令中不写出：先在同一 shell 中设置 HUTONG_DB 为本次 -db 的连接串（" + source + "，换上密码）"
	case sqldb.Redact(dsn) != dsn:
		return shellQuote(dsn), ""
	}
	return shellQuote(source), ""
}

// printDemo prints what the demo offers: its accounts, the API keys of
// info again when this run created the demo (printed first when they were
// created, before the records were filled), else how to issue a new key for
// each of apps, with -db dbArg unless it is empty, after dbNote.
func printDemo(w io.Writer, url string, db *sqldb.DB, accounts []demo.Account, info *demo.Info, apps []org.App, dbArg, dbNote string) {
	fmt.Fprintf(w, "\n互通 Hutong 演示已启动：%s（数据库 %s）\n\n", url, db.Source)
	fmt.Fprintf(w, "演示账号（密码均为 %s）：\n", demo.Password)
	tw := newTable(w)
	for _, a := range accounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.Username, a.DisplayName, a.Role.Label(), a.Department)
	}
	tw.Flush()
	if info != nil {
		fmt.Fprintln(w)
		printKeys(w, info.Apps)
	} else if len(apps) > 0 {
		fmt.Fprintln(w, "\n演示应用的 API 密钥只在创建演示数据的那次启动时显示，平台只保存其摘要。")
		fmt.Fprintln(w, "为应用签发新密钥（旧密钥 24 小时后失效；加 -grace 0 则立即失效）：")
		if dbNote != "" {
			fmt.Fprintf(w, "  %s\n", dbNote)
		}
		dbFlag := ""
		if dbArg != "" {
			dbFlag = " -db " + dbArg
		}
		tw := newTable(w)
		for _, a := range apps {
			fmt.Fprintf(tw, "  hutong app rotate%s -id %d\t# %s（%s）\n", dbFlag, a.ID, a.Name, strings.Join(a.Scopes, " "))
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\n试一试：打开 %s，以 admin 登录；或 curl %s/api/v1/openapi.json\n", url, url)
	fmt.Fprintln(w, strings.Repeat("-", 60))
}

// printKeys prints the demo apps' API keys, which only the start that
// created them knows.
func printKeys(w io.Writer, apps []demo.AppKey) {
	fmt.Fprintln(w, "演示应用的 API 密钥（只在创建演示数据的这次启动时显示）：")
	for _, a := range apps {
		fmt.Fprintf(w, "  %s（%s，%s）\n    %s\n", a.Name, a.Department, a.Scopes, a.Key)
	}
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:@%+=,-]+$`)

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

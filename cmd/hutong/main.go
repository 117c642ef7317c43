// Command hutong runs the Hutong government data sharing and mutual
// recognition platform (政务数据共享互认平台) and its administration tools.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errInvalidInput) && !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "hutong:", err)
		}
		os.Exit(1)
	}
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
}

type command struct {
	run     func(ctx context.Context, env *env, args []string) error
	summary string
}

func commands() map[string]command {
	return map[string]command{
		"serve":    {cmdServe, "run the HTTP server (API and web console)"},
		"demo":     {cmdDemo, "run the server on an embedded database filled with a demo district"},
		"migrate":  {cmdMigrate, "bring the database to the current schema"},
		"org":      {cmdOrg, "manage regions and departments: region-create, department-create, list"},
		"user":     {cmdUser, "manage staff accounts: create, list, passwd, disable, enable"},
		"app":      {cmdApp, "manage API apps and keys: create, list, show, rotate, revoke, revoke-key"},
		"audit":    {cmdAudit, "read and verify the audit log: verify, list"},
		"ident":    {cmdIdent, "validate citizen IDs, credit codes and organisation codes"},
		"calendar": {cmdCalendar, "print a year's working days, holidays and adjusted working days"},
		"backup":   {cmdBackup, "make a consistent online backup of the database, or -verify one"},
		"records":  {cmdRecords, "aggregated records: batches, crosscheck (多源校核 sweep), stale entries, quality scores"},
		"import":   {cmdImport, "import catalog entries (and other kinds) from XLSX, CSV or JSON lines"},
		"export":   {cmdExport, "export catalog entries (and other kinds) as XLSX, CSV or JSON lines"},
		"bench":    {cmdBench, "load-test the server in-process against a bare baseline; prints req/s and latency"},
	}
}

const usage = `hutong — 互通 政务数据共享互认平台

Usage: hutong COMMAND [flags] [arguments]

Commands:
%s
Run 'hutong help COMMAND' for a command's flags. Every command that touches
data takes --db (a SQLite file path or a postgres:// URL; env HUTONG_DB).
Only migrate, demo and bench create a SQLite file that does not exist; the
other commands refuse it, so that a mistyped path is not taken for a new,
empty database.
`

func printUsage(w io.Writer) {
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "  %-9s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintf(w, usage, b.String())
}

// run is main without the process: tests call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	e := &env{Stdout: stdout, Stderr: stderr, Getenv: getenv}
	if len(args) == 0 {
		printUsage(stderr)
		return errors.New("no command given")
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) == 0 || rest[0] == "-h" || rest[0] == "-help" || rest[0] == "--help" {
			printUsage(stdout)
			return nil
		}
		name, rest = rest[0], []string{"-h"}
	}
	cmd, ok := commands()[name]
	if !ok {
		printUsage(stderr)
		return fmt.Errorf("unknown command %q", name)
	}
	if err := cmd.run(ctx, e, rest); !errors.Is(err, errHelp) {
		return err
	}
	return nil
}

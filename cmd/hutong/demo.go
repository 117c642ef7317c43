package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

const demoUsage = `Usage: hutong demo [flags]

Run the server on an embedded SQLite database filled with a demo district
(广东省 → 佛山市 → 南海区: departments, staff accounts of every role, API apps).
An existing demo database is reused as it is. It prints the address, the
demo accounts and what to try first.

Flags:
`

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", demoUsage)
	f := addServeFlags(fs, e, "hutong-demo.db")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := openDB(ctx, e, f.db, false, true)
	if err != nil {
		return err
	}
	defer db.Close()
	seeded, err := demo.Seeded(ctx, db)
	if err != nil {
		return err
	}
	var info *demo.Info
	if !seeded {
		fmt.Fprintf(e.Stderr, "creating the demo district in %s …\n", db.Source)
		start := time.Now()
		in, err := demo.Seed(ctx, db, time.Now())
		if err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		info = &in
		progress, done := progressWriter(e.Stderr)
		err = demo.SeedRecords(ctx, db, time.Now(), progress)
		done()
		if err != nil {
			return fmt.Errorf("seed demo records: %w", err)
		}
		fmt.Fprintf(e.Stderr, "demo data ready in %s\n", time.Since(start).Round(time.Millisecond))
	}
	return serve(ctx, e, db, f, func(url string) { printDemo(e.Stdout, url, db, info) })
}

func printDemo(w io.Writer, url string, db *sqldb.DB, info *demo.Info) {
	fmt.Fprintf(w, "\n互通 Hutong demo is running at %s  (database %s)\n\n", url, db.Source)
	fmt.Fprintf(w, "Demo accounts (password for all: %s):\n", demo.Password)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, a := range demo.Accounts() {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.Username, a.DisplayName, a.Role.Label(), a.Department)
	}
	tw.Flush()
	if info != nil {
		fmt.Fprintln(w, "\nAPI keys of the demo apps (shown only now):")
		for _, a := range info.Apps {
			fmt.Fprintf(w, "  %s (%s, %s)\n    %s\n", a.Name, a.Department, a.Scopes, a.Key)
		}
	} else {
		fmt.Fprintln(w, "\nDemo apps exist already; issue a fresh key with: hutong app rotate --db "+db.Source+" -id 1")
	}
	fmt.Fprintf(w, "\nTry: open %s and log in as admin; or curl %s/api/v1/openapi.json\n", url, url)
	fmt.Fprintln(w, strings.Repeat("-", 60))
}

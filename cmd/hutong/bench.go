package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/bench"
)

const benchUsage = `Usage: hutong bench [flags]

Load-test Hutong on this machine. For each engine it prepares a database,
starts the server in-process on loopback next to a bare net/http handler on
the same database (the baseline), drives them with concurrent HTTP clients
for a fixed time per scenario and prints req/s, p50 and p99 latency, our
throughput as a ratio of the baseline's, and the process's peak RSS.

SQLite runs on a temporary file unless -db names one to prepare or reuse.
PostgreSQL needs -pg-dsn (or HUTONG_BENCH_PG); bench migrates that database
and adds its rows (region 449901 压测区, departments, apps) to it: point it
at a scratch database, never at production.

Flags:
`

func cmdBench(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench", benchUsage)
	duration := fs.Duration("duration", 10*time.Second, "measured time per scenario")
	conc := fs.Int("concurrency", 2*runtime.GOMAXPROCS(0)*4, "concurrent HTTP clients")
	engine := fs.String("engine", "both", "sqlite, postgres or both")
	pgDSN := fs.String("pg-dsn", envOr(e, "HUTONG_BENCH_PG", ""), "PostgreSQL database for the postgres engine (env HUTONG_BENCH_PG)")
	dbPath := fs.String("db", "", "SQLite file to prepare or reuse (default: a temporary file)")
	jsonOut := fs.String("json", "", "also write the figures as JSON to this file")
	depts := fs.Int("departments", 10000, "departments to seed for the lookups")
	only := fs.String("scenarios", "", "comma-separated scenario names to run (default all)")
	if err := parse(fs, args); err != nil {
		return err
	}
	var runSQLite, runPG bool
	switch *engine {
	case "sqlite":
		runSQLite = true
	case "postgres":
		runPG = true
	case "both":
		runSQLite, runPG = true, true
	default:
		return fmt.Errorf("bench: -engine %q: want sqlite, postgres or both", *engine)
	}
	cfg := bench.Config{Duration: *duration, Concurrency: *conc, Departments: *depts, Out: e.Stdout}
	if *only != "" {
		cfg.Only = strings.Split(*only, ",")
	}
	rep := bench.NewReport(cfg)
	fmt.Fprintf(e.Stdout, "hutong bench: %s, %s, %s, %d CPUs, GOMAXPROCS %d; %d clients, %s per scenario\n",
		rep.Time.Format(time.RFC3339), rep.Go, rep.CPU, rep.NumCPU, rep.GOMAXPROCS, rep.Concurrency, rep.Duration)

	engines := []string{}
	if runSQLite {
		path := *dbPath
		if path == "" {
			dir, err := os.MkdirTemp("", "hutong-bench")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			path = filepath.Join(dir, "bench.db")
		}
		engines = append(engines, path)
	}
	if runPG {
		if *pgDSN == "" {
			note := "postgres skipped: give -pg-dsn postgres://… or set HUTONG_BENCH_PG to a scratch database"
			fmt.Fprintln(e.Stdout, note)
			rep.Skipped = append(rep.Skipped, note)
		} else {
			engines = append(engines, *pgDSN)
		}
	}
	for _, dsn := range engines {
		db, err := openDB(ctx, e, dsn, true, true)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "\n%s: %s\n", db.Dialect, db.Source)
		er, err := bench.Run(ctx, db, cfg)
		db.Close()
		if err != nil {
			return err
		}
		rep.Engines = append(rep.Engines, er)
	}
	if *jsonOut != "" {
		if err := rep.WriteJSON(*jsonOut); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "\nwrote %s\n", *jsonOut)
	}
	return nil
}

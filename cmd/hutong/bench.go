package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/bench"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

const benchUsage = `Usage: hutong bench [flags]

Load-test Hutong on this machine. For each engine it prepares a database of
realistic size — 1,000,000 records over 100,000 persons and 20,000
companies, 100,000 catalog entries, 10,000 departments — starts the server
in-process on loopback next to a bare net/http handler on the same database
(the baseline), drives them with concurrent HTTP clients for a fixed time per
scenario and prints req/s (and operations/s for batches), p50, p95 and p99
latency, our throughput as a ratio of the baseline's, and the process's peak
RSS. Latencies are those of the requests answered 2xx; a scenario with any
other answer is marked FAILED, gets no ratio, and fails the run once every
scenario has run (and -json is written).

Building the databases takes a few minutes (both engines' at the same time);
they are built once and reused: later runs on the same databases build only
what is missing and say so. Peak RSS is measured after building. The databases
live in -dir: bench.db for SQLite (unless -db names another file) and, unless
-pg-dsn names a server, a PostgreSQL cluster of bench's own (created with
initdb when PostgreSQL is installed, started for the run and stopped after
it, with PostgreSQL's default settings). Delete -dir to start afresh. Without
PostgreSQL installed, -engine both measures SQLite alone and -engine postgres
fails.

-pg-dsn (or HUTONG_BENCH_PG) names a PostgreSQL database instead: bench
migrates it and adds its rows (region 449901 压测区, departments, catalog
entries, records, apps) to it: point it at a scratch database, never at
production.

Flags:
`

func cmdBench(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench", benchUsage)
	duration := fs.Duration("duration", 5*time.Second, "measured time per scenario")
	conc := fs.Int("concurrency", 2*runtime.GOMAXPROCS(0)*4, "concurrent HTTP clients (records-ingest uses at most 4, catalog-search one per CPU)")
	engine := fs.String("engine", "both", "sqlite, postgres or both")
	dir := fs.String("dir", envOr(e, "HUTONG_BENCH_DIR", filepath.Join(os.TempDir(), "hutong-bench")),
		"where bench keeps the databases it builds, for later runs (env HUTONG_BENCH_DIR)")
	var pgDSN string
	dsnFlag(fs, &pgDSN, "pg-dsn", envOr(e, "HUTONG_BENCH_PG", ""), "PostgreSQL database for the postgres engine instead of bench's own cluster (env HUTONG_BENCH_PG)")
	dbPath := fs.String("db", "", "SQLite file to prepare or reuse (default: bench.db in -dir)")
	jsonOut := fs.String("json", "", "also write the figures as JSON to this file")
	depts := fs.Int("departments", 10000, "departments to seed for the lookups")
	records := fs.Int("records", 1000000, "records to build, a fifth about companies")
	persons := fs.Int("persons", 100000, "persons the records are about (at most 200,000)")
	companies := fs.Int("companies", 20000, "companies the records are about")
	entries := fs.Int("entries", 100000, "generated catalog entries to search")
	batch := fs.Int("batch", 1000, "operations per batch in records-ingest")
	only := fs.String("scenarios", "", "comma-separated scenario names to run (default all)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measurements (not of building the databases) to this file, for go tool pprof")
	if err := parse(e, fs, args); err != nil {
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
	start := time.Now()
	cfg := bench.Config{Duration: *duration, Concurrency: *conc, Departments: *depts, Records: *records, Persons: *persons,
		Companies: *companies, Entries: *entries, BatchOps: *batch, Out: e.Stdout}
	if *only != "" {
		cfg.Only = strings.Split(*only, ",")
	}
	rep := bench.NewReport(cfg)
	fmt.Fprintf(e.Stdout, "hutong bench: %s, %s, %s, %d CPUs, GOMAXPROCS %d; %d clients, %s per scenario\n",
		rep.Time.Format(time.RFC3339), rep.Go, rep.CPU, rep.NumCPU, rep.GOMAXPROCS, rep.Concurrency, rep.Duration)
	// Traversable, for a cluster run as the postgres user.
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}

	// The engines' databases: SQLite's file, then PostgreSQL's.
	var dsns []string
	var cluster *bench.Postgres // bench's own PostgreSQL, if it runs one
	if runSQLite {
		path := *dbPath
		if path == "" {
			path = filepath.Join(*dir, "bench.db")
		}
		dsns = append(dsns, path)
	}
	if runPG && pgDSN != "" {
		dsns = append(dsns, pgDSN)
	} else if runPG {
		pg, err := startPostgres(ctx, filepath.Join(*dir, "postgres"), e.Stdout)
		switch {
		case errors.Is(err, bench.ErrNoPostgres) && !runSQLite:
			// Asked for PostgreSQL alone: measuring nothing is no result.
			return fmt.Errorf("压测：-engine postgres 需要 PostgreSQL，但本机未安装（%v）；请安装 PostgreSQL，或以 -pg-dsn postgres://…（HUTONG_BENCH_PG）指定一个临时数据库", err)
		case errors.Is(err, bench.ErrNoOwnCluster) && !runSQLite:
			return fmt.Errorf("压测：hutong bench 只在 Linux 和 macOS 上用 initdb 和 postgres 自建 PostgreSQL 集群，本机不能；请用 -engine sqlite，或以 -pg-dsn postgres://…（HUTONG_BENCH_PG）指定一个临时数据库")
		case errors.Is(err, bench.ErrNoPostgres), errors.Is(err, bench.ErrNoOwnCluster):
			note := "postgres skipped: " + err.Error() + "; or give -pg-dsn postgres://… (HUTONG_BENCH_PG) naming a scratch database"
			fmt.Fprintln(e.Stdout, note)
			rep.Skipped = append(rep.Skipped, note)
		case err != nil:
			return err
		default:
			cluster = pg
			defer func() {
				if serr := pg.Stop(); serr != nil {
					fmt.Fprintf(e.Stderr, "hutong bench: stop PostgreSQL: %v\n", serr)
				}
			}()
			dsns = append(dsns, pg.DSN())
		}
	}
	dbs := make([]*sqldb.DB, len(dsns))
	for i, dsn := range dsns {
		db, err := openDB(ctx, e, dsn, sqldb.Options{Durable: true}, true)
		if err != nil {
			return err
		}
		defer db.Close()
		dbs[i] = db
	}
	// Both databases are prepared at once, each building on its own core
	// (SQLite in this process, PostgreSQL in its server), their progress
	// lines prefixed with the engine; then the engines are measured one
	// after the other.
	fixtures := make([]*bench.Fixture, len(dbs))
	prepared := make(chan error, len(dbs))
	for i, db := range dbs {
		out, flush := progressWriter(e.Stdout)
		if len(dbs) > 1 {
			lw := newLineWriter(e.Stdout, db.Dialect.String()+": ")
			out, flush = lw, lw.Flush
		}
		c := cfg
		c.Out = out
		go func() {
			var err error
			fixtures[i], err = bench.Prepare(ctx, db, c)
			flush()
			prepared <- err
		}()
	}
	var perr error
	for range fixtures {
		perr = errors.Join(perr, <-prepared)
	}
	if perr != nil {
		return perr
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	// PostgreSQL is measured first, and bench's own cluster stopped before
	// SQLite is: an idle server still vacuums and checkpoints what the
	// runs before wrote, which cost SQLite's figures up to 40 % on two
	// cores. A server named by -pg-dsn keeps running.
	slices.Reverse(fixtures)
	// A scenario with errors fails the run, after every engine is measured
	// and the report written.
	var failed error
	for _, f := range fixtures {
		if f.DB.Dialect == sqldb.SQLite && cluster != nil {
			if err := cluster.Stop(); err != nil {
				return err
			}
			fmt.Fprintf(e.Stdout, "\npostgres: stopped bench's cluster, so that its background work does not weigh on SQLite's figures\n")
		}
		fmt.Fprintf(e.Stdout, "\n%s: %s\n", f.DB.Dialect, f.DB.Source)
		er, err := f.Measure(ctx, e.Stdout)
		if fe := (*bench.FailedError)(nil); errors.As(err, &fe) {
			failed = errors.Join(failed, fe)
		} else if err != nil {
			return err
		}
		rep.Engines = append(rep.Engines, er)
	}
	rep.Seconds = time.Since(start).Seconds()
	fmt.Fprintf(e.Stdout, "\nhutong bench: done in %v\n", time.Since(start).Round(time.Second))
	if *jsonOut != "" {
		if err := rep.WriteJSON(*jsonOut); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "wrote %s\n", *jsonOut)
	}
	return failed
}

// startPostgres is bench.StartPostgres; tests replace it to be without
// PostgreSQL on a machine that has it.
var startPostgres = bench.StartPostgres

// startCPUProfile profiles the process's CPU into path until stop.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bench: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

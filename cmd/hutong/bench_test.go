package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/bench"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBench runs hutong bench on tiny sizes on both engines (PostgreSQL
// through HUTONG_BENCH_PG), twice: the first run builds the databases in
// -dir, the second reuses them; the JSON report has every scenario and says
// which figures are not available yet.
func TestBench(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"HUTONG_BENCH_PG": sqldbtest.PostgresDSN(t)}
	jsonPath := filepath.Join(dir, "bench.json")
	args := []string{"bench", "-dir", dir, "-duration", "100ms", "-concurrency", "2", "-departments", "50",
		"-records", "1000", "-persons", "400", "-companies", "100", "-entries", "100", "-batch", "20", "-json", jsonPath}
	out, err := hutong(t, vars, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Count(out, "— built in") != 2 {
		t.Errorf("first run: want both databases built:\n%s", out)
	}
	// Built at the same time, each engine's lines marked.
	for _, want := range []string{"\nsqlite: seeding 50 departments", "\npostgres: seeding 50 departments",
		"\nsqlite: records: entry 4 / 4, 1000 / 1000 records", "\npostgres: records: entry 4 / 4, 1000 / 1000 records"} {
		if !strings.Contains(out, want) {
			t.Errorf("first run: no line %q:\n%s", want[1:], out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bench.db")); err != nil {
		t.Errorf("SQLite database not in -dir: %v", err)
	}
	out, err = hutong(t, vars, args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Count(out, "— reused from an earlier run") != 2 {
		t.Errorf("second run: want both databases reused:\n%s", out)
	}
	// One engine alone, its output not a terminal: the progress is lines,
	// not one line rewritten in place thousands of times.
	one := append([]string{"bench", "-engine", "sqlite", "-dir", filepath.Join(dir, "one"), "-scenarios", "baseline-lookup"},
		args[3:len(args)-2]...)
	out, err = hutong(t, nil, one...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Contains(out, "\r") || !strings.Contains(out, "\nrecords: entry 4 / 4, 1000 / 1000 records") {
		t.Errorf("one engine: want progress as lines:\n%q", out)
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var rep bench.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Engines) != 2 || len(rep.NotAvailable) != len(bench.Unavailable()) || rep.Seconds <= 0 {
		t.Fatalf("report: %d engines, %d not available, %v s", len(rep.Engines), len(rep.NotAvailable), rep.Seconds)
	}
	for _, er := range rep.Engines {
		if len(er.Results) != len(bench.Scenarios()) || er.Built != nil || er.Records < 1000 || er.CatalogEntries != 100 {
			t.Errorf("%s: %d results, built %+v, %d records, %d catalog entries", er.Engine, len(er.Results), er.Built,
				er.Records, er.CatalogEntries)
		}
	}
}

// TestBenchOwnCluster: with a PostgreSQL cluster of its own, bench measures
// PostgreSQL first and stops the cluster before it measures SQLite.
func TestBenchOwnCluster(t *testing.T) {
	// The cluster may run as the postgres user, which must reach the
	// directory: not under t.TempDir (0700).
	dir, err := os.MkdirTemp("", "benchpg")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := hutong(t, nil, "bench", "-dir", dir, "-duration", "100ms", "-concurrency", "2", "-departments", "50",
		"-records", "1000", "-persons", "400", "-companies", "100", "-entries", "100", "-batch", "20",
		"-scenarios", "baseline-lookup")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Contains(out, "postgres skipped") {
		if os.Getenv("HUTONG_REQUIRE_PG") == "1" {
			t.Fatalf("HUTONG_REQUIRE_PG=1 but bench ran without PostgreSQL:\n%s", out)
		}
		t.Skipf("PostgreSQL not installed:\n%s", out)
	}
	pg := strings.Index(out, "\npostgres: postgres://")
	stopped := strings.Index(out, "\npostgres: stopped bench's cluster")
	lite := strings.Index(out, "\nsqlite: "+filepath.Join(dir, "bench.db"))
	if pg < 0 || stopped < pg || lite < stopped {
		t.Errorf("want PostgreSQL measured, its cluster stopped, then SQLite measured (at %d, %d, %d):\n%s", pg, stopped, lite, out)
	}
}

// TestBenchNoPostgres: without PostgreSQL, -engine postgres, which asked for
// it alone, fails saying why, where -engine both measures SQLite and says
// that PostgreSQL was skipped.
func TestBenchNoPostgres(t *testing.T) {
	startPostgres = func(context.Context, string, io.Writer) (*bench.Postgres, error) { return nil, bench.ErrNoPostgres }
	t.Cleanup(func() { startPostgres = bench.StartPostgres })
	dir := t.TempDir()
	args := []string{"-dir", dir, "-duration", "100ms", "-concurrency", "2", "-departments", "50", "-records", "1000",
		"-persons", "400", "-companies", "100", "-entries", "100", "-batch", "20", "-scenarios", "baseline-lookup"}
	out, err := hutong(t, nil, append([]string{"bench", "-engine", "postgres"}, args...)...)
	if err == nil || !strings.Contains(err.Error(), "-engine postgres 需要 PostgreSQL") || !strings.Contains(err.Error(), "-pg-dsn") {
		t.Errorf("-engine postgres without PostgreSQL: err %v, want a refusal naming -pg-dsn:\n%s", err, out)
	}
	out, err = hutong(t, nil, append([]string{"bench", "-engine", "both"}, args...)...)
	if err != nil || !strings.Contains(out, "postgres skipped") || !strings.Contains(out, "\nsqlite: ") {
		t.Errorf("-engine both without PostgreSQL: err %v, want SQLite measured and PostgreSQL skipped:\n%s", err, out)
	}
}

// TestBenchNoOwnCluster: where bench cannot run its own PostgreSQL cluster
// (Windows), -engine postgres fails saying so and what to use instead,
// where -engine both measures SQLite and says that PostgreSQL was skipped.
func TestBenchNoOwnCluster(t *testing.T) {
	startPostgres = func(context.Context, string, io.Writer) (*bench.Postgres, error) { return nil, bench.ErrNoOwnCluster }
	t.Cleanup(func() { startPostgres = bench.StartPostgres })
	dir := t.TempDir()
	args := []string{"-dir", dir, "-duration", "100ms", "-concurrency", "2", "-departments", "50", "-records", "1000",
		"-persons", "400", "-companies", "100", "-entries", "100", "-batch", "20", "-scenarios", "baseline-lookup"}
	out, err := hutong(t, nil, append([]string{"bench", "-engine", "postgres"}, args...)...)
	if err == nil || !strings.Contains(err.Error(), "只在 Linux 和 macOS 上") || !strings.Contains(err.Error(), "-engine sqlite") || !strings.Contains(err.Error(), "-pg-dsn") {
		t.Errorf("-engine postgres without its own cluster: err %v, want a refusal naming -engine sqlite and -pg-dsn:\n%s", err, out)
	}
	out, err = hutong(t, nil, append([]string{"bench", "-engine", "both"}, args...)...)
	if err != nil || !strings.Contains(out, "postgres skipped: "+bench.ErrNoOwnCluster.Error()) || !strings.Contains(out, "\nsqlite: ") {
		t.Errorf("-engine both without its own cluster: err %v, want SQLite measured and PostgreSQL skipped:\n%s", err, out)
	}
}

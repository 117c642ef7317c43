package bench_test

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/bench"
	"github.com/hutong-gov/hutong/internal/server"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

// small is a database small enough for tests: 3,000 records in 12 entries,
// 600 catalog entries.
func small(d time.Duration, out io.Writer) bench.Config {
	return bench.Config{Duration: d, Concurrency: 4, Departments: 200, Records: 3000, Persons: 400, Companies: 100,
		Entries: 600, BatchOps: 40, Out: out}
}

// TestRun runs every scenario briefly on both engines: all requests succeed,
// the figures are filled in, reads are audited and batches stored; a second
// run reuses the database. A second per scenario, where 300 ms left none of
// its requests measured when a loaded machine made one take longer.
func TestRun(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		var out strings.Builder
		rep, err := bench.Run(t.Context(), db, small(time.Second, &out))
		if err != nil {
			t.Fatal(err)
		}
		t.Log("\n" + out.String())
		if len(rep.Results) != len(bench.Scenarios()) {
			t.Fatalf("%d results, want one per scenario (%d)", len(rep.Results), len(bench.Scenarios()))
		}
		for _, r := range rep.Results {
			if r.Errors != 0 || r.Requests == 0 || r.PerSecond <= 0 || r.P50ms <= 0 || r.P95ms < r.P50ms || r.P99ms < r.P95ms {
				t.Errorf("%s: %d requests (%v/s), %d errors (%s), p50 %v p95 %v p99 %v", r.Scenario, r.Requests, r.PerSecond,
					r.Errors, r.FirstError, r.P50ms, r.P95ms, r.P99ms)
			}
			if r.Baseline != "" && r.VsBaseline <= 0 {
				t.Errorf("%s: no ratio to %s", r.Scenario, r.Baseline)
			}
		}
		byName := map[string]bench.Result{}
		for _, r := range rep.Results {
			byName[r.Scenario] = r
		}
		if r := byName["records-query"]; r.Baseline != "baseline-record" || !strings.HasPrefix(r.Checked, "audited: ") {
			t.Errorf("records-query: baseline %q, checked %q; want baseline-record and the audit check", r.Baseline, r.Checked)
		}
		if r := byName["records-ingest"]; r.OpsPerRequest != 40 || r.OpsPerSecond != 40*r.PerSecond || !strings.HasPrefix(r.Checked, "stored: ") {
			t.Errorf("records-ingest: %d ops per request, %v ops/s at %v req/s, checked %q", r.OpsPerRequest, r.OpsPerSecond, r.PerSecond, r.Checked)
		}
		if r := byName["catalog-search"]; !strings.HasPrefix(r.Checked, "hits") {
			t.Errorf("catalog-search: checked %q", r.Checked)
		}
		if rep.Built == nil || rep.Built.Records != 3000 || rep.Built.CatalogEntries != 600 || rep.Built.RecordEntries != 12 {
			t.Errorf("built %+v, want 3,000 records in 12 entries and 600 catalog entries", rep.Built)
		}
		if rep.Records < 3000 || rep.CatalogEntries != 600 || rep.Departments != 200 {
			t.Errorf("%d records, %d catalog entries, %d departments", rep.Records, rep.CatalogEntries, rep.Departments)
		}
		if rep.PeakRSSMiB <= 0 || rep.PeakAnonMiB <= 0 {
			t.Errorf("peak RSS %v, anonymous %v", rep.PeakRSSMiB, rep.PeakAnonMiB)
		}
		for _, m := range bench.Unavailable() {
			if !strings.Contains(out.String(), m.Scenario+" ") || !strings.Contains(out.String(), "not available yet") {
				t.Errorf("output does not say that %s is not available", m.Scenario)
			}
		}

		// A second run reuses everything, and goes on adding new subjects
		// where the first stopped.
		out.Reset()
		cfg := small(100*time.Millisecond, &out)
		cfg.Only = []string{"records-query", "records-ingest"}
		rep2, err := bench.Run(t.Context(), db, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if rep2.Built != nil || !strings.Contains(out.String(), "reused from an earlier run") || len(rep2.Results) != 3 {
			t.Errorf("second run: built %+v, %d results; want nothing built and records-query with its baseline and records-ingest:\n%s",
				rep2.Built, len(rep2.Results), out.String())
		}
		for _, r := range rep2.Results {
			if r.Errors != 0 {
				t.Errorf("second run: %s: %d errors (%s)", r.Scenario, r.Errors, r.FirstError)
			}
		}
	})
}

// TestPrepareReuses checks that Prepare builds only what is missing: a
// larger population tops the database up.
func TestPrepareReuses(t *testing.T) {
	db := sqldbtest.SQLite(t)
	cfg := small(0, nil)
	cfg.Records, cfg.Entries = 1000, 100
	f, err := bench.Prepare(t.Context(), db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f.Built.Records != 1000 || f.Built.CatalogEntries != 100 || f.Built.Departments != 200 {
		t.Errorf("first Prepare built %+v", f.Built)
	}
	f, err = bench.Prepare(t.Context(), db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f.Built != (bench.Built{}) {
		t.Errorf("second Prepare built %+v, want nothing", f.Built)
	}
	cfg.Records, cfg.Entries = 3000, 150
	f, err = bench.Prepare(t.Context(), db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f.Built.Records != 2000 || f.Built.CatalogEntries != 50 || f.Built.Departments != 0 {
		t.Errorf("third Prepare built %+v, want 2,000 records and 50 catalog entries", f.Built)
	}
	// Records of another population (demo identifiers of another version,
	// as when migrants got IDs of other regions: the first and last
	// subjects the same, some between them not) are named, not measured.
	err = db.Tx(t.Context(), func(tx *sqldb.Tx) error {
		_, err := tx.ExecContext(t.Context(), `UPDATE record_versions SET subject_id = 'x' || subject_id
			WHERE entry_id = (SELECT min(entry_id) FROM record_versions) AND seq BETWEEN 100 AND 150`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = bench.Prepare(t.Context(), db, cfg); err == nil || !strings.Contains(err.Error(), "another version of hutong") {
		t.Errorf("Prepare on records of another population: %v, want them named", err)
	}
}

// TestPrepareTopsUpAPartEntry: a larger population tops up the entry that
// held the rest of the smaller one (its last subject missing, its first
// held): it is this version's population, not another's.
func TestPrepareTopsUpAPartEntry(t *testing.T) {
	db := sqldbtest.SQLite(t)
	cfg := small(0, nil)
	cfg.Records, cfg.Entries = 1100, 100 // 880 persons: entries of 400, 400 and 80; companies 100, 100 and 20
	if _, err := bench.Prepare(t.Context(), db, cfg); err != nil {
		t.Fatal(err)
	}
	// records-ingest adds subjects of its own to the entries, which are
	// no part of the population.
	cfg.Duration, cfg.Only = 300*time.Millisecond, []string{"records-ingest"}
	if _, err := bench.Run(t.Context(), db, cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Records = 1200 // 400, 400 and 160; 100, 100 and 40
	f, err := bench.Prepare(t.Context(), db, cfg)
	if err != nil {
		t.Fatalf("Prepare of a larger population: %v", err)
	}
	if f.Built.Records != 100 {
		t.Errorf("Prepare of a larger population built %+v, want 100 records", f.Built)
	}
}

// TestStartPostgres creates bench's own cluster, stops it, and starts it
// again on the same directory, where the database is still there.
func TestStartPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("initdb takes seconds")
	}
	// The server may run as the postgres user, which must reach the
	// directory: not under t.TempDir (0700).
	parent, err := os.MkdirTemp("", "benchpg")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(parent) })
	if err := os.Chmod(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(parent, "pg")
	var out strings.Builder
	pg, err := bench.StartPostgres(t.Context(), dir, &out)
	if errors.Is(err, bench.ErrNoPostgres) && os.Getenv("HUTONG_REQUIRE_PG") != "1" || errors.Is(err, bench.ErrNoOwnCluster) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqldb.Open(t.Context(), pg.DSN(), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "creating a cluster") {
		t.Errorf("first start: %q", out.String())
	}

	out.Reset()
	pg, err = bench.StartPostgres(t.Context(), dir, &out)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Stop()
	if out.String() != "" {
		t.Errorf("second start: %q, want nothing to report", out.String())
	}
	db, err = sqldb.Open(t.Context(), pg.DSN(), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	applied, err := db.Migrate(t.Context())
	if err != nil || len(applied) != 0 {
		t.Errorf("second start: migrations %v (%v), want none left to apply", applied, err)
	}
}

// The hot paths, in-process without the network: the authenticated lookup
// through the whole handler, the bare baseline, and an audited write.
func benchHandlers(b *testing.B, fn func(b *testing.B, f *bench.Fixture, h, base http.Handler)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var db *sqldb.DB
			if engine == "sqlite" {
				db = sqldbtest.SQLite(b)
			} else {
				db = sqldbtest.Postgres(b)
			}
			f, err := bench.Prepare(b.Context(), db, bench.Config{Departments: 1000, Records: 1000, Persons: 400,
				Companies: 100, Entries: 100})
			if err != nil {
				b.Fatal(err)
			}
			srv, err := server.New(server.Config{DB: db, Log: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			fn(b, f, srv, bench.Baseline(db))
		})
	}
}

func serveParallel(b *testing.B, h http.Handler, build func(n int) *http.Request) {
	var seq atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			req := build(int(seq.Add(1)))
			h.ServeHTTP(w, req)
			if w.Code/100 != 2 {
				b.Fatalf("%s %s: %d %s", req.Method, req.URL, w.Code, w.Body)
			}
		}
	})
}

func BenchmarkLookup(b *testing.B) {
	benchHandlers(b, func(b *testing.B, f *bench.Fixture, h, _ http.Handler) {
		serveParallel(b, h, func(n int) *http.Request {
			req := httptest.NewRequest("GET", fmt.Sprintf("/api/v1/departments/%d", f.Departments[n%len(f.Departments)]), nil)
			req.Header.Set("Authorization", "Bearer "+f.AdminKey)
			return req
		})
	})
}

func BenchmarkBaselineLookup(b *testing.B) {
	benchHandlers(b, func(b *testing.B, f *bench.Fixture, _, base http.Handler) {
		serveParallel(b, base, func(n int) *http.Request {
			return httptest.NewRequest("GET", fmt.Sprintf("/departments/%d", f.Departments[n%len(f.Departments)]), nil)
		})
	})
}

func BenchmarkAuditedWrite(b *testing.B) {
	benchHandlers(b, func(b *testing.B, f *bench.Fixture, h, _ http.Handler) {
		serveParallel(b, h, func(n int) *http.Request {
			body := fmt.Sprintf(`{"name":"基准%s-%d","department_id":%d,"scopes":["catalog.read"]}`, f.Run, n, f.DepartmentID)
			req := httptest.NewRequest("POST", "/api/v1/apps", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+f.AdminKey)
			req.Header.Set("Content-Type", "application/json")
			return req
		})
	})
}

func BenchmarkRecordsQuery(b *testing.B) {
	benchHandlers(b, func(b *testing.B, f *bench.Fixture, h, _ http.Handler) {
		read := bench.ReadRecord(f, "/api/v1/records/entries/", f.AdminKey)
		serveParallel(b, h, func(n int) *http.Request { return read(0, n) })
	})
}

func BenchmarkBaselineRecord(b *testing.B) {
	benchHandlers(b, func(b *testing.B, f *bench.Fixture, _, base http.Handler) {
		read := bench.ReadRecord(f, "/records/entries/", "")
		serveParallel(b, base, func(n int) *http.Request { return read(0, n) })
	})
}

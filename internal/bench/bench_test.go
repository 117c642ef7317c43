package bench_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
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

// TestRun runs every scenario briefly on both engines: all requests succeed
// and the figures are filled in.
func TestRun(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		var out strings.Builder
		rep, err := bench.Run(t.Context(), db, bench.Config{Duration: 300 * time.Millisecond, Concurrency: 4, Departments: 200, Out: &out})
		if err != nil {
			t.Fatal(err)
		}
		t.Log("\n" + out.String())
		if len(rep.Results) != len(bench.Scenarios()) {
			t.Fatalf("%d results, want one per scenario (%d)", len(rep.Results), len(bench.Scenarios()))
		}
		for _, r := range rep.Results {
			if r.Errors != 0 || r.Requests == 0 || r.P50ms <= 0 || r.P99ms < r.P50ms {
				t.Errorf("%s: %d requests, %d errors (%s), p50 %v p99 %v", r.Scenario, r.Requests, r.Errors, r.FirstError, r.P50ms, r.P99ms)
			}
			if r.Baseline != "" && r.VsBaseline <= 0 {
				t.Errorf("%s: no ratio to %s", r.Scenario, r.Baseline)
			}
		}
		if rep.PeakRSSMiB <= 0 {
			t.Errorf("peak RSS %v", rep.PeakRSSMiB)
		}
		// A second run reuses the seeded departments.
		rep2, err := bench.Run(t.Context(), db, bench.Config{Duration: 50 * time.Millisecond, Concurrency: 2, Departments: 200, Only: []string{"lookup"}})
		if err != nil {
			t.Fatal(err)
		}
		if rep2.Departments != 200 || len(rep2.Results) != 2 {
			t.Errorf("second run: %d departments, %d results; want 200 and lookup with its baseline", rep2.Departments, len(rep2.Results))
		}
	})
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
			f, err := bench.Prepare(b.Context(), db, 1000, nil)
			if err != nil {
				b.Fatal(err)
			}
			srv, err := server.New(server.Config{DB: db, Log: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
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

package catalog

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// benchQueries and benchResource are the generated catalog's queries and
// entries (bulk.go), under the names the search tests use.
var (
	benchQueries  = SampleQueries()
	benchResource = GenerateResource
)

// benchWidened are queries of several bigrams that few or no entries of
// the generated catalog hold whole, so that search widens them (wideSearch).
var benchWidened = []string{"食品许可证", "无犯罪证明", "不动产证明", "户口本", "婚姻证明"}

// realNames reads the names of real catalog entries when the shared data
// set is present, to mix into the generated ones.
func realNames(b testing.TB) []string {
	f, err := os.Open("/work/shared/realdata/catalog.csv")
	if err != nil {
		b.Log("real catalog names not available; using generated names only")
		return nil
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[0])
	}
	return out
}

// buildCatalog fills db with n generated published entries of 40
// departments (Generate).
func buildCatalog(b testing.TB, db *sqldb.DB, n int) {
	depts := benchDepartments(b, db)
	start := time.Now()
	if err := Generate(context.Background(), db, depts, n, rand.New(rand.NewPCG(1, 2)), realNames(b), nil); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d entries in %v", n, time.Since(start).Round(time.Second))
}

// benchDepartments creates a region and 40 departments in db and returns
// their ids.
func benchDepartments(b testing.TB, db *sqldb.DB) []int64 {
	ctx := context.Background()
	sys := audit.Actor{Kind: audit.ActorSystem, ID: "bench", Name: "bench"}
	var depts []int64
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		if err := org.CreateRegion(ctx, tx, sys, org.Region{Code: "440000", Name: "广东省", Level: org.Province}, time.Now()); err != nil {
			return err
		}
		for i := range 40 {
			d := org.Department{Name: "部门" + strconv.Itoa(i), USCC: fmt.Sprintf("11440000%09dX", i), RegionCode: "440000"}
			d.USCC = d.USCC[:17] + "0"
			if err := org.CreateDepartment(ctx, tx, sys, &d, time.Now()); err != nil {
				return err
			}
			depts = append(depts, d.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return depts
}

// BenchmarkSearch measures catalog search (with facets, as the API asks)
// on 100,000 entries per engine (HUTONG_BENCH_ENTRIES overrides), and
// reports the 50th and 95th percentile latency per kind of query.
func BenchmarkSearch(b *testing.B) {
	n := 100000
	if s := os.Getenv("HUTONG_BENCH_ENTRIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var db *sqldb.DB
			if engine == "sqlite" {
				db = sqldbtest.SQLite(b)
			} else {
				db = sqldbtest.Postgres(b)
			}
			buildCatalog(b, db, n)
			reader := Actor{Actor: audit.Actor{DepartmentID: 1}}
			for _, kind := range []string{"1char", "2char", "long", "browse", "widened"} {
				qs := benchQueries[kind]
				switch kind {
				case "browse":
					qs = []string{""}
				case "widened":
					qs = benchWidened
				}
				b.Run(kind, func(b *testing.B) {
					var lat []time.Duration
					hits := 0
					for i := 0; b.Loop(); i++ {
						t := time.Now()
						p, err := Search(context.Background(), db.Read(), reader, Query{Text: qs[i%len(qs)], Facets: true})
						if err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(t))
						hits += p.Total
					}
					slices.Sort(lat)
					ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
					b.ReportMetric(ms(0.50), "p50-ms")
					b.ReportMetric(ms(0.95), "p95-ms")
					b.ReportMetric(float64(hits)/float64(len(lat)), "hits/op")
				})
			}
		})
	}
}

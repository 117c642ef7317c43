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
	"github.com/hutong-gov/hutong/internal/ident"
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

// benchBroad are one- and two-character queries that most of the generated
// catalog's entries hold, and a widened one whose bigram 户口 a third of
// them hold (in item names mostly): the most postings a query reads.
var benchBroad = []string{"登记", "证", "户籍", "户口本"}

// benchCodePrefixes are prefixes of the generated catalog's resource codes
// (classification 3, category 01–30, subcategory 001): a classification
// code (a thirtieth of the catalog), the same with its "/", and one holding
// part of the sequence (99 entries).
var benchCodePrefixes = []string{"305001", "317001/", "330001/0000"}

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
	start := time.Now()
	if err := generateCatalog(context.Background(), db, n, realNames(b)); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d entries in %v", n, time.Since(start).Round(time.Second))
}

// generateCatalog is buildCatalog returning its error: a region, 40
// departments and n generated published entries among them, mixing names
// in.
func generateCatalog(ctx context.Context, db *sqldb.DB, n int, names []string) error {
	depts, err := createBenchDepartments(ctx, db)
	if err != nil {
		return err
	}
	return Generate(ctx, db, depts, n, rand.New(rand.NewPCG(1, 2)), names, nil)
}

// eachCatalog is sqldbtest.Each on a database holding what buildCatalog
// writes with n entries: the catalog is generated once per engine in the
// test binary and each test gets its own copy (sqldbtest.EachFilled), where
// each test generated its own (1,500 entries took 2 to 13 s each under
// load, a fifth of such a test).
func eachCatalog(t *testing.T, n int, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	names := realNames(t)
	sqldbtest.EachFilled(t, "catalog "+strconv.Itoa(n), func(ctx context.Context, db *sqldb.DB) error {
		return generateCatalog(ctx, db, n, names)
	}, fn)
}

// benchDepartments creates a region and 40 departments in db and returns
// their ids.
func benchDepartments(b testing.TB, db *sqldb.DB) []int64 {
	depts, err := createBenchDepartments(context.Background(), db)
	if err != nil {
		b.Fatal(err)
	}
	return depts
}

// createBenchDepartments is benchDepartments returning its error.
func createBenchDepartments(ctx context.Context, db *sqldb.DB) ([]int64, error) {
	sys := audit.Actor{Kind: audit.ActorSystem, ID: "bench", Name: "bench"}
	var depts []int64
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		if err := org.CreateRegion(ctx, tx, sys, &org.Region{Code: "440000", Name: "广东省", Level: org.Province}, time.Now()); err != nil {
			return err
		}
		for i := range 40 {
			first17 := fmt.Sprintf("11440000%09d", i)
			check, err := ident.USCCCheck(first17)
			if err != nil {
				return err
			}
			d := org.Department{Name: "部门" + strconv.Itoa(i), USCC: first17 + string(check), RegionCode: "440000"}
			if err := org.CreateDepartment(ctx, tx, sys, &d, time.Now()); err != nil {
				return err
			}
			depts = append(depts, d.ID)
		}
		return nil
	})
	return depts, err
}

// BenchmarkSearch measures catalog search (with facets, as the API asks)
// on 100,000 entries per engine (HUTONG_BENCH_ENTRIES overrides), and
// reports the 50th and 95th percentile latency per kind of query, and per
// broad query (benchBroad: broad/登记 …).
func BenchmarkSearch(b *testing.B) {
	onBenchCatalog(b, func(b *testing.B, db *sqldb.DB, reader Actor) {
		for _, kind := range []string{"1char", "2char", "long", "browse", "widened", "code_prefix"} {
			qs := benchQueries[kind]
			switch kind {
			case "browse":
				qs = []string{""}
			case "widened":
				qs = benchWidened
			case "code_prefix":
				qs = benchCodePrefixes
			}
			b.Run(kind, func(b *testing.B) { benchSearch(b, db, reader, qs) })
		}
		for _, q := range benchBroad {
			b.Run("broad/"+q, func(b *testing.B) { benchSearch(b, db, reader, []string{q}) })
		}
		b.Run("review", func(b *testing.B) { benchReviewQueue(b, db) })
	})
}

// onBenchCatalog runs f on each engine over the catalog buildCatalog makes
// of 100,000 entries (HUTONG_BENCH_ENTRIES overrides), as a reader of
// department 1.
func onBenchCatalog(b *testing.B, f func(b *testing.B, db *sqldb.DB, reader Actor)) {
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
			f(b, db, Actor{Actor: audit.Actor{DepartmentID: 1}})
		})
	}
}

// benchSearch searches for each of qs in turn, with facets, as reader,
// and reports the 50th and 95th percentile latency and the hits per query.
func benchSearch(b *testing.B, db *sqldb.DB, reader Actor, qs []string) {
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
	reportLatency(b, lat)
	b.ReportMetric(float64(hits)/float64(len(lat)), "hits/op")
}

// benchReviewQueue measures the review queue (status submitted: the
// console's 待审核 tab, with facets, and the home page's count of it) over
// the catalog that BenchmarkSearch built, once queueForReview has filled
// it, and reports the 50th and 95th percentile latency of each query.
func benchReviewQueue(b *testing.B, db *sqldb.DB) {
	ctx := context.Background()
	want := queueForReview(b, db)
	reviewer := Actor{Actor: audit.Actor{DepartmentID: 1}, Reviewer: true}
	for _, kind := range []struct {
		name  string
		query Query
	}{
		{"list", Query{Statuses: []Status{Submitted}, Facets: true}},
		{"count", Query{Statuses: []Status{Submitted}, Limit: 1, Count: true}},
	} {
		b.Run(kind.name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				t := time.Now()
				p, err := Search(ctx, db.Read(), reviewer, kind.query)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t))
				if p.Total != want {
					b.Fatalf("review queue: %d entries, want %d", p.Total, want)
				}
			}
			reportLatency(b, lat)
		})
	}
}

// queueForReview submits, through the lifecycle, a revision of every
// 200th entry of the catalog that buildCatalog built (revision_state
// submitted, migration 0027) and 100 new entries, and returns how many
// entries are then in the review queue.
func queueForReview(b *testing.B, db *sqldb.DB) int {
	ctx := context.Background()
	type entry struct{ id, dept int64 }
	var revise []entry
	rows, err := db.Read().QueryContext(ctx, `SELECT id, department_id FROM catalog_entries WHERE id % 200 = 0 ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.id, &e.dept); err != nil {
			b.Fatal(err)
		}
		revise = append(revise, e)
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	editor := func(dept int64) Actor {
		return Actor{Actor: audit.Actor{Kind: audit.ActorUser, ID: "bench", Name: "bench", DepartmentID: dept}, Editor: true}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	now := time.Now()
	start := time.Now()
	for i, e := range revise {
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			by := editor(e.dept)
			cur, err := Get(ctx, tx, by, e.id)
			if err != nil {
				return err
			}
			r := cur.Resource
			r.Name += "（修订" + strconv.Itoa(i) + "）"
			valid(&r)
			if _, err := Update(ctx, tx, by, e.id, r, now); err != nil {
				return err
			}
			_, err = Submit(ctx, tx, by, e.id, now)
			return err
		})
		if err != nil {
			b.Fatalf("revise entry %d: %v", e.id, err)
		}
	}
	for i := range 100 {
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			by := editor(revise[i%len(revise)].dept)
			r := GenerateResource(rng, nil)
			r.Name += "（新编" + strconv.Itoa(i) + "）"
			valid(&r)
			e, err := Create(ctx, tx, by, by.DepartmentID, r, now)
			if err != nil {
				return err
			}
			_, err = Submit(ctx, tx, by, e.ID, now)
			return err
		})
		if err != nil {
			b.Fatalf("new entry %d: %v", i, err)
		}
	}
	if err := db.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("queued %d revisions and 100 new entries in %v", len(revise), time.Since(start).Round(time.Second))
	return len(revise) + 100
}

// reportLatency reports the 50th and 95th percentile of lat in ms.
func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.95), "p95-ms")
}

// valid completes a generated resource (GenerateResource, whose entries are
// stored without validation) so that the lifecycle accepts it.
func valid(r *Resource) {
	r.ShareScope = "全区政务部门"
	if r.ShareType == Conditional {
		r.ShareConditions = "用于办理相关政务服务事项"
	}
	r.OpenAttribute = NotOpen
	if r.UpdateFrequency == FrequencyOther {
		r.FrequencyOther = "每三年"
	}
	if r.Domain == DomainOther {
		r.DomainOther = "其他领域"
	}
}

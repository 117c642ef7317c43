package catalog

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestGenerateMatchesOneByOne checks that the bulk path (generate,
// publishChunk) writes exactly the rows PublishGenerated writes one entry
// at a time, on a second database: entries, versions, search postings with
// their copied columns, item keys, facet counts and code sequences, and
// that search then gives the same results on both.
func TestGenerateMatchesOneByOne(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, bulk *sqldb.DB) {
		ctx := context.Background()
		one := sqldbtest.SQLite(t)
		if bulk.Dialect == sqldb.Postgres {
			one = sqldbtest.Postgres(t)
		}
		depts := benchDepartments(t, bulk)
		if got := benchDepartments(t, one); !slices.Equal(got, depts) {
			t.Fatalf("departments %v and %v", depts, got)
		}
		// Times with nanoseconds: PostgreSQL keeps microseconds.
		first := time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC)
		crafted := craftedEntries(depts, first.Add(-time.Hour))
		names := []string{"出生医学证明", "GIS地理信息ABC", "ｅ社保缴费明细", crafted[0].r.Name}
		const n = 300

		for _, e := range crafted {
			publishOne(t, one, e)
		}
		rng := rand.New(rand.NewPCG(7, 8))
		for i := range n {
			r := GenerateResource(rng, names)
			publishOne(t, one, generated{departmentID: depts[rng.IntN(len(depts))], r: r,
				at: first.Add(time.Duration(i) * time.Minute)})
		}

		// The first chunk without COPY on PostgreSQL (as when the
		// transaction is the caller's), the second with it.
		for _, c := range [][]generated{crafted[:3], crafted[3:]} {
			err := bulk.TxRaw(ctx, func(tx *sqldb.Tx, raw func(func(any) error) error) error {
				if len(c) == 3 {
					raw = nil
				}
				chunk, err := newChunk(bulk.Dialect, c)
				if err != nil {
					return err
				}
				_, err = publishChunk(ctx, tx, raw, chunk)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		var steps []int
		err := generate(ctx, bulk, depts, n, rand.New(rand.NewPCG(7, 8)), names, first, 128,
			func(done int) { steps = append(steps, done) })
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{128, 256, 300}; !slices.Equal(steps, want) {
			t.Errorf("progress %v, want %v", steps, want)
		}

		for _, table := range []string{"catalog_entries", "catalog_entry_versions", "catalog_search_tokens",
			"catalog_item_keys", "catalog_facet_counts", "catalog_code_sequences"} {
			want, got := dumpTable(t, one, table), dumpTable(t, bulk, table)
			if len(want) == 0 {
				t.Errorf("%s: no rows", table)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (-one at a time +bulk):\n%s", table, diff)
			}
		}

		for _, text := range []string{crafted[0].r.Name, "出生医学证明", "GIS", "社保", "证", "户籍 登记", ""} {
			q := Query{Text: text, Facets: true, Limit: 100}
			want, err := Search(ctx, one.Read(), Actor{}, q)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Search(ctx, bulk.Read(), Actor{}, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Items) == 0 {
				t.Errorf("%q: no hits", text)
			}
			if !reflect.DeepEqual(ids(got), ids(want)) || got.Total != want.Total || !reflect.DeepEqual(got.Facets, want.Facets) {
				t.Errorf("%q: bulk %v total %d facets %v, one at a time %v total %d facets %v", text,
					ids(got), got.Total, got.Facets, ids(want), want.Total, want.Facets)
			}
		}
		p, err := Search(ctx, bulk.Read(), Actor{}, Query{Text: crafted[0].r.Name})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) == 0 || p.Items[0].Name != crafted[0].r.Name {
			t.Errorf("search %q: first hit %v", crafted[0].r.Name, p.Items)
		}
	})
}

// TestGenerateCanceled checks that generate stops when its context is
// canceled, leaving whole chunks.
func TestGenerateCanceled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		depts := benchDepartments(t, db)
		err := generate(ctx, db, depts, 100, rand.New(rand.NewPCG(1, 2)), nil, time.Now(), 30, func(done int) {
			if done == 30 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("generate: %v, want context.Canceled", err)
		}
		var entries, indexed int
		err = db.Read().QueryRowContext(context.Background(), `SELECT (SELECT COUNT(*) FROM catalog_entries),
			(SELECT COUNT(DISTINCT entry_id) FROM catalog_search_tokens)`).Scan(&entries, &indexed)
		if err != nil {
			t.Fatal(err)
		}
		if entries != 30 || indexed != 30 {
			t.Errorf("%d entries, %d indexed, want 30", entries, indexed)
		}
	})
}

// craftedEntries are entries that generated ones are not: about subjects
// (item keys, with an identifying item, synonyms and a repeated key), with
// ASCII and full-width words, and with coded values outside their
// vocabularies (attrs packed as unknown).
func craftedEntries(depts []int64, at time.Time) []generated {
	rng := rand.New(rand.NewPCG(5, 6))
	person := GenerateResource(rng, nil)
	person.Name, person.Abstract = "户籍人口基本信息ABC", "辖区户籍人口的ＧＩＳ坐标与Census 2020数据"
	person.SubjectKind = Person
	person.Items = []Item{{Name: "公民身份号码", IdentifiesSubject: true}, {Name: "姓名"}, {Name: "身份证号"},
		{Name: "名字"}, {Name: "出生日期"}}
	company := GenerateResource(rng, nil)
	company.SubjectKind = LegalEntity
	company.Items = []Item{{Name: "统一社会信用代码", IdentifiesSubject: true}, {Name: "企业名称"}, {Name: "注册资金"},
		{Name: "经营范围"}}
	odd := GenerateResource(rng, nil)
	odd.Domain, odd.UpdateFrequency, odd.SecurityLevel = "77", "hourly", 9
	odd.OpenAttribute, odd.ShareType, odd.SubjectKind = "maybe", "sometimes", "robot"
	odd.ShareMethods = []ShareMethod{"query", "file", "fax"}
	same := GenerateResource(rng, nil)
	same.Name = person.Name
	other := GenerateResource(rng, nil)
	other.SubjectKind = Person
	var out []generated
	for i, r := range []Resource{person, company, odd, same, other} {
		out = append(out, generated{departmentID: depts[i], r: r, at: at.Add(time.Duration(i) * time.Second)})
	}
	return out
}

func publishOne(t *testing.T, db *sqldb.DB, e generated) {
	t.Helper()
	err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
		_, err := PublishGenerated(context.Background(), tx, e.departmentID, e.r, e.at)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// dumpTable returns the rows of table as text, sorted.
func dumpTable(t *testing.T, db *sqldb.DB, table string) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := db.Read().QueryContext(ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := rows.Columns()
	rows.Close()
	if err != nil {
		t.Fatal(err)
	}
	exprs := make([]string, len(cols))
	for i, c := range cols {
		exprs[i] = `COALESCE(CAST(` + c + ` AS TEXT), 'NULL')`
	}
	rows, err = db.Read().QueryContext(ctx, `SELECT `+strings.Join(exprs, ` || '|' || `)+` FROM `+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

package demo_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

// seededAt is the time the tests seed the demo at: 2026-03-02 09:00 UTC.
var seededAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// eachSeeded is sqldbtest.Each with databases where the demo is seeded
// as at seededAt: copies of one seeded once per engine in the test binary
// (sqldbtest.EachFilled), which the tests reading the seeded demo share,
// since seeding took longer than any of them.
func eachSeeded(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	sqldbtest.EachFilled(t, "demo", func(ctx context.Context, db *sqldb.DB) error {
		_, err := demo.Seed(ctx, db, seededAt)
		return err
	}, fn)
}

func TestSeedCatalog(t *testing.T) {
	eachSeeded(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		page, err := catalog.Search(ctx, db.Read(), catalog.Actor{}, catalog.Query{Facets: true, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total < 60 {
			t.Errorf("published entries = %d, want at least 60", page.Total)
		}
		if n := len(page.Facets["department_id"]); n < 10 {
			t.Errorf("departments with entries = %d, want at least 10", n)
		}
		hits, err := catalog.Search(ctx, db.Read(), catalog.Actor{}, catalog.Query{Text: "户籍"})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits.Items) == 0 || hits.Items[0].Name != "户籍人口基本信息" {
			t.Errorf("search 户籍: got %+v, want 户籍人口基本信息 first", hits.Items)
		}
	})
}

package demo_test

import (
	"os"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

// seedDemo seeds the demo in db as on 2026-03-02 09:00 UTC, which it
// answers, failing the test if it cannot.
func seedDemo(t *testing.T, db *sqldb.DB) time.Time {
	t.Helper()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if _, err := demo.Seed(t.Context(), db, now); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return now
}

func TestSeedCatalog(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		seedDemo(t, db)
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

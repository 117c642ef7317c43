package demo_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestSeedRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 100,000 persons")
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)
		if _, err := demo.Seed(ctx, db, now); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := demo.SeedRecords(ctx, db, now, io.Discard); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		t.Logf("demo records in %s", took)
		if took > time.Minute {
			t.Errorf("demo records took %s, want under a minute", took)
		}
		var persons, companies int
		db.Read().QueryRowContext(ctx, `SELECT count(DISTINCT subject_id) FROM record_versions r JOIN catalog_entries c ON c.id = r.entry_id
			WHERE c.subject_kind = 'person'`).Scan(&persons)
		db.Read().QueryRowContext(ctx, `SELECT count(DISTINCT subject_id) FROM record_versions r JOIN catalog_entries c ON c.id = r.entry_id
			WHERE c.subject_kind = 'legal_entity'`).Scan(&companies)
		if persons < demo.DemoPersons || companies < demo.DemoCompanies {
			t.Errorf("persons %d, companies %d; want at least %d and %d", persons, companies, demo.DemoPersons, demo.DemoCompanies)
		}
		open, err := records.Discrepancies(ctx, db.Read(), records.DiscrepancyFilter{Status: "open", Limit: 1000}, now)
		if err != nil || len(open) == 0 {
			t.Errorf("no deliberate discrepancies found: %v", err)
		}
		q, err := records.DepartmentQuality(ctx, db.Read(), nil, 0, now)
		if err != nil {
			t.Fatal(err)
		}
		late := int64(0)
		for _, d := range q {
			late += d.LateOps
		}
		if late == 0 {
			t.Errorf("no late pushes in the demo")
		}
		t.Logf("%d persons, %d companies, %d open discrepancies (first page), %d late operations", persons, companies, len(open), late)
	})
}

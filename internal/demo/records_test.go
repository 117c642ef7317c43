package demo_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// interrupter cancels a context at the first progress update, which
// comes once the first entry's batch has committed.
type interrupter struct{ cancel context.CancelFunc }

func (w interrupter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), "条操作") {
		w.cancel()
	}
	return len(p), nil
}

// TestSeedRecords seeds the demo records, interrupted after the first
// entry as by Ctrl-C on the first start of hutong demo, then resumes three
// months later. The records are as of the end of the month before the
// first run (demo.AsOf), the resumed ones too: the next inspections of
// special equipment (下次检验日期) are within a year after it. They were
// as of 2025-12-31 whenever the demo was seeded.
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
		// Entries that take records but hold none yet.
		empty := func() int {
			t.Helper()
			var n int
			err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM catalog_entries e WHERE e.status = 'published'
				AND e.subject_kind IN ('person', 'legal_entity') AND NOT EXISTS (SELECT 1 FROM record_versions r WHERE r.entry_id = e.id)`).Scan(&n)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		entries := empty()
		start := time.Now()
		cctx, cancel := context.WithCancel(ctx)
		filled, err := demo.SeedRecords(cctx, db, now, interrupter{cancel})
		cancel()
		if !errors.Is(err, context.Canceled) || filled != 1 {
			t.Fatalf("interrupted SeedRecords: filled %d, %v; want 1 and context.Canceled", filled, err)
		}
		if n := empty(); n != entries-1 {
			t.Fatalf("after the interruption %d of %d entries are empty, want %d", n, entries, entries-1)
		}
		filled, err = demo.SeedRecords(ctx, db, now.AddDate(0, 3, 0), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		asOf := demo.AsOf(now)
		rows, err := db.Read().QueryContext(ctx, `SELECT r.vals FROM record_versions r JOIN catalog_entries c ON c.id = r.entry_id
			WHERE c.name = '特种设备使用登记信息' AND r.op = 'add'`)
		if err != nil {
			t.Fatal(err)
		}
		inspections := 0
		for rows.Next() {
			var vals string
			var v map[string]string
			if err := rows.Scan(&vals); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(vals), &v); err != nil {
				t.Fatal(err)
			}
			inspections++
			if d := v["下次检验日期"]; d <= asOf.Format("2006-01-02") || d > asOf.AddDate(1, 0, 0).Format("2006-01-02") {
				t.Errorf("下次检验日期 %s, want within a year after %s", d, asOf.Format("2006-01-02"))
				break
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil || inspections == 0 {
			t.Errorf("%d special equipment registrations, %v", inspections, err)
		}
		t.Logf("demo records in %s", time.Since(start))
		if n := empty(); filled != entries-1 || n != 0 {
			t.Errorf("resumed SeedRecords filled %d entries and left %d empty; want %d and 0", filled, n, entries-1)
		}
		var versions int
		db.Read().QueryRowContext(ctx, `SELECT count(*) FROM record_versions`).Scan(&versions)
		start = time.Now()
		var out strings.Builder
		if filled, err := demo.SeedRecords(ctx, db, now, &out); err != nil || filled != 0 || out.Len() != 0 {
			t.Errorf("SeedRecords on a complete demo: filled %d, %v, printed %q", filled, err, out.String())
		}
		t.Logf("SeedRecords on a complete demo took %s", time.Since(start))
		var again int
		db.Read().QueryRowContext(ctx, `SELECT count(*) FROM record_versions`).Scan(&again)
		if again != versions {
			t.Errorf("SeedRecords on a complete demo changed the record versions from %d to %d", versions, again)
		}
		var persons, companies int
		db.Read().QueryRowContext(ctx, `SELECT count(DISTINCT subject_id) FROM record_versions r JOIN catalog_entries c ON c.id = r.entry_id
			WHERE c.subject_kind = 'person'`).Scan(&persons)
		db.Read().QueryRowContext(ctx, `SELECT count(DISTINCT subject_id) FROM record_versions r JOIN catalog_entries c ON c.id = r.entry_id
			WHERE c.subject_kind = 'legal_entity'`).Scan(&companies)
		if persons < demo.DemoPersons || companies < demo.DemoCompanies {
			t.Errorf("persons %d, companies %d; want at least %d and %d", persons, companies, demo.DemoPersons, demo.DemoCompanies)
		}
		// The dead (死亡医学证明信息) and those whose registration moved
		// out of the district (户口迁移登记信息, 迁出) have their household
		// registration cancelled (户口注销) and their identity card, and
		// only they.
		var deaths, movedOut, cancelled, cancelledOut, all, cards int
		count := func(q string, n *int) {
			t.Helper()
			if err := db.Read().QueryRowContext(ctx, q).Scan(n); err != nil {
				t.Fatal(err)
			}
		}
		const theDead = `SELECT d.subject_id FROM record_versions d JOIN catalog_entries dc ON dc.id = d.entry_id
			WHERE dc.name = '死亡医学证明信息'`
		const theMovedOut = `SELECT m.subject_id FROM record_versions m JOIN catalog_entries mc ON mc.id = m.entry_id
			WHERE mc.name = '户口迁移登记信息' AND m.vals LIKE '%"迁移类型":"迁出"%'`
		const cancels = `SELECT count(*) FROM record_versions r JOIN catalog_entries c ON c.id = r.entry_id
			WHERE r.op = 'cancel' AND c.name = `
		count(`SELECT count(DISTINCT subject_id) FROM (`+theDead+`) d`, &deaths)
		count(`SELECT count(DISTINCT subject_id) FROM (`+theMovedOut+`) m`, &movedOut)
		count(cancels+`'户籍人口基本信息' AND r.subject_id IN (`+theDead+`)`, &cancelled)
		count(cancels+`'户籍人口基本信息' AND r.subject_id IN (`+theMovedOut+`)`, &cancelledOut)
		count(cancels+`'户籍人口基本信息'`, &all)
		count(cancels+`'居民身份证信息'`, &cards)
		if deaths == 0 || movedOut == 0 || cancelled != deaths || cancelledOut != movedOut || all != deaths+movedOut || cards != all {
			t.Errorf("%d deaths, %d moved out, %d household registrations cancelled (%d of the dead, %d of those who moved out), %d identity cards",
				deaths, movedOut, all, cancelled, cancelledOut, cards)
		}
		open, _, err := records.Discrepancies(ctx, db.Read(), records.DiscrepancyFilter{Status: "open", Limit: 1000}, now)
		if err != nil || len(open) == 0 {
			t.Errorf("no deliberate discrepancies found: %v", err)
		}
		// The deliberate discrepancies are the names written differently
		// (姓名, 企业名称) and only they: items of unrelated entries that
		// only share a name (许可证编号 of a food business licence and of
		// a land-use planning permit) are not compared.
		rows, err = db.Read().QueryContext(ctx, `SELECT d.item_key, a.name, b.name, count(*) FROM record_discrepancies d
			JOIN catalog_entries a ON a.id = d.entry_a JOIN catalog_entries b ON b.id = d.entry_b
			WHERE d.status = 'open' GROUP BY d.item_key, a.name, b.name ORDER BY d.item_key, a.name, b.name`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var key, a, b string
			var n int
			if err := rows.Scan(&key, &a, &b, &n); err != nil {
				t.Fatal(err)
			}
			if key != "姓名" && key != "企业名称" {
				t.Errorf("%d open discrepancies of %s between %s and %s, not a deliberate one", n, key, a, b)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatal(err)
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
		t.Logf("%d persons, %d companies, %d open discrepancies (first page), %d late operations, %d deaths, %d moved out",
			persons, companies, len(open), late, deaths, movedOut)
	})
}

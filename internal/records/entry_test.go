package records_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestEntryCache: an entry read once is served from the cache for
// EntryCacheTTL, even when another process changed its row meanwhile; a
// change through the catalog in this process is seen at once; an entry
// that cannot be read is not remembered.
func TestEntryCache(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		dept := recordstest.Department(t, db, "测试局", 1)
		t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		r := catalog.GenerateResource(rand.New(rand.NewPCG(1, 2)), nil)
		r.ShareType = catalog.Unconditional
		var id int64
		if err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			id, err = catalog.PublishGenerated(ctx, tx, dept, r, t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var c records.EntryCache
		load := func(at time.Duration) (*records.Entry, error) {
			t.Helper()
			return c.Load(ctx, db.Read(), id, t0.Add(at))
		}
		if e, err := load(0); err != nil || e.ShareType != "unconditional" {
			t.Fatalf("first load: %+v, %v", e, err)
		}

		// Another process (here: a statement outside the catalog) changes
		// the share type: seen only once the cached read has expired.
		if _, err := db.Write().ExecContext(ctx, `UPDATE catalog_entries SET share_type = 'none' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		if e, err := load(records.EntryCacheTTL - time.Millisecond); err != nil || e.ShareType != "unconditional" {
			t.Fatalf("within the TTL: %+v, %v; want the entry as read first", e, err)
		}
		if e, err := load(records.EntryCacheTTL); err != nil || e.ShareType != "none" {
			t.Fatalf("after the TTL: %+v, %v; want share type none", e, err)
		}

		// Retired through the catalog: refused at once, and not remembered.
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := catalog.Retire(ctx, tx, catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test"}, Operator: true},
				id, "不再提供", t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Duration{records.EntryCacheTTL, records.EntryCacheTTL + time.Millisecond} {
			if _, err := load(at); code(err) != "entry_not_published" {
				t.Fatalf("retired entry at +%v: %v; want entry_not_published", at, err)
			}
		}
		if _, err := c.Load(ctx, db.Read(), id+1000, t0); code(err) != "entry_not_found" {
			t.Fatalf("unknown entry: %v; want entry_not_found", err)
		}
	})
}

// code is err's stable code, or "" for nil and errors without one.
func code(err error) string {
	if e := errs.As(err); e != nil {
		return e.Code
	}
	return ""
}

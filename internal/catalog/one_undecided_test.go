package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestOneUndecidedConflict: a version with a single undecided one-source
// conflict, beside one the system decided for the item's existing one
// source, is refused 409 source_conflicts_undecided naming that item, as
// one with several is; it stays submitted and the one sources recorded
// stay as they were. Decided, it is approved and becomes the item's one
// source, the other item keeping its own.
func TestOneUndecidedConflict(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		sources := func() map[string]int64 {
			t.Helper()
			rows, err := db.Read().QueryContext(ctx, `SELECT item_key, entry_id FROM catalog_authoritative_items`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			out := map[string]int64{}
			for rows.Next() {
				var key string
				var id int64
				if err := rows.Scan(&key, &id); err != nil {
					t.Fatal(err)
				}
				out[key] = id
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			return out
		}
		decide := func(e catalog.Entry, c catalog.Conflict, source int64) {
			t.Helper()
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := catalog.Decide(ctx, tx, w.operator, e.ID, c.ID, source, t0)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		submit := func(by catalog.Actor, r catalog.Resource) (catalog.Entry, map[string]catalog.Conflict) {
			t.Helper()
			e := create(t, w, by, r)
			mustStep(t, w, "submit "+r.Name, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
				return catalog.Submit(ctx, tx, by, e.ID, t0)
			})
			return e, conflictsByName(t, w, e.ID)
		}

		// The police's 姓名 becomes the one source of names.
		police := publish(t, w, w.gaj, household())
		names := insured()
		names.Name, names.Items = "医疗保险参保信息", names.Items[:2]
		market, cs := submit(w.scj, names)
		decide(market, cs["名字"], police.ID)
		mustStep(t, w, "approve the names", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, market.ID, t0)
		})
		before := sources()
		if len(before) != 1 || before["姓名"] != police.ID {
			t.Fatalf("one sources %v, want 姓名 of the police", before)
		}

		// 名字 starts decided for the police, 出生年月日 alone is undecided.
		welfare, cs := submit(w.rsj, insured())
		if len(cs) != 2 || cs["名字"].AuthoritativeEntryID != police.ID || cs["出生年月日"].Decided() {
			t.Fatalf("conflicts %+v, want 名字 decided for the police and 出生年月日 undecided", cs)
		}
		_, err := step(w, func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, welfare.ID, t0)
		})
		e := errs.As(err)
		if e == nil || e.Kind != errs.Conflict || e.Code != "source_conflicts_undecided" ||
			!strings.Contains(e.Message, "还有 1 个信息项") || !strings.Contains(e.Message, "（出生年月日）") {
			t.Fatalf("approve with one undecided conflict: %v, want 409 source_conflicts_undecided naming 出生年月日", err)
		}
		if got, err := catalog.Get(ctx, db.Read(), w.operator, welfare.ID); err != nil || got.Status != catalog.Submitted {
			t.Errorf("refused entry %s (%v), want still submitted", got.Status, err)
		}
		if after := sources(); len(after) != 1 || after["姓名"] != police.ID {
			t.Errorf("one sources after the refusal %v, want only 姓名 of the police", after)
		}

		decide(welfare, cs["出生年月日"], welfare.ID)
		mustStep(t, w, "approve once decided", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, welfare.ID, t0)
		})
		if after := sources(); len(after) != 2 || after["姓名"] != police.ID || after["出生日期"] != welfare.ID {
			t.Errorf("one sources after the approval %v, want 姓名 of the police, 出生日期 of the insurance entry", after)
		}
	})
}

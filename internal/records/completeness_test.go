package records_test

import (
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestStoreCompleteness: the completeness of an entry counted for another
// version than the one published now, as migration 0023 leaves every entry
// (fill_version 0) and a republication leaves one, is counted again on
// every quality read until StoreCompleteness stores it, once; the reads
// answer the same before and after, and a batch since is kept.
func TestStoreCompleteness(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		stats := func() (filled, items, fillVersion int64) {
			t.Helper()
			if err := db.Read().QueryRowContext(f.ctx, `SELECT filled_values, item_count, fill_version FROM record_entry_stats
				WHERE entry_id = $1`, f.hj).Scan(&filled, &items, &fillVersion); err != nil {
				t.Fatal(err)
			}
			return
		}
		var version int64
		current := func(what string, wantFilled, wantItems int64) {
			t.Helper()
			if err := db.Read().QueryRowContext(f.ctx, `SELECT version FROM catalog_entries WHERE id = $1`, f.hj).Scan(&version); err != nil {
				t.Fatal(err)
			}
			if filled, items, fv := stats(); filled != wantFilled || items != wantItems || fv != version {
				t.Errorf("%s: stored %d values of %d items for version %d; want %d of %d for version %d", what, filled, items, fv,
					wantFilled, wantItems, version)
			}
		}
		completeness := func(what string, want float64) {
			t.Helper()
			qs, err := records.EntryQuality(f.ctx, db.Read(), nil, f.hj, 0, f.receivedAt)
			if err != nil || len(qs) != 1 || qs[0].Completeness != want {
				t.Errorf("%s: entry quality %+v, %v; want completeness %v", what, qs, err, want)
			}
		}
		store := func(what string, want int) {
			t.Helper()
			if n, err := records.StoreCompleteness(f.ctx, db); err != nil || n != want {
				t.Errorf("%s: StoreCompleteness stored %d entries, %v; want %d", what, n, err, want)
			}
		}
		// 户籍人口信息's value items: 姓名, 出生日期, 户籍地址.
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "甲", "户籍地址": "桂城街道"}, "")+
			line("add", p2, monday, map[string]string{"户籍地址": "大沥镇"}, ""), records.Options{})
		current("pushed", 3, 3)
		store("current", 0)

		// As migration 0023 leaves it: counted per push, for no version.
		if _, err := db.Write().ExecContext(f.ctx, `UPDATE record_entry_stats SET fill_version = 0, filled_values = 7
			WHERE entry_id = $1`, f.hj); err != nil {
			t.Fatal(err)
		}
		completeness("after 0023", 0.5)
		store("after 0023", 1)
		current("stored after 0023", 3, 3)
		completeness("stored after 0023", 0.5)
		store("stored", 0)

		recordstest.Republish(t, db, f.hj, personItems[:3])
		completeness("户籍地址 removed", 0.25)
		store("户籍地址 removed", 1)
		current("stored after 户籍地址 removed", 1, 2)
		completeness("stored after 户籍地址 removed", 0.25)

		f.push(f.pusher, f.hj, line("change", p2, monday.Add(time.Minute), map[string]string{"姓名": "乙"}, ""), records.Options{})
		store("pushed since", 0)
		current("pushed since", 2, 2)
		completeness("pushed since", 0.5)
	})
}

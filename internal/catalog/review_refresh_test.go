package catalog_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalog/catalogtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// ownItems is household renamed to name, its one item of fact named item:
// an entry sharing no item with any other but those given the same item.
func ownItems(name, item string) catalog.Resource {
	r := household()
	r.Name, r.Abstract = name, "辖区户籍人口的"+item
	r.Items = []catalog.Item{r.Items[0], {Name: item, Type: "C", Length: 50}}
	return r
}

// submitAll creates and submits rs as drafts of by's department, in one
// transaction, and returns their ids.
func submitAll(tb testing.TB, db *sqldb.DB, by catalog.Actor, rs []catalog.Resource) []int64 {
	tb.Helper()
	ids := make([]int64, len(rs))
	err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
		ctx := context.Background()
		for i, r := range rs {
			e, err := catalog.Create(ctx, tx, by, by.DepartmentID, r, t0)
			if err != nil {
				return fmt.Errorf("create %s: %w", r.Name, err)
			}
			if _, err := catalog.Submit(ctx, tx, by, e.ID, t0); err != nil {
				return fmt.Errorf("submit %s: %w", r.Name, err)
			}
			ids[i] = e.ID
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

// disjointReviews are n resources each holding an item no other has.
func disjointReviews(n int) []catalog.Resource {
	rs := make([]catalog.Resource, n)
	for i := range rs {
		rs[i] = ownItems(fmt.Sprintf("专项人员信息%04d", i), fmt.Sprintf("专项指标%04d", i))
	}
	return rs
}

// An approval brings up to date the conflicts of the versions under review
// that share one of its items, and reads no other: 300 versions under
// review holding items nobody else has are left unread (as many thousands
// would be; submitting thousands here took minutes). Their stored
// metadata is made unreadable, which an approval reading them (as every
// publication did, whatever the size of the platform's review queue, inside
// its write transaction: minutes with thousands under review) fails on.
func TestRefreshReadsOnlySharingReviews(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		idle := submitAll(t, db, w.rsj, disjointReviews(300))
		var sharing []catalog.Resource
		for i := range 3 {
			sharing = append(sharing, ownItems(fmt.Sprintf("居住人员信息%d", i), "户籍地址"))
		}
		shared := submitAll(t, db, w.scj, sharing)
		police := create(t, w, w.gaj, household())
		mustStep(t, w, "submit", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Submit(ctx, tx, w.gaj, police.ID, t0)
		})
		var args []any
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			in := sqldb.In(tx, &args, idle, 0)
			_, err := tx.ExecContext(ctx, `UPDATE catalog_entry_versions SET data = '{' WHERE entry_id IN `+in, args...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		mustStep(t, w, "approve", func(ctx context.Context, tx *sqldb.Tx) (catalog.Entry, error) {
			return catalog.Approve(ctx, tx, w.operator, police.ID, t0)
		})
		for _, id := range shared {
			cs := conflictsByName(t, w, id)
			if c := cs["户籍地址"]; len(cs) != 1 || len(c.Candidates) != 1 || c.Candidates[0].EntryID != police.ID {
				t.Fatalf("conflicts of entry %d after the police entry is published: %+v, want 户籍地址 with it", id, cs)
			}
		}
	})
}

// A version under review whose item keys in catalog_review_item_keys are
// not ItemKey of their names (stored before a change of ItemKey) is still
// found by a publication sharing the item once RekeyItems has run: it
// has the keys written anew.
func TestRekeyItemsReviewKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		welfare := submitAll(t, db, w.scj, []catalog.Resource{ownItems("居住人员信息", "户籍地址")})[0]
		sqldbtest.Exec(t, db, `UPDATE catalog_review_item_keys SET item_key = '户籍地址（旧）' WHERE entry_id = $1`, welfare)
		if _, err := catalog.RekeyItems(context.Background(), db, nil); err != nil {
			t.Fatalf("RekeyItems: %v", err)
		}
		police := publish(t, w, w.gaj, household())
		cs := conflictsByName(t, w, welfare)
		if c := cs["户籍地址"]; len(cs) != 1 || len(c.Candidates) != 1 || c.Candidates[0].EntryID != police.ID {
			t.Fatalf("conflicts after the police entry is published: %+v, want 户籍地址 with it", cs)
		}
	})
}

// BenchmarkApproveManyInReview measures the approval of an entry while
// 2,000 versions under review, sharing none of its items, wait (and the
// b.N entries of the benchmark, sharing none either).
func BenchmarkApproveManyInReview(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *sqldb.DB
	}{{"sqlite", sqldbtest.SQLite}, {"postgres", sqldbtest.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			d := catalogtest.NewDistrict(b, db, t0)
			submitAll(b, db, d.RSJ, disjointReviews(2000))
			rs := make([]catalog.Resource, b.N)
			for i := range rs {
				rs[i] = ownItems(fmt.Sprintf("待审人员信息%06d", i), fmt.Sprintf("待审指标%06d", i))
			}
			ids := submitAll(b, db, d.GAJ, rs)
			b.ResetTimer()
			for _, id := range ids {
				err := db.Tx(context.Background(), func(tx *sqldb.Tx) error {
					_, err := catalog.Approve(context.Background(), tx, d.Operator, id, t0)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A registration import brings up to date the conflicts of the versions
// under review that share an item with an entry it creates, and reads no
// other: the versions under review sharing nothing with it are made
// unreadable, which an import reading every one (as it did to note their
// item keys, inside its write transaction) fails on, even when it creates
// nothing.
func TestRegistrationReadsOnlySharingReviews(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		police := publish(t, w, w.gaj, household())
		welfare := submitAll(t, db, w.scj, []catalog.Resource{ownItems("居住人员信息", "户籍地址")})[0]
		idle := submitAll(t, db, w.rsj, disjointReviews(3))
		reg, err := catalog.Export(ctx, db.Read(), w.gajID, t0)
		if err != nil {
			t.Fatal(err)
		}
		var args []any
		err = db.Tx(ctx, func(tx *sqldb.Tx) error {
			in := sqldb.In(tx, &args, idle, 0)
			_, err := tx.ExecContext(ctx, `UPDATE catalog_entry_versions SET data = '{' WHERE entry_id IN `+in, args...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		importReg := func(entries ...catalog.RegisteredEntry) catalog.ImportResult {
			t.Helper()
			var res catalog.ImportResult
			err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
				res, err = catalog.Import(ctx, tx, w.operator, catalog.Registration{Format: reg.Format, Entries: entries}, t0)
				return err
			})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			return res
		}
		if res := importReg(reg.Entries...); res.Unchanged != 1 || res.Created+res.Updated != 0 {
			t.Fatalf("import of the published entry: %+v, want 1 unchanged", res)
		}
		copied := reg.Entries[0]
		copied.Code = copied.Code[:7] + "0001" + copied.Code[11:]
		copied.Resource.Name = "户籍人口登记信息"
		if res := importReg(copied); res.Created != 1 {
			t.Fatalf("import of a new entry: %+v, want 1 created", res)
		}
		created, err := catalog.ByCode(ctx, db.Read(), w.operator, copied.Code)
		if err != nil {
			t.Fatal(err)
		}
		c := conflictsByName(t, w, welfare)["户籍地址"]
		var got []int64
		for _, s := range c.Candidates {
			got = append(got, s.EntryID)
		}
		if want := []int64{police.ID, created.ID}; !slices.Equal(got, want) {
			t.Fatalf("candidates for 户籍地址 of the version under review after the import: %v, want %v", got, want)
		}
	})
}

// A version under review without its rows of catalog_review_item_keys (as
// a server of the previous release submits it), or with rows that are not
// its item keys, is not found by a publication sharing the item: the
// upkeep (RepairReviewKeys) writes its rows anew and detects its conflicts,
// and a second run finds nothing to repair. A version with a row of a key
// it does not have besides its own is repaired too.
func TestRepairReviewKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		reviews := submitAll(t, db, w.scj, []catalog.Resource{
			ownItems("居住人员信息", "户籍地址"), ownItems("居住证人员信息", "户籍地址"), ownItems("就业人员信息", "就业单位"),
			ownItems("参保人员信息", "参保单位")})
		missing, split, fine, extra := reviews[0], reviews[1], reviews[2], reviews[3]
		sqldbtest.Exec(t, db, `DELETE FROM catalog_review_item_keys WHERE entry_id = $1`, missing)
		sqldbtest.Exec(t, db, `UPDATE catalog_review_item_keys SET item_key = '户籍地址（旧）' WHERE entry_id = $1`, split)
		sqldbtest.Exec(t, db, `INSERT INTO catalog_review_item_keys (subject_kind, item_key, entry_id, version, item_name)
			SELECT subject_kind, '缴费基数', entry_id, version, '缴费基数' FROM catalog_review_item_keys WHERE entry_id = $1`, extra)
		police := publish(t, w, w.gaj, household())
		r, err := catalog.RepairReviewKeys(ctx, db, t0)
		if err != nil || r.Repaired != 3 || len(r.Undecodable) != 0 {
			t.Fatalf("RepairReviewKeys: %+v, %v, want the 3 versions repaired", r, err)
		}
		for _, id := range []int64{missing, split} {
			cs := conflictsByName(t, w, id)
			if c := cs["户籍地址"]; len(cs) != 1 || len(c.Candidates) != 1 || c.Candidates[0].EntryID != police.ID {
				t.Fatalf("conflicts of entry %d after the repair: %+v, want 户籍地址 with the police entry", id, cs)
			}
		}
		if cs := conflictsByName(t, w, fine); len(cs) != 0 {
			t.Fatalf("conflicts of the entry sharing nothing: %+v, want none", cs)
		}
		if r, err := catalog.RepairReviewKeys(ctx, db, t0); err != nil || r.Repaired != 0 || len(r.Undecodable) != 0 {
			t.Fatalf("second RepairReviewKeys: %+v, %v, want nothing repaired", r, err)
		}
		for id, item := range map[int64]string{missing: "户籍地址", split: "户籍地址", extra: "参保单位"} {
			keys := sqldbtest.Column(t, db, `SELECT item_key FROM catalog_review_item_keys WHERE entry_id = $1`, id)
			if !slices.Equal(keys, []string{catalog.ItemKey(item)}) {
				t.Fatalf("review item keys of entry %d after the repair: %q, want that of %s", id, keys, item)
			}
		}
	})
}

// A version under review whose metadata cannot be decoded does not stop
// the repair (RepairReviewKeys) of the others: it is skipped and named, on
// every run.
func TestRepairReviewKeysUndecodable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		ids := submitAll(t, db, w.scj, []catalog.Resource{ownItems("居住人员信息", "户籍地址"), ownItems("就业人员信息", "就业单位")})
		broken, missing := ids[0], ids[1]
		sqldbtest.Exec(t, db, `UPDATE catalog_entry_versions SET data = '{' WHERE entry_id = $1`, broken)
		sqldbtest.Exec(t, db, `DELETE FROM catalog_review_item_keys WHERE entry_id = $1`, missing)
		for pass, want := range []int{1, 0} {
			r, err := catalog.RepairReviewKeys(context.Background(), db, t0)
			if err != nil || r.Repaired != want || !slices.Equal(r.Undecodable, []catalog.VersionRef{{EntryID: broken, Version: 1}}) {
				t.Fatalf("pass %d: RepairReviewKeys: %+v, %v, want %d repaired and entry %d version 1 undecodable", pass, r, err, want, broken)
			}
			keys := sqldbtest.Column(t, db, `SELECT item_key FROM catalog_review_item_keys WHERE entry_id = $1`, missing)
			if !slices.Equal(keys, []string{catalog.ItemKey("就业单位")}) {
				t.Fatalf("pass %d: review item keys of the decodable version: %q, want that of 就业单位", pass, keys)
			}
		}
	})
}

// BenchmarkRepairReviewKeys measures the upkeep's check (RepairReviewKeys)
// with 6,000 versions under review (a province's), none to repair.
func BenchmarkRepairReviewKeys(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *sqldb.DB
	}{{"sqlite", sqldbtest.SQLite}, {"postgres", sqldbtest.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			db := engine.open(b)
			d := catalogtest.NewDistrict(b, db, t0)
			submitAll(b, db, d.RSJ, disjointReviews(6000))
			for b.Loop() {
				if r, err := catalog.RepairReviewKeys(context.Background(), db, t0); err != nil || r.Repaired != 0 {
					b.Fatalf("RepairReviewKeys: %+v, %v", r, err)
				}
			}
		})
	}
}

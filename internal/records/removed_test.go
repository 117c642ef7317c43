package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRemovedItemNotServed: an item removed from an entry's published
// version is served by no read of its records (current, at a time, history,
// change feed, disputed items) while its values stay stored, and is served
// again when an item of its name comes back. A change that refers to it
// is refused (unknown_item): the item is not the entry's.
func TestRemovedItemNotServed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "黄静芳", "户籍地址": "桂城街道"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", p1, monday, map[string]string{"姓名": "黄静某"}, ""), records.Options{})
		if d := f.disputes(f.hj, p1); len(d) != 1 || d[0].Item != "姓名" {
			t.Fatalf("disputed items before: %+v", d)
		}
		// 户籍人口信息 drops 户籍地址 and 姓名.
		recordstest.Republish(t, db, f.hj, []records.Item{personItems[0], personItems[2]})
		e, err := records.LoadEntry(f.ctx, db.Read(), f.hj)
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, vals map[string]string) {
			t.Helper()
			if _, ok := vals["户籍地址"]; ok || vals["姓名"] != "" {
				t.Errorf("%s serves items removed from the entry: %v", what, vals)
			}
		}
		r, err := records.Get(f.ctx, db.Read(), e, p1)
		if err != nil {
			t.Fatal(err)
		}
		check("Get", r.Values)
		if len(r.Disputed) != 0 {
			t.Errorf("Get lists disputed items removed from the entry: %+v", r.Disputed)
		}
		at, err := records.At(f.ctx, db.Read(), e, p1, f.receivedAt)
		if err != nil {
			t.Fatal(err)
		}
		check("At", at.Values)
		h, err := records.History(f.ctx, db.Read(), e, p1)
		if err != nil {
			t.Fatal(err)
		}
		check("History", h[0].Values)
		hp, _, err := records.HistoryPage(f.ctx, db.Read(), e, p1, records.Page{})
		if err != nil {
			t.Fatal(err)
		}
		check("HistoryPage", hp[0].Values)
		feed, _, err := records.Changes(f.ctx, db.Read(), e, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		check("Changes", feed[0].Values)
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.JSONLines(strings.NewReader(
			line("change", p1, monday.Add(time.Minute), map[string]string{"户籍地址": ""}, ""))), f.receivedAt, records.Options{})
		if err != nil || len(res.Rejected) != 1 || res.Rejected[0].Code != "unknown_item" {
			t.Errorf("clearing a removed item: %+v, %v; want unknown_item", res, err)
		}
		// The item comes back: the record's value is served again.
		recordstest.Republish(t, db, f.hj, personItems[:4])
		if e, err = records.LoadEntry(f.ctx, db.Read(), f.hj); err != nil {
			t.Fatal(err)
		}
		if r, err = records.Get(f.ctx, db.Read(), e, p1); err != nil || r.Values["户籍地址"] != "桂城街道" {
			t.Errorf("after the item came back: %+v, %v", r, err)
		}
	})
}

// TestArrivalComparesPublishedItems: a push compares its records with
// another entry's on the items that entry's published version has, though
// that entry received nothing since it was published without one; an
// entry no longer published is not compared.
func TestArrivalComparesPublishedItems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2, p3 := recordstest.CitizenID(1), recordstest.CitizenID(2), recordstest.CitizenID(3)
		f.push(f.rsjPusher, f.sb, line("add", p1, monday, map[string]string{"姓名": "黄静某", "参保人数": "1"}, "")+
			line("add", p2, monday, map[string]string{"姓名": "李肆", "参保人数": "1"}, "")+
			line("add", p3, monday, map[string]string{"姓名": "王伍", "参保人数": "1"}, ""), records.Options{})
		// 社保参保信息 drops 姓名, and receives nothing since.
		recordstest.Republish(t, db, f.sb, []records.Item{{Name: "身份证号", Type: "C", IdentifiesSubject: true},
			{Name: "参保人数", Type: "I", Length: 3}})
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "黄静芳"}, ""), records.Options{})
		if d := f.live(p1); len(d) != 0 {
			t.Errorf("a push compared an item removed from the other entry: %+v", d)
		}
		// 社保参保信息 has 姓名 again, then is retired.
		recordstest.Republish(t, db, f.sb, []records.Item{{Name: "身份证号", Type: "C", IdentifiesSubject: true},
			{Name: "姓名", Type: "C", Length: 10}})
		f.push(f.pusher, f.hj, line("add", p2, monday, map[string]string{"姓名": "李四"}, ""), records.Options{})
		if d := f.live(p2); len(d) != 1 {
			t.Fatalf("discrepancies of %s with 姓名 published again: %+v, want 1", p2, d)
		}
		if _, err := db.Write().ExecContext(f.ctx, `UPDATE catalog_entries SET status = 'retired' WHERE id = $1`, f.sb); err != nil {
			t.Fatal(err)
		}
		f.push(f.pusher, f.hj, line("add", p3, monday, map[string]string{"姓名": "王五"}, ""), records.Options{})
		if d := f.live(p3); len(d) != 0 {
			t.Errorf("a push compared its records with a retired entry's: %+v", d)
		}
	})
}

// TestCompletenessCountsPublishedItems: completeness counts the values of
// the items of the entry's published version alone, as reads serve them:
// an item removed from it stops counting once the version is published,
// before the entry receives anything and after, and counts again, with the
// values still stored, when an item of its name comes back.
func TestCompletenessCountsPublishedItems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2, p3 := recordstest.CitizenID(1), recordstest.CitizenID(2), recordstest.CitizenID(3)
		completeness := func(what string, want float64) {
			t.Helper()
			qs, err := records.EntryQuality(f.ctx, db.Read(), nil, f.hj, 0, f.receivedAt)
			if err != nil || len(qs) != 1 || qs[0].Completeness != want {
				t.Errorf("%s: entry quality %+v, %v; want completeness %v", what, qs, err, want)
			}
			ds, err := records.DepartmentQuality(f.ctx, db.Read(), nil, f.gaj, f.receivedAt)
			if err != nil || len(ds) != 1 || ds[0].Completeness != want {
				t.Errorf("%s: department quality %+v, %v; want completeness %v", what, ds, err, want)
			}
		}
		// 户籍人口信息's value items: 姓名, 出生日期, 户籍地址.
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "甲", "户籍地址": "桂城街道"}, "")+
			line("add", p2, monday, map[string]string{"户籍地址": "大沥镇"}, ""), records.Options{})
		completeness("pushed", 0.5) // 3 values of 2 records × 3 items
		recordstest.Republish(t, db, f.hj, personItems[:3])
		completeness("户籍地址 removed", 0.25) // p1's 姓名 of 2 × 2
		f.push(f.pusher, f.hj, line("add", p3, monday, map[string]string{"姓名": "丙"}, "")+
			line("change", p1, monday.Add(time.Minute), map[string]string{"姓名": "甲乙"}, ""), records.Options{})
		completeness("pushed since", 0.3333) // 2 of 3 × 2
		recordstest.Republish(t, db, f.hj, personItems[:4])
		completeness("户籍地址 back", 0.4444) // 2 姓名 and 2 户籍地址 of 3 × 3
		f.push(f.pusher, f.hj, line("cancel", p2, monday.Add(time.Minute), nil, ""), records.Options{})
		completeness("p2 cancelled", 0.5) // p1's 姓名 and 户籍地址, p3's 姓名 of 2 × 3
	})
}

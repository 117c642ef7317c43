package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSweepClosesUncompared: a sweep closes, as resolved with a note and an
// audit row naming the reason, the discrepancies open or awaiting
// correction whose two entries no longer compare their item: the item
// removed from one (item_not_shared, also when the pair shares no item
// left), an entry retired (pair_retired, keeping the resolution awaiting
// correction). Those of items still compared stay.
func TestSweepClosesUncompared(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		mzj := recordstest.Department(t, db, "民政局", 3)
		mz := recordstest.Entry(t, db, mzj, recordstest.Spec{Code: "303001/000001", Name: "低保对象信息", SubjectKind: "person",
			Items: []records.Item{personItems[0], personItems[1], personItems[2]}})
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "黄静芳"}, "")+
			line("add", p2, monday, map[string]string{"姓名": "李四", "出生日期": "1960-01-03"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", p1, monday, map[string]string{"姓名": "黄静某"}, ""), records.Options{})
		f.push(recordstest.Pusher(mzj), mz, line("add", p2, monday, map[string]string{"姓名": "李肆", "出生日期": "1960-01-04"}, ""),
			records.Options{})
		byKey := func(subject string) map[string]records.Discrepancy {
			t.Helper()
			out := map[string]records.Discrepancy{}
			for _, d := range f.live(subject) {
				out[d.ItemKey] = d
			}
			return out
		}
		d1, d2 := byKey(p1)["姓名"], byKey(p2)
		if d1.ID == 0 || len(d2) != 2 {
			t.Fatalf("discrepancies: %+v %+v", d1, d2)
		}
		if _, err := f.resolve(records.Reviewer{Actor: f.pusher.Actor, Operator: true}, d2["姓名"].ID, f.hj); err != nil {
			t.Fatal(err)
		}
		// 低保对象信息 drops 出生日期; 社保参保信息 drops 姓名, its one item
		// shared with 户籍人口信息.
		recordstest.Republish(t, db, mz, []records.Item{personItems[0], personItems[1]})
		recordstest.Republish(t, db, f.sb, []records.Item{{Name: "身份证号", Type: "C", IdentifiesSubject: true},
			{Name: "参保人数", Type: "I", Length: 3}})
		if res := f.sweep(); res.Closed != 2 {
			t.Errorf("sweep = %+v, want 2 closed", res)
		}
		get := func(id int64) records.Discrepancy {
			t.Helper()
			d, err := records.GetDiscrepancy(f.ctx, db.Read(), id, f.receivedAt)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		for _, id := range []int64{d1.ID, d2["出生日期"].ID} {
			if d := get(id); d.Status != "resolved" || d.Resolution != "两个数据资源已不再都有该信息项，不再比对" || d.ResolvedBy != "system" {
				t.Errorf("discrepancy %d: %+v, want resolved as no longer compared", id, d)
			}
		}
		if d := get(d2["姓名"].ID); d.Status != "awaiting_correction" {
			t.Errorf("a discrepancy of an item still compared: %+v", d)
		}
		if _, err := db.Write().ExecContext(f.ctx, `UPDATE catalog_entries SET status = 'retired' WHERE id = $1`, mz); err != nil {
			t.Fatal(err)
		}
		if res := f.sweep(); res.Closed != 1 {
			t.Errorf("sweep after retiring = %+v, want 1 closed", res)
		}
		d := get(d2["姓名"].ID)
		if d.Status != "resolved" || !strings.HasPrefix(d.Resolution, "以权威数源为准；") || !strings.HasSuffix(d.Resolution, "不再比对") ||
			d.ResolvedBy != f.pusher.Actor.Kind+":"+f.pusher.Actor.ID {
			t.Errorf("after retiring: %+v, want resolved keeping its resolution", d)
		}
		var reasons []string
		rows, err := db.Read().QueryContext(f.ctx, `SELECT detail FROM audit_log WHERE action = 'records.discrepancy.resolve'
			AND detail LIKE '%reason%' ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			reasons = append(reasons, s)
		}
		if len(reasons) != 3 || !strings.Contains(reasons[0], `"reason":"item_not_shared"`) || !strings.Contains(reasons[2], `"reason":"pair_retired"`) {
			t.Errorf("audit rows: %v", reasons)
		}
		if res := f.sweep(); res.Closed != 0 {
			t.Errorf("third sweep = %+v, want nothing closed", res)
		}
	})
}

// TestSweepKeepsPairsFoundSinceItsList: a discrepancy of a pair the sweep
// did not list (its first push came while the sweep ran) is not closed as
// no longer compared while both entries are comparable and share the item.
func TestSweepKeepsPairsFoundSinceItsList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p := recordstest.CitizenID(1)
		f.push(f.pusher, f.hj, line("add", p, monday, map[string]string{"姓名": "黄静芳"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", p, monday, map[string]string{"姓名": "黄静某"}, ""), records.Options{})
		if len(f.live(p)) != 1 {
			t.Fatalf("discrepancies: %+v", f.live(p))
		}
		n, err := records.CloseUncomparedByNone(f.ctx, db, f.pusher.Actor, f.receivedAt)
		if err != nil || n != 0 {
			t.Errorf("closed %d (%v), want 0: the pair is comparable and shares 姓名", n, err)
		}
		if len(f.live(p)) != 1 {
			t.Errorf("discrepancies after: %+v", f.live(p))
		}
	})
}

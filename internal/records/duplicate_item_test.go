package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDuplicateItem: an operation giving one item under two spellings
// (catalog.ItemKey reads 姓 名 and 姓_名 as 姓名) is refused as
// duplicate_item, naming them, where one of its values was kept at random;
// a CSV header with two columns of one item is refused alike. A spelling
// alone still names its item.
func TestDuplicateItem(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		e := mustEntry(t, db, f.hj)
		for i, c := range []struct {
			vals  map[string]string
			names string
		}{
			{map[string]string{"姓 名": "张三", "姓_名": "李四"}, "姓 名、姓_名"},
			{map[string]string{"姓名": "张三", "姓 名": "李四", "出生日期": "1990-01-01"}, "姓 名、姓名"},
			{map[string]string{"姓名": "张三", "姓·名": "张三"}, "姓·名、姓名"},
		} {
			p := recordstest.CitizenID(i)
			res := f.push(f.pusher, f.hj, line("add", p, monday, c.vals, ""), records.Options{})
			if res.Applied != 0 || res.RejectedCount != 1 {
				t.Errorf("%v: applied %d, refused %+v; want refused", c.vals, res.Applied, res.Rejected)
				continue
			}
			want := "信息项“姓名”重复出现（" + c.names + "）"
			if r := res.Rejected[0]; r.Line != 1 || r.Code != "duplicate_item" || r.Field != "姓名" || !strings.HasPrefix(r.Reason, want) {
				t.Errorf("%v: refused %+v, want line 1 duplicate_item 姓名 %s", c.vals, r, want)
			}
			if _, err := records.Get(f.ctx, db.Read(), e, p); err == nil {
				t.Errorf("%v: a record was stored", c.vals)
			}
		}
		p := recordstest.CitizenID(10)
		if res := f.push(f.pusher, f.hj, line("add", p, monday, map[string]string{"姓 名": "王五"}, ""), records.Options{}); res.Applied != 1 {
			t.Fatalf("one spelling: %+v, want applied", res)
		}
		if r, err := records.Get(f.ctx, db.Read(), e, p); err != nil || r.Values["姓名"] != "王五" {
			t.Errorf("one spelling: stored %v, %v; want 姓名 王五", r.Values, err)
		}

		csv := "op,subject_id,produced_at,姓名,出生日期,姓 名\n" +
			"add," + recordstest.CitizenID(20) + ",2026-03-02 10:00:00,赵六,1990-01-01,\n" +
			"add," + recordstest.CitizenID(21) + ",2026-03-02 10:00:00,,1990-01-01,钱七\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Applied != 0 || res.RejectedCount != 1 {
			t.Fatalf("CSV: applied %d, refused %+v; want the header refused", res.Applied, res.Rejected)
		}
		if r := res.Rejected[0]; r.Line != 1 || r.Code != "duplicate_item" || r.Field != "姓名" ||
			!strings.Contains(r.Reason, "“姓名”“姓 名”") {
			t.Errorf("CSV: refused %+v, want line 1 duplicate_item 姓名 naming both columns", r)
		}
		for _, s := range []int{20, 21} {
			if _, err := records.Get(f.ctx, db.Read(), e, recordstest.CitizenID(s)); err == nil {
				t.Errorf("CSV: a record of %d was stored", s)
			}
		}
	})
}

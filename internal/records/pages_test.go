package records_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPages: quality by entry and by department, stale entries and a
// record's history come a page at a time in keyset order; the pages
// together are the whole list, the last page has no next cursor.
func TestPages(t *testing.T) {
	defer records.SetStaleScan(3)()
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		entries := []int64{f.hj}
		for i := 0; i < 6; i++ {
			e := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: fmt.Sprintf("101001/1000%02d", i), Name: fmt.Sprint("登记", i),
				SubjectKind: "none", Items: []records.Item{{Name: "说明", Type: "C", Length: 10}}})
			f.push(f.pusher, e, line("add", "s1", monday, map[string]string{"说明": "x"}, ""), records.Options{})
			entries = append(entries, e)
		}
		p1 := recordstest.CitizenID(1)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "名0"}, ""), records.Options{})
		for i := 1; i < 5; i++ {
			f.push(f.pusher, f.hj, line("change", p1, monday.Add(time.Duration(i)*time.Minute), map[string]string{"姓名": fmt.Sprint("名", i)}, ""), records.Options{})
		}
		f.push(f.rsjPusher, f.sb, line("add", p1, monday, map[string]string{"姓名": "名"}, ""), records.Options{})
		later := monday.Add(10 * 24 * time.Hour)

		type pageFn func(after int64) (ids []int64, next int64, err error)
		walk := func(name string, limit int, want []int64, fn pageFn) {
			t.Helper()
			var got []int64
			var after int64
			for pages := 0; ; pages++ {
				ids, next, err := fn(after)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if len(ids) > limit || (next != 0 && len(ids) != limit) || pages > len(want) {
					t.Fatalf("%s: page %v, next %d (limit %d)", name, ids, next, limit)
				}
				got = append(got, ids...)
				if next == 0 {
					break
				}
				after = next
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: pages hold %v, want %v", name, got, want)
			}
		}
		all, err := records.EntryQuality(f.ctx, db.Read(), nil, 0, 0, later)
		if err != nil || len(all) != 8 {
			t.Fatalf("quality: %d entries, %v", len(all), err)
		}
		var want []int64
		for _, q := range all {
			want = append(want, q.EntryID)
		}
		walk("entry quality", 3, want, func(after int64) ([]int64, int64, error) {
			qs, next, err := records.EntryQualityPage(f.ctx, db.Read(), nil, 0, 0, records.Page{After: after, Limit: 3}, later)
			var ids []int64
			for _, q := range qs {
				ids = append(ids, q.EntryID)
			}
			return ids, next, err
		})
		walk("department quality", 1, []int64{f.gaj, f.rsj}, func(after int64) ([]int64, int64, error) {
			qs, next, err := records.DepartmentQualityPage(f.ctx, db.Read(), nil, 0, records.Page{After: after, Limit: 1}, later)
			var ids []int64
			for _, q := range qs {
				ids = append(ids, q.DepartmentID)
				if q.DepartmentID == f.gaj && (q.Entries != 7 || q.Ops != 11) {
					t.Errorf("公安 on its page: %+v, want 7 entries, 11 ops", q)
				}
			}
			return ids, next, err
		})
		stale, err := records.Stale(f.ctx, db.Read(), nil, 0, later)
		if err != nil || len(stale) != 8 {
			t.Fatalf("stale: %d entries, %v", len(stale), err)
		}
		want = want[:0]
		for _, s := range stale {
			want = append(want, s.EntryID)
		}
		walk("stale", 2, want, func(after int64) ([]int64, int64, error) {
			ss, next, err := records.StalePage(f.ctx, db.Read(), nil, 0, records.Page{After: after, Limit: 2}, later)
			var ids []int64
			for _, s := range ss {
				ids = append(ids, s.EntryID)
			}
			return ids, next, err
		})
		e := mustEntry(t, db, f.hj)
		h, err := records.History(f.ctx, db.Read(), e, p1)
		if err != nil || len(h) != 5 {
			t.Fatalf("history: %d versions, %v", len(h), err)
		}
		want = want[:0]
		for _, v := range h {
			want = append(want, int64(v.Version))
		}
		walk("history", 2, want, func(after int64) ([]int64, int64, error) {
			vs, next, err := records.HistoryPage(f.ctx, db.Read(), e, p1, records.Page{After: after, Limit: 2})
			var ids []int64
			for _, v := range vs {
				ids = append(ids, int64(v.Version))
			}
			return ids, next, err
		})
		if _, _, err := records.HistoryPage(f.ctx, db.Read(), e, recordstest.CitizenID(9), records.Page{After: 3}); code(err) != "record_not_found" {
			t.Errorf("history of no record after a cursor: %v, want record_not_found", err)
		}
		if vs, next, err := records.HistoryPage(f.ctx, db.Read(), e, p1, records.Page{After: h[4].Seq}); err != nil || len(vs) != 0 || next != 0 {
			t.Errorf("history after its last version: %v %d %v, want an empty last page", vs, next, err)
		}
	})
}

// TestDepartmentQualityPageOfOneDepartment: the department filter selects
// its department's page whatever the limit, not the department only when
// it is among the first limit+1 departments with records.
func TestDepartmentQualityPageOfOneDepartment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		mzj := recordstest.Department(t, db, "民政局", 3)
		e := recordstest.Entry(t, db, mzj, recordstest.Spec{Code: "103001/000009", Name: "登记", SubjectKind: "none",
			Items: []records.Item{{Name: "说明", Type: "C", Length: 10}}})
		f.push(f.pusher, f.hj, line("add", recordstest.CitizenID(1), monday, map[string]string{"姓名": "甲"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", recordstest.CitizenID(1), monday, map[string]string{"姓名": "甲"}, ""), records.Options{})
		f.push(recordstest.Pusher(mzj), e, line("add", "s1", monday, map[string]string{"说明": "x"}, ""), records.Options{})
		later := monday.Add(10 * 24 * time.Hour)
		for _, limit := range []int{1, 2, 0} {
			qs, next, err := records.DepartmentQualityPage(f.ctx, db.Read(), nil, mzj, records.Page{Limit: limit}, later)
			if err != nil || len(qs) != 1 || qs[0].DepartmentID != mzj || next != 0 {
				t.Errorf("limit %d: department %d's quality: %+v, next %d, %v; want its one row", limit, mzj, qs, next, err)
			}
		}
	})
}

// TestListsLastPageFull: the batches, the change feed and the
// discrepancies are read a page at a time, with the cursor of the next
// page only while more follow: four items in pages of two are two pages,
// the second without a cursor, not a third empty one.
func TestListsLastPageFull(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		var other strings.Builder
		for i := 1; i <= 4; i++ {
			p := recordstest.CitizenID(i)
			f.push(f.pusher, f.hj, line("add", p, monday, map[string]string{"姓名": fmt.Sprint("甲", i)}, ""), records.Options{})
			other.WriteString(line("add", p, monday, map[string]string{"姓名": fmt.Sprint("乙", i)}, ""))
		}
		f.push(f.rsjPusher, f.sb, other.String(), records.Options{})
		e := mustEntry(t, db, f.hj)
		lists := map[string]func(after int64, limit int) ([]int64, int64, error){
			"batches": func(before int64, limit int) ([]int64, int64, error) {
				bs, next, err := records.Batches(f.ctx, db.Read(), records.BatchFilter{EntryID: f.hj, BeforeID: before, Limit: limit})
				return keys(bs, func(b records.BatchInfo) int64 { return b.BatchID }), next, err
			},
			"changes": func(after int64, limit int) ([]int64, int64, error) {
				vs, next, err := records.Changes(f.ctx, db.Read(), e, after, limit)
				return keys(vs, func(v records.Version) int64 { return v.Seq }), next, err
			},
			"discrepancies": func(after int64, limit int) ([]int64, int64, error) {
				ds, next, err := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{AfterID: after, Limit: limit}, f.receivedAt)
				return keys(ds, func(d records.Discrepancy) int64 { return d.ID }), next, err
			},
		}
		for name, list := range lists {
			all, next, err := list(0, 1000)
			if err != nil || len(all) != 4 || next != 0 {
				t.Fatalf("%s on one page: %v, next %d, %v; want 4 and no cursor", name, all, next, err)
			}
			for _, limit := range []int{1, 2, 3, 4} {
				var got []int64
				var after int64
				pages := 0
				for ; pages <= len(all); pages++ {
					page, next, err := list(after, limit)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					got = append(got, page...)
					if next == 0 {
						break
					}
					if len(page) != limit || next != page[len(page)-1] {
						t.Fatalf("%s by %d: page %v with next %d, want a full page ending at next", name, limit, page, next)
					}
					after = next
				}
				if want := (len(all) + limit - 1) / limit; pages+1 != want || fmt.Sprint(got) != fmt.Sprint(all) {
					t.Errorf("%s by %d: %d pages holding %v, want %d holding %v", name, limit, pages+1, got, want, all)
				}
			}
		}
	})
}

// keys returns the keys of items, in order.
func keys[T any](items []T, key func(T) int64) []int64 {
	out := make([]int64, len(items))
	for i, it := range items {
		out[i] = key(it)
	}
	return out
}

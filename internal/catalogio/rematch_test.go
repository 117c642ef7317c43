package catalogio_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReimportWithoutCodes: a row without a resource code that names an
// entry the department already has (same name, not retired) compares with
// that entry instead of creating a second one: importing the same file
// twice leaves one entry per name, reported unchanged; a changed row
// updates it; a name two entries share is an error of the row naming both
// codes; a retired entry of that name is no match.
func TestReimportWithoutCodes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		file := []byte(csvHeader + good("空气质量指数") + good("噪声监测"))
		rep, err := importFile(w, w.gaj, file, catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Created != 2 {
			t.Fatalf("first import: %+v, err %v %v", rep, err, rep.Errors)
		}
		codes := map[string]string{}
		for _, e := range rep.Entries {
			codes[e.Name] = e.Code
		}
		for _, dry := range []bool{true, false} {
			rep, err = importFile(w, w.gaj, file, catalogio.CSV, catalogio.Options{DryRun: dry})
			if err != nil || rep.Created != 0 || rep.Unchanged != 2 {
				t.Fatalf("again (dry run %v): created %d unchanged %d, err %v %v", dry, rep.Created, rep.Unchanged, err, rep.Errors)
			}
			for _, e := range rep.Entries {
				if e.Code != codes[e.Name] {
					t.Errorf("again: %+v, want code %s", e, codes[e.Name])
				}
			}
		}
		changed := strings.Replace(good("空气质量指数"), ",摘要,", ",新的摘要,", 1)
		rep, err = importFile(w, w.gaj, []byte(csvHeader+changed), catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Updated != 1 || rep.Entries[0].Code != codes["空气质量指数"] {
			t.Fatalf("changed row: %+v, err %v %v", rep.Entries, err, rep.Errors)
		}
		if n := len(resourcesOf(t, w, w.gaj)); n != 2 {
			t.Errorf("department has %d entries, want 2", n)
		}

		// Two entries of one name: the row cannot tell which. Create refuses
		// a name in use, so the second is created under another and renamed.
		r := resources()[0]
		r.Name = "噪声监测（暂名）"
		second := create(t, w, w.gaj, r)
		r.Name = "噪声监测"
		if err := w.db.Tx(context.Background(), func(tx *sqldb.Tx) error {
			_, err := catalog.Update(context.Background(), tx, w.gaj, second.ID, r, t0)
			return err
		}); err != nil {
			t.Fatalf("rename to %s: %v", r.Name, err)
		}
		rep, err = importFile(w, w.gaj, file, catalogio.CSV, catalogio.Options{GoodOnly: true})
		if err != nil || rep.Updated != 1 || rep.Created != 0 || len(rep.Errors) != 1 { // 空气质量指数 back to 摘要
			t.Fatalf("ambiguous name: %+v, err %v", rep, err)
		}
		e := rep.Errors[0]
		if e.Code != "ambiguous_name" || !strings.Contains(e.Message, codes["噪声监测"]) || !strings.Contains(e.Message, second.Code) {
			t.Errorf("ambiguous name error %+v: want both codes %s and %s", e, codes["噪声监测"], second.Code)
		}

		// A retired entry is no match (set directly: retiring needs a publication).
		if _, err := w.db.Write().ExecContext(context.Background(), `UPDATE catalog_entries SET status = 'retired' WHERE id = $1`, second.ID); err != nil {
			t.Fatal(err)
		}
		rep, err = importFile(w, w.gaj, file, catalogio.CSV, catalogio.Options{})
		if err != nil || rep.Unchanged != 2 || rep.Created != 0 {
			t.Fatalf("beside a retired entry of the name: %+v, err %v %v", rep.Entries, err, rep.Errors)
		}
	})
}

// TestSameNameRows: within one file, a row without a resource code whose
// name an earlier row has, or a row with a code, cannot be told apart from
// it when the file is imported again: it is refused (duplicate_name,
// naming the other row) instead of creating a second entry of the name,
// which made every later import of the file ambiguous_name. Consecutive
// rows of one name are one entry's items, as before.
func TestSameNameRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		item := strings.Replace(good("丁项"), ",编号,C,20,", ",名称,C,50,", 1)
		file := []byte(csvHeader + good("空气 质量") + good("乙项") + good("空气  质量") + good("丙项") +
			strings.Replace(good("丙项"), "丙项,,", "丙项,301001/000100,", 1) + good("丁项") + item)
		rep, err := importFile(w, w.gaj, file, catalogio.CSV, catalogio.Options{})
		if !catalogio.Rejected(err) {
			t.Fatalf("got %v, want the file rejected", err)
		}
		for range 2 {
			rep, err = importFile(w, w.gaj, file, catalogio.CSV, catalogio.Options{GoodOnly: true})
			if err != nil || len(rep.Entries) != 6 || rep.Created+rep.Unchanged != 4 || len(rep.Errors) != 2 {
				t.Fatalf("good rows only: %+v, err %v %+v", rep.Entries, err, rep.Errors)
			}
			for i, want := range []struct {
				row   int
				other string
			}{{4, "第 2 行"}, {5, "第 6 行"}} {
				e := rep.Errors[i]
				if e.Row != want.row || e.Code != "duplicate_name" || e.Column != "资源名称" || !strings.Contains(e.Message, want.other) {
					t.Errorf("error %d: %+v, want duplicate_name of row %d naming %s", i, e, want.row, want.other)
				}
			}
		}
		if rep.Unchanged != 4 {
			t.Errorf("again: %d unchanged, want 4", rep.Unchanged)
		}
		rs := resourcesOf(t, w, w.gaj)
		if len(rs) != 4 || len(rs["丁项"].Items) != 2 {
			t.Errorf("stored %d entries (丁 with %d items), want 4 (丁 with 2)", len(rs), len(rs["丁项"].Items))
		}
	})
}

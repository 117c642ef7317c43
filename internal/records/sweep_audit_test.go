package records_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// sweepRow is the detail of a records.crosscheck audit row: a page's
// (page_*) or a complete run's summary (pairs and the run's totals).
type sweepRow struct {
	seq          int64
	detail       string
	PageCompared *int `json:"page_compared"`
	PageFound    *int `json:"page_found"`
	PageResolved *int `json:"page_resolved"`
	PageUpdated  *int `json:"page_updated"`
	Pairs        *int `json:"pairs"`
	Compared     *int `json:"compared"`
	Found        *int `json:"found"`
	Resolved     *int `json:"resolved"`
}

// sweepRows returns the records.crosscheck audit rows after seq, oldest
// first.
func sweepRows(t *testing.T, db *sqldb.DB, after int64) []sweepRow {
	t.Helper()
	var out []sweepRow
	for _, r := range sqldbtest.QueryRows(t, db.Read(), `SELECT seq, detail FROM audit_log
		WHERE action = 'records.crosscheck' AND seq > $1 ORDER BY seq`, after) {
		s := sweepRow{detail: r[1]}
		err := json.Unmarshal([]byte(r[1]), &s)
		if err != nil {
			t.Fatalf("detail %s: %v", r[1], err)
		}
		if s.seq, err = strconv.ParseInt(r[0], 10, 64); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func (r sweepRow) String() string { return r.detail }

// pageFound sums the page_found of rows, failing t on a page row without
// it.
func pageFound(t *testing.T, rows []sweepRow) int {
	t.Helper()
	n := 0
	for _, r := range rows {
		if r.Pairs != nil {
			continue
		}
		if r.PageFound == nil || r.PageResolved == nil || r.PageUpdated == nil || r.PageCompared == nil || r.Found != nil {
			t.Fatalf("page row %s: want page_compared, page_found, page_resolved, page_updated and no found", r)
		}
		n += *r.PageFound
	}
	return n
}

// TestStoppedSweepAudited: a sweep stopped after a page committed (its
// second page's transaction fails, as a database error or a cancellation
// ends it) leaves the discrepancies of its first page saved and audited:
// the page's records.crosscheck row, written in its transaction, counts
// them. A sweep audited nothing until its summary row, written once every
// page had committed, so 1,000 discrepancies, each with a feedback
// deadline, were in no audit row. A complete run after it audits its pages
// and then its summary, whose totals are its pages' (page rows count under
// page_found, the summary under found: summing either counts a
// discrepancy once).
func TestStoppedSweepAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		const n = 1500 // a sweep's page is 1,000 subjects: two pages
		subjects := make([]string, n)
		var a, b strings.Builder
		for i := range n {
			subjects[i] = recordstest.CitizenID(i)
			a.WriteString(line("add", subjects[i], monday, map[string]string{"姓名": fmt.Sprint("甲", i)}, ""))
			b.WriteString(line("add", subjects[i], monday, map[string]string{"姓名": fmt.Sprint("乙", i)}, ""))
		}
		f.push(f.pusher, f.hj, a.String(), records.Options{})
		f.push(f.rsjPusher, f.sb, b.String(), records.Options{})
		// As if the records had arrived before the entries shared 姓名:
		// the sweep finds every difference.
		sqldbtest.Exec(t, db, `DELETE FROM record_discrepancies`)
		slices.Sort(subjects)
		stop, undo := `CREATE TRIGGER sweep_stop BEFORE INSERT ON record_discrepancies
			WHEN NEW.subject_id = '`+subjects[1000]+`' BEGIN SELECT RAISE(ABORT, 'disk full'); END`, `DROP TRIGGER sweep_stop`
		if db.Dialect == sqldb.Postgres {
			stop = `CREATE FUNCTION sweep_stop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
				IF NEW.subject_id = '` + subjects[1000] + `' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$;
				CREATE TRIGGER sweep_stop BEFORE INSERT ON record_discrepancies FOR EACH ROW EXECUTE FUNCTION sweep_stop()`
			undo = `DROP TRIGGER sweep_stop ON record_discrepancies; DROP FUNCTION sweep_stop()`
		}
		var before int64
		sqldbtest.Exec(t, db, stop)
		if err := db.Read().QueryRowContext(f.ctx, `SELECT max(seq) FROM audit_log`).Scan(&before); err != nil {
			t.Fatal(err)
		}
		if res, err := records.Sweep(f.ctx, db, nil, f.pusher.Actor, f.receivedAt); err == nil {
			t.Fatalf("sweep through a failing page: %+v", res)
		}
		sqldbtest.Exec(t, db, undo)
		count := func() int {
			t.Helper()
			var k int
			if err := db.Read().QueryRowContext(f.ctx, `SELECT count(*) FROM record_discrepancies`).Scan(&k); err != nil {
				t.Fatal(err)
			}
			return k
		}
		if k := count(); k != 1000 {
			t.Fatalf("%d discrepancies after the stopped sweep, want its first page's 1000", k)
		}
		stopped := sweepRows(t, db, before)
		if got := pageFound(t, stopped); got != 1000 {
			t.Errorf("the stopped sweep's audit rows %v count %d discrepancies found, want the 1000 it saved", stopped, got)
		}
		for _, r := range stopped {
			if r.Pairs != nil {
				t.Errorf("the stopped sweep wrote a summary row %s", r)
			}
		}
		if len(stopped) > 0 {
			before = stopped[len(stopped)-1].seq
		}

		res, err := records.Sweep(f.ctx, db, nil, f.pusher.Actor, f.receivedAt.Add(time.Minute))
		if err != nil || res.Found != 500 {
			t.Fatalf("complete sweep: %+v, %v; want 500 found", res, err)
		}
		run := sweepRows(t, db, before)
		if len(run) < 2 || run[len(run)-1].Pairs == nil {
			t.Fatalf("complete sweep's rows %v: want its pages', then its summary", run)
		}
		sum := run[len(run)-1]
		if got := pageFound(t, run[:len(run)-1]); got != 500 || *sum.Found != 500 || *sum.Pairs != 1 || *sum.Compared != n {
			t.Errorf("complete sweep: pages found %d, summary %s; want 500 and a summary of 1 pair, %d subjects, 500 found",
				got, sum, n)
		}
		if all, k := pageFound(t, sweepRows(t, db, 0)), count(); all != k {
			t.Errorf("the sweeps' page rows count %d discrepancies found, the table holds %d", all, k)
		}
	})
}

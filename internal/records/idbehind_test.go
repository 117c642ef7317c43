package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyIDBehindRows: with the discrepancies' id sequence behind
// the rows (as after a PostgreSQL restore without the sequences' values),
// a push whose cross-check finds a new discrepancy fails naming the
// primary key that collided, rather than taking the collision for the
// fact's discrepancy being open already and recording none. SQLite gives a
// new row the highest id plus one: there the discrepancy is recorded.
func TestDiscrepancyIDBehindRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		_, _, d1, _ := f.twoDisputedNames()
		if db.Dialect == sqldb.Postgres {
			if _, err := db.Write().ExecContext(f.ctx,
				`SELECT setval(pg_get_serial_sequence('record_discrepancies', 'id'), $1, false)`, d1[0].ID); err != nil {
				t.Fatal(err)
			}
		}
		p3 := recordstest.CitizenID(3)
		f.push(f.pusher, f.hj, line("add", p3, monday, map[string]string{"姓名": "王五"}, ""), records.Options{})
		_, err := records.Ingest(f.ctx, f.db, f.rsjPusher, f.sb,
			records.JSONLines(strings.NewReader(line("add", p3, monday, map[string]string{"姓名": "王伍"}, ""))), f.receivedAt, records.Options{})
		if db.Dialect == sqldb.SQLite {
			if err != nil || len(f.live(p3)) != 1 {
				t.Errorf("push: %v, discrepancies %+v, want one recorded", err, f.live(p3))
			}
			return
		}
		if err == nil || !strings.Contains(err.Error(), "record_discrepancies_pkey") {
			t.Errorf("push with the discrepancy's id taken: %v (discrepancies of the subject %+v), want an error naming record_discrepancies_pkey",
				err, f.live(p3))
		}
	})
}

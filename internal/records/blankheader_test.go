package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVBlankHeaderCells: a header may end in several blank cells (the
// trailing commas Excel writes); they name no column, and are no
// duplicate of one another.
func TestCSVBlankHeaderCells(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		body := "op,subject_id,produced_at,姓名,出生日期,,\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02 10:00:00,张三,1990-01-01,,\n" +
			"add," + recordstest.CitizenID(2) + ",2026-03-02 10:00:00,李四,1990-01-02,,\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
		if err != nil || res.RejectedCount != 0 || res.Applied != 2 {
			t.Errorf("two blank header cells: %+v, %v; want both rows applied", res, err)
		}
	})
}


package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVEmptyRows: a CSV row whose cells are all empty (,,, as Excel
// writes below a table) is skipped as a blank line is, where it was
// refused as missing_op and the batch with it; a file of only such rows
// is an empty batch.
func TestCSVEmptyRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		body := "op,subject_id,produced_at,姓名\n" +
			",,,\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02 10:00:00,张三\n" +
			" , ,\t, \n" +
			"add," + recordstest.CitizenID(2) + ",2026-03-02 10:00:00,李四\n" +
			",,,\n,,,\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Applied != 2 || res.RejectedCount != 0 || res.Lines != 2 {
			t.Errorf("applied %d of %d lines, refused %+v; want the 2 operations applied", res.Applied, res.Lines, res.Rejected)
		}
		_, err = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader("op,subject_id,produced_at,姓名\n,,,\n,,,\n")),
			f.receivedAt, records.Options{})
		if e := errs.As(err); e == nil || e.Code != "empty_batch" {
			t.Errorf("only empty rows: %v, want empty_batch", err)
		}
	})
}

// TestCSVEmptyRowsBeforeHeader: rows of only empty cells before the header
// are skipped as a blank line there is, where the first of them was read
// as the header and the file refused as malformed_csv (no column op); a
// file of nothing else is an empty batch.
func TestCSVEmptyRowsBeforeHeader(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		body := "\ufeff,,,\n , ,\t\n\nop,subject_id,produced_at,姓名\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02 10:00:00,张三\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Applied != 1 || res.RejectedCount != 0 || res.Lines != 1 {
			t.Errorf("applied %d of %d lines, refused %+v; want the operation applied", res.Applied, res.Lines, res.Rejected)
		}
		_, err = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(",,,\n , ,\n")), f.receivedAt, records.Options{})
		if e := errs.As(err); e == nil || e.Code != "empty_batch" {
			t.Errorf("only empty rows: %v, want empty_batch", err)
		}
	})
}

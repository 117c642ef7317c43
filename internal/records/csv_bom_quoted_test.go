package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVByteOrderMarkBeforeQuotedHeader: a CSV file whose byte order
// mark comes before a quoted first header cell (Python's utf-8-sig with
// QUOTE_ALL, many Java exporters) is read: the mark was removed from the
// first cell only after the line was parsed, so the quote after it was a
// quote in an unquoted field (CSV 格式错误) and the header lacked op. The
// same holds for GB18030's mark in a GBK file, and for an unquoted header.
func TestCSVByteOrderMarkBeforeQuotedHeader(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		for i, csv := range []string{
			"\ufeff\"op\",\"subject_id\",\"produced_at\",\"姓名\"\r\n\"add\",\"" + recordstest.CitizenID(1) + "\",\"2026-03-02\",\"张三\"\r\n",
			"\x84\x31\x95\x33\"op\",\"subject_id\",\"produced_at\",\"\xd0\xd5\xc3\xfb\"\r\n\"add\",\"" + recordstest.CitizenID(2) + "\",\"2026-03-02\",\"\xd5\xc5\xc8\xfd\"\r\n",
			"\ufeffop,subject_id,produced_at,姓名\nadd," + recordstest.CitizenID(3) + ",2026-03-02,张三\n",
			"\ufeff\n\"op\",\"subject_id\",\"produced_at\",\"姓名\"\n\"add\",\"" + recordstest.CitizenID(4) + "\",\"2026-03-02\",\"张三\"\n",
		} {
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
			if err != nil || res.Applied != 1 {
				t.Errorf("file %d: %+v %v, want applied", i, res, err)
			}
		}
		r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), recordstest.CitizenID(2))
		if err != nil || r.Values["姓名"] != "张三" {
			t.Errorf("GBK file's record: %+v %v, want 姓名 张三", r, err)
		}
	})
}

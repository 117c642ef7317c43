package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVRowNumbers: a CSV file's errors are numbered by row, as Excel
// shows them, not by line of the file: after a cell with line breaks
// typed with Alt+Enter (its row spread over three lines of the file) the
// next row is row 3, which was reported as line 5; likewise after a row
// that cannot be read as CSV, its quoted cell spread over two lines.
func TestCSVRowNumbers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		csv := "op,subject_id,produced_at,姓名,户籍地址\r\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02,张三,\"东街\r\n1号\r\n3单元\"\r\n" +
			"add,440605,2026-03-02,李四,西街\r\n" +
			"add," + recordstest.CitizenID(3) + ",2026-03-02,王五,\"南街\n2号\"x\n" +
			"add," + recordstest.CitizenID(4) + ",2026-03-02,赵六,北街,多余\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := refusals(res), "3:invalid_citizen_id:subject_id 4:malformed_csv: 5:malformed_csv:"; got != want {
			t.Errorf("refusals %q, want %q (rows as Excel numbers them)", got, want)
		}
	})
}

package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVFormatCharactersNotBlank: a CSV row of spaces and Hangul fillers
// alone is blank and skipped, but a row whose cells hold format
// characters (U+200B, U+FEFF) is an error of the row, and a produced_at
// of them is invalid_produced_at (a value that cannot be read), not
// missing_produced_at: format characters are refused first, as
// records.CheckPurpose refuses them. Since 5104b4e such a row was dropped
// silently.
func TestCSVFormatCharactersNotBlank(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		body := "op,subject_id,produced_at,姓名,出生日期\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02 10:00:00,张三,1990-01-01\n" +
			" ,\u3164,\u3000, ,\n" +
			"\u200b,\u200b,\ufeff,\u200b,\u200b\n" +
			"add," + recordstest.CitizenID(2) + ",\u200b,李四,1990-01-02\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		lines := map[int]string{}
		for _, r := range res.Rejected {
			lines[r.Line] = r.Code
		}
		if len(lines) != 2 || lines[4] == "" || lines[3] != "" {
			t.Fatalf("rows of format characters: rejected %+v; want line 3 skipped, lines 4 and 5 refused", res.Rejected)
		}
		if lines[5] != "invalid_produced_at" {
			t.Errorf("produced_at of U+200B: %q, want invalid_produced_at", lines[5])
		}
	})
}

package records_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVProducedAtWithValueErrors: a CSV row whose produced_at cannot be
// read lists its values' errors too, as a row with a readable one does.
func TestCSVProducedAtWithValueErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		csv := "op,subject_id,produced_at,姓名,出生日期\n" +
			"add," + recordstest.CitizenID(1) + ",2026-02-30 10:00:00,张三,1990-13-45\n" +
			"add,123,1900-01-01 10:00:00,李四,1990-01-01\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range res.Rejected {
			got = append(got, fmt.Sprintf("%d:%s:%s", r.Line, r.Code, r.Field))
		}
		want := "2:invalid_produced_at:produced_at 2:invalid_value:出生日期 3:invalid_produced_at:produced_at 3:invalid_citizen_id:subject_id"
		if strings.Join(got, " ") != want {
			t.Errorf("refused %v, want %s", got, want)
		}
		if res.RejectedLines != 2 {
			t.Errorf("%d refused lines, want 2", res.RejectedLines)
		}
	})
}

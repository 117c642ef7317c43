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

// TestEveryFieldErrorOfALine: a line with several bad values reports each
// of them, in the entry's item order, and with a bad subject_id that too,
// so that the clerk fixes them in one go; the line is one refused line.
func TestEveryFieldErrorOfALine(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		codes := func(res records.BatchResult) string {
			var got []string
			for _, r := range res.Rejected {
				got = append(got, fmt.Sprintf("%d:%s:%s", r.Line, r.Code, r.Field))
			}
			return strings.Join(got, " ")
		}
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader("op,subject_id,produced_at,姓名,出生日期,户籍地址\n"+
			"add,"+recordstest.CitizenID(1)+",2026-03-02 10:00:00,男性男性男男性男性男男,1990-13-45,x\n"+
			"add,123,2026-03-02 10:00:00,张三,1990-02-30,y\n")), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := "2:value_too_long:姓名 2:invalid_value:出生日期 3:invalid_citizen_id:subject_id 3:invalid_value:出生日期"
		if got := codes(res); got != want {
			t.Errorf("CSV refused %s, want %s", got, want)
		}
		if res.RejectedCount != 4 || res.RejectedLines != 2 {
			t.Errorf("CSV: %d errors, %d refused lines; want 4, 2", res.RejectedCount, res.RejectedLines)
		}
		res = f.push(f.pusher, f.hj, `{"op":"add","subject_id":"`+recordstest.CitizenID(2)+`","produced_at":"2026-03-02T10:00:00+08:00",`+
			`"values":{"户籍地址":"`+strings.Repeat("路", 51)+`","出生日期":"1990-13-45","籍贯":"广东"}}`+"\n", records.Options{})
		if got, want := codes(res), "1:unknown_item:籍贯 1:invalid_value:出生日期 1:value_too_long:户籍地址"; got != want {
			t.Errorf("JSON refused %s, want %s", got, want)
		}
	})
}

package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestThousandsSeparatorHint: a number written with thousands separators,
// as Excel shows 1,000,000.00, is refused with a hint that they are not
// accepted and the number without them; other bad numbers are not.
func TestThousandsSeparatorHint(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		id := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000009", Name: "出资信息", SubjectKind: "person",
			Items: []records.Item{{Name: "注册资本", Type: "N", Length: 18}, {Name: "股东人数", Type: "I"}, {Name: "比例", Type: "F"}}})
		csv := "op,subject_id,produced_at,注册资本,股东人数,比例\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02 10:00:00,\"1,000,000.00\",\"1,200\",\"0,5\"\n" +
			"add," + recordstest.CitizenID(2) + ",2026-03-02 10:00:00,1.000.000,12a,x\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, id, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rejected) != 6 {
			t.Fatalf("refused %+v, want 6 errors", res.Rejected)
		}
		for i, want := range []string{"1000000.00", "1200", ""} {
			r := res.Rejected[i]
			if r.Code != "invalid_value" || (want != "") != strings.Contains(r.Reason, "千位分隔符") || !strings.Contains(r.Reason, want) {
				t.Errorf("%s: %q, want invalid_value hinting at thousands separators: %v (%s)", r.Field, r.Reason, want != "", want)
			}
		}
		for _, r := range res.Rejected[3:] {
			if r.Code != "invalid_value" || strings.Contains(r.Reason, "千位分隔符") {
				t.Errorf("%s: %q, want invalid_value without the hint", r.Field, r.Reason)
			}
		}
	})
}

package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCSVHeaderCase: a CSV header names the columns op, subject_id,
// produced_at and key in any case, with spaces around them, as an
// operation's op is read; where OP,Subject_ID,Produced_At was refused as a
// header without the column op. A column named twice in two cases is a
// column repeated.
func TestCSVHeaderCase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		e := mustEntry(t, db, f.hj)
		p := recordstest.CitizenID(1)
		body := "OP, Subject_ID ,Produced_At,KEY,姓名\n" +
			" Add ," + p + ",2026-03-02 10:00:00,k1,张三\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Applied != 1 || res.RejectedCount != 0 {
			t.Fatalf("applied %d, refused %+v; want applied", res.Applied, res.Rejected)
		}
		if r, err := records.Get(f.ctx, db.Read(), e, p); err != nil || r.Values["姓名"] != "张三" {
			t.Errorf("stored %+v, %v; want 姓名 张三", r, err)
		}
		body = "op,Op,subject_id,produced_at,姓名\n" +
			"add,add," + recordstest.CitizenID(2) + ",2026-03-02 10:00:00,李四\n"
		res, err = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Applied != 0 || res.RejectedCount != 1 || res.Rejected[0].Code != "malformed_csv" || !strings.Contains(res.Rejected[0].Reason, "重复的列") {
			t.Errorf("op and Op: applied %d, refused %+v; want the header refused", res.Applied, res.Rejected)
		}
	})
}

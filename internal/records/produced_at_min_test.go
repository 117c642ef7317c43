package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestProducedAtImplausible: a produced_at given as the zero time
// (0001-01-01T00:00:00Z, what an unset date-time of many languages prints)
// or another time before records.MinProducedAt is refused as
// invalid_produced_at, saying it is no plausible time, where the zero time
// was answered missing_produced_at though it was given (and 0001-01-01 in
// another offset was stored). One left out is still missing_produced_at;
// MinProducedAt itself is taken. In CSV alike.
func TestProducedAtImplausible(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		vals := `"values":{"姓名":"张三"}`
		for i, at := range []string{"0001-01-01T00:00:00Z", "0001-01-01T00:00:00+08:00", "1900-01-01 00:00:00", "1949-09-30T23:59:59+08:00"} {
			l := `{"op":"add","subject_id":"` + recordstest.CitizenID(i) + `","produced_at":"` + at + `",` + vals + "}\n"
			res := f.push(f.pusher, f.hj, l, records.Options{})
			if res.Applied != 0 || res.RejectedCount != 1 {
				t.Errorf("%s: applied %d, refused %+v; want refused", at, res.Applied, res.Rejected)
				continue
			}
			if r := res.Rejected[0]; r.Code != "invalid_produced_at" || r.Field != "produced_at" || !strings.Contains(r.Reason, "不是可信的") ||
				!strings.Contains(r.Reason, at) {
				t.Errorf("%s: refused %+v, want invalid_produced_at saying the time is not plausible", at, r)
			}
		}
		l := `{"op":"add","subject_id":"` + recordstest.CitizenID(10) + `",` + vals + "}\n"
		if res := f.push(f.pusher, f.hj, l, records.Options{}); res.RejectedCount != 1 || res.Rejected[0].Code != "missing_produced_at" {
			t.Errorf("no produced_at: %+v, want missing_produced_at", res)
		}
		l = `{"op":"add","subject_id":"` + recordstest.CitizenID(11) + `","produced_at":"1949-10-01T00:00:00+08:00",` + vals + "}\n"
		if res := f.push(f.pusher, f.hj, l, records.Options{}); res.Applied != 1 || !records.MinProducedAt.Equal(mustTime(t, "1949-10-01T00:00:00+08:00")) {
			t.Errorf("1949-10-01 00:00 Beijing time: %+v, want applied", res)
		}
		// An operation pushed alone holds a time, not the text sent: its
		// refusal shows it in Beijing time, labelled so.
		pushes := records.NewPushes(db, nil, func() time.Time { return f.receivedAt })
		_, err := pushes.Push(f.pusher, f.hj, records.Op{Op: "add", SubjectID: recordstest.CitizenID(13),
			ProducedAt: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), Values: map[string]string{"姓名": "张三"}})
		if e := errs.As(err); e == nil || e.Code != "invalid_produced_at" || !strings.Contains(e.Message, "“1900-01-01 08:00:00（北京时间）”") {
			t.Errorf("single op produced 1900-01-01T00:00:00Z: %v, want invalid_produced_at showing 1900-01-01 08:00:00（北京时间）", err)
		}
		body := "op,subject_id,produced_at,姓名\nadd," + recordstest.CitizenID(12) + ",0001-01-01 00:00:00,张三\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Applied != 0 || res.RejectedCount != 1 || res.Rejected[0].Code != "invalid_produced_at" || !strings.Contains(res.Rejected[0].Reason, "不是可信的") {
			t.Errorf("CSV 0001-01-01: %+v, want invalid_produced_at saying the time is not plausible", res)
		}
	})
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// fullWidth is s with its ASCII digits and letters full-width, as a
// Chinese input method types them.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' || 'A' <= r && r <= 'Z' {
			return r + 0xfee0
		}
		return r
	}, s)
}

// TestFullWidthSubject: a subject_id, and an identifying item, typed in
// full-width digits is the record of its ASCII form, not refused.
func TestFullWidthSubject(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		id := recordstest.CitizenID(7)
		csv := "op,subject_id,produced_at,公民身份号码,姓名\nadd," + fullWidth(id) + ",2026-03-02 10:00:00," + fullWidth(id) + ",张三\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || res.Applied != 1 {
			t.Fatalf("full-width subject: %+v, %v; want applied", res.Rejected, err)
		}
		r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, f.hj), id)
		if err != nil || r.Values["姓名"] != "张三" || r.Values["公民身份号码"] != id {
			t.Errorf("record of %s: %+v, %v", id, r, err)
		}
	})
}

package records_test

import (
	"io"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestValueNoncharacterMessage: a value holding a noncharacter (U+FFFF,
// U+FDD0), which text.Plain refuses, is refused invalid_text with a
// reason that names noncharacters, as text.NameProblem does, not only
// control characters and invalid UTF-8, which it does not hold.
func TestValueNoncharacterMessage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		for _, tt := range []struct {
			name, body string
			read       func(io.Reader) records.Source
		}{
			{"json", `{"op":"add","subject_id":"` + p1 + `","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张\uffff三"}}` + "\n", records.JSONLines},
			{"csv", "op,subject_id,produced_at,姓名\nadd," + p1 + ",2026-03-02 10:00:00,张\ufdd0三\n", records.CSV},
		} {
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, tt.read(strings.NewReader(tt.body)), f.receivedAt, records.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.RejectedCount != 1 || res.Rejected[0].Code != "invalid_text" || !strings.Contains(res.Rejected[0].Reason, "非字符（如 U+FFFF）") {
				t.Errorf("%s: %+v, want invalid_text naming noncharacters", tt.name, res.Rejected)
			}
		}
	})
}

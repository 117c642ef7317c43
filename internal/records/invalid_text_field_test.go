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

// TestInvalidTextField: a value's text that is refused (invalid_text) is
// named by its JSON path, values.姓名, whether it holds a control
// character or a lone surrogate, in a JSON line or a CSV row, as the docs
// say, where a control character was named 姓名.
func TestInvalidTextField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1 := recordstest.CitizenID(1)
		for _, tt := range []struct {
			name, body string
			read       func(io.Reader) records.Source
		}{
			{"json control", `{"op":"add","subject_id":"` + p1 + `","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张\u0001三"}}` + "\n", records.JSONLines},
			{"json surrogate", `{"op":"add","subject_id":"` + p1 + `","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张\ud800三"}}` + "\n", records.JSONLines},
			{"csv control", "op,subject_id,produced_at,姓名\nadd," + p1 + ",2026-03-02 10:00:00,张\x01三\n", records.CSV},
		} {
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, tt.read(strings.NewReader(tt.body)), f.receivedAt, records.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.RejectedCount != 1 || res.Rejected[0].Code != "invalid_text" || res.Rejected[0].Field != "values.姓名" {
				t.Errorf("%s: %+v, want invalid_text of values.姓名", tt.name, res.Rejected)
			}
		}
	})
}

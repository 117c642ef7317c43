package web_test

import (
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSubjectInputsNotRemembered: the inputs that take a person's or a
// company's identifier (the records lookup on every page, the
// discrepancy and audit filters) tell the browser not to remember what
// was typed (autocomplete="off"), so that the next clerk at a shared
// counter PC is not offered the citizen IDs typed before.
func TestSubjectInputsNotRemembered(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.loggedIn(t, "operator")
		input := regexp.MustCompile(`<input[^>]*\bname="subject"[^>]*>`)
		for _, page := range []string{"/records", "/records/discrepancies", "/audit"} {
			r := op.get(page)
			found := input.FindAllString(r.Body, -1)
			if len(found) == 0 {
				t.Errorf("%s (%d): no input named subject", page, r.Status)
			}
			for _, in := range found {
				if !regexp.MustCompile(`\bautocomplete="off"`).MatchString(in) {
					t.Errorf("%s: %s lacks autocomplete=\"off\"", page, in)
				}
			}
		}
	})
}

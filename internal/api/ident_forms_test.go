package api_test

import (
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestIdentForms: GET /api/v1/ident/{value} answers a credit code of 18
// digits that would be a citizen ID born in the future or before 1900 as
// a valid credit code, a foreign permanent resident ID card of any
// province as a valid citizen ID, and reads full-width digits. On both
// engines.
func TestIdentForms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, c := range []struct{ in, kind, norm string }{
			{"915001209904010053", "unified social credit code", "915001209904010053"},
			{"91110118500611000X", "unified social credit code", "91110118500611000X"},
			{"931840198501010013", "citizen ID", "931840198501010013"},
			{"９４４８４０１９８５０１０１００１８", "citizen ID", "944840198501010018"},
		} {
			r := f.do(t, "GET", "/api/v1/ident/"+url.PathEscape(c.in), f.readKey, "")
			if r.status != 200 || r.body["valid"] != true || r.body["kind"] != c.kind || r.body["normalized"] != c.norm {
				t.Errorf("%s: got %d %v, want a valid %s %s", c.in, r.status, r.body, c.kind, c.norm)
			}
		}
	})
}

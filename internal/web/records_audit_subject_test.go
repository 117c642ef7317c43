package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordMissAuditedCanonical: the record page's lookup that finds no
// record is audited under the subject's canonical form, as a served read
// and a refused one are, whatever form the path writes it in (a 15-digit
// citizen ID, a lowercase x check digit). On both engines.
func TestRecordMissAuditedCanonical(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		id18 := recordstest.CitizenID(99)
		withX := ""
		for n := 100; withX == ""; n++ {
			if id := recordstest.CitizenID(n); strings.HasSuffix(id, "X") {
				withX = id
			}
		}
		police := f.loggedIn(t, "police.admin")
		for _, c := range []struct {
			what, canonical, typed string
		}{
			{"15-digit citizen ID", id18, id18[:6] + id18[8:17]},
			{"lowercase x", withX, strings.ToLower(withX)},
		} {
			r := police.get("/records/entries/" + strconv.FormatInt(a, 10) + "/subjects/" + c.typed + "?purpose=" + url.QueryEscape("核查"))
			wantStatus(t, c.what, r, http.StatusNotFound)
			q := `SELECT count(*) FROM audit_log WHERE action = 'records.read' AND outcome = 'failed' AND subject_id = $1`
			if n, raw := count(t, db, q, c.canonical), count(t, db, q, c.typed); n != 1 || raw != 0 {
				t.Errorf("%s: %d failed rows under %s, %d under %s as typed; want 1 and 0", c.what, n, c.canonical, raw, c.typed)
			}
		}
	})
}

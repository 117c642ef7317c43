package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordInvalidSubject: a record page whose subject is no identifier
// of its entry shows the lookup form again (400), the refusal beside the
// subject, the entry and the purpose kept, as a subject without a record
// does, where it showed a bare error page; it reads nothing and, as the
// API's read of such a subject, writes no audit row. On both engines.
func TestRecordInvalidSubject(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		e := publish(t, f, "公安分局", "居住登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		var code string
		if err := db.Read().QueryRowContext(t.Context(), `SELECT code FROM catalog_entries WHERE id = $1`, e).Scan(&code); err != nil {
			t.Fatal(err)
		}
		police := f.loggedIn(t, "police.admin")
		for _, subject := range []string{"%00", "12345"} {
			r := police.get("/records/entries/" + strconv.FormatInt(e, 10) + "/subjects/" + subject + "?purpose=" + url.QueryEscape("核查户籍"))
			wantStatus(t, subject, r, http.StatusBadRequest)
			wantBody(t, subject, r, `id="lookup"`, `id="lookup-subject-error"`, `aria-describedby="lookup-subject-error"`,
				`id="lookup-entry" name="entry" type="text" value="`+code+`"`, `value="核查户籍"`)
			wantNoBody(t, subject, r, `id="lookup-purpose-error"`, `id="lookup-entry-error"`)
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action LIKE 'records.%' AND action <> 'records.batch'`); n != 0 {
			t.Errorf("reads of invalid subjects: %d audit rows, want none (as the API)", n)
		}
	})
}

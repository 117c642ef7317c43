package web_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsLookupWithoutOwnEntries: /records offers the record lookup
// to whoever may read data, a department that publishes no entry of its
// own (a consuming department, which /records/lookup serves) too, where
// the form was shown only beside the department's own entries; the
// auditor, who reads no one's data, is not offered it. On both engines.
func TestRecordsLookupWithoutOwnEntries(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		publish(t, f, "公安分局", "居住登记信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		market := f.loggedIn(t, "market.admin")
		r := market.get("/records")
		wantStatus(t, "a department without entries", r, http.StatusOK)
		wantBody(t, "a department without entries", r, "本部门尚无已发布的数据资源", `action="/records/lookup"`)
		aud := f.loggedIn(t, "auditor")
		wantNoBody(t, "the auditor", aud.get("/records"), `action="/records/lookup"`)
	})
}

package web_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsTimelinessHint: the records overview's note on 及时性 said the
// catalog's 时效要求 is applied before the inference from category, update
// frequency and name, without a word of the texts it no longer applies
// (7ee7728): a licence's 2 working days, any limit beyond 2 working days,
// the quarterly exception before the operator sets it.
func TestRecordsTimelinessHint(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		publish(t, f, "公安分局", "居住登记信息", "01", "002", id, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		police := f.loggedIn(t, "police.admin")
		r := police.get("/records")
		wantStatus(t, "GET /records", r, http.StatusOK)
		wantBody(t, "records overview", r, "电子证照、文书类一律实时更新", "（如2个工作日内）不予适用",
			"长于2个工作日的时限也不予适用", "按季度更新须经政务数据主管部门设定")
		wantNoBody(t, "records overview", r, "目录未写明可识别的时限时")
	})
}

package web_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsRuleShown: the 数据归集 page shows each entry's timeliness rule
// and where it comes from, and an upload with late operations says which
// rule they missed. An entry whose catalog says 2个工作日内 follows the
// catalog (a permit's stays real time: the catalog refuses it 2个工作日内,
// records.TestCatalogLimitBeyondRule).
func TestRecordsRuleShown(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		e := publish(t, f, "公安分局", "烟花爆竹燃放备案信息", "01", "003", id, catalog.Item{Name: "许可编号", Type: "C", Length: 30})

		police := f.client(t)
		tok := police.login("police.admin")
		r := police.get("/records")
		wantStatus(t, "GET /records", r, http.StatusOK)
		wantBody(t, "records overview", r, "<th>时效规则</th>", "产生后2个工作日内", "目录时效要求“2个工作日内”")
		wantNoBody(t, "records overview", r, "实时（次工作日前）")

		late := `{"op":"add","subject_id":"` + recordstest.CitizenID(21) + `","produced_at":"` +
			f.clock.Now().AddDate(0, 0, -10).Format(time.RFC3339) + `","values":{"许可编号":"XK-1"}}` + "\n"
		r = police.upload("/records/upload", tok, "late.jsonl", []byte(late), "entry", strconv.FormatInt(e, 10))
		wantStatus(t, "late upload", r, http.StatusOK)
		wantBody(t, "late upload", r, `id="upload-late-rule"`, "按时效规则“产生后2个工作日内”计为迟报（目录时效要求“2个工作日内”）")
	})
}

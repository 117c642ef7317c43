package web_test

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchesPageUnchanged: the batches page shows a batch's unchanged
// changes (未变化) apart from its duplicates (重复), as its upload's answer
// counted them, where it showed them among the duplicates.
func TestBatchesPageUnchanged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		a := publish(t, f, "公安分局", "居住登记信息", "01", "002", id, catalog.Item{Name: "姓名", Type: "C", Length: 50})
		as := strconv.FormatInt(a, 10)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		op := func(op string, subject int, name, key string) string {
			return `{"op":"` + op + `","subject_id":"` + recordstest.CitizenID(subject) + `","produced_at":"` + produced +
				`","values":{"姓名":"` + name + `"},"key":"` + key + `"}` + "\n"
		}
		first := op("add", 1, "张三", "k1") + op("add", 2, "李四", "k2")
		police := f.client(t)
		ptok := police.login("police.admin")
		wantStatus(t, "first upload", police.upload("/records/upload", ptok, "first.jsonl", []byte(first), "entry", as), http.StatusOK)
		second := first + op("change", 1, "张三", "k3") + op("add", 3, "王五", "k4")
		wantStatus(t, "second upload", police.upload("/records/upload", ptok, "second.jsonl", []byte(second), "entry", as), http.StatusOK)
		r := police.get("/records/batches")
		wantStatus(t, "batches", r, http.StatusOK)
		wantBody(t, "batches", r, `<th class="num">重复</th><th class="num">未变化</th>`)
		// The second batch: 1 applied, 2 duplicates, 1 unchanged.
		if !regexp.MustCompile(`<td class="num">1</td>\s*<td class="num">2</td>\s*<td class="num">1</td>`).MatchString(r.Body) {
			t.Errorf("batches page: no row of 1 applied, 2 duplicates, 1 unchanged:\n%s", r.Body)
		}
	})
}

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

// TestUnchangedShown: an upload's result counts its unchanged changes
// (未变化) beside its duplicates, so that the operations read add up (4 =
// 1 imported + 2 duplicates + 1 unchanged), and its notice says how many
// were unchanged; the batches page shows them apart from the duplicates
// (重复), as the upload counted them, where it showed them among the
// duplicates. On both engines.
func TestUnchangedShown(t *testing.T) {
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
		r := police.upload("/records/upload", ptok, "second.jsonl", []byte(second), "entry", as)
		wantStatus(t, "second upload", r, http.StatusOK)
		wantBody(t, "second upload", r, "已导入 1 条操作，1 条未变化（批次 2）",
			`<div class="stat-value">4</div><div class="stat-label">读取的操作</div>`,
			`<div class="stat-value">2</div><div class="stat-label">重复（已跳过）</div>`,
			`<div class="stat-value">1</div><div class="stat-label">未变化</div>`)

		r = police.get("/records/batches")
		wantStatus(t, "batches", r, http.StatusOK)
		wantBody(t, "batches", r, `<th class="num">重复</th><th class="num">未变化</th>`)
		// The second batch: 1 applied, 2 duplicates, 1 unchanged.
		if !regexp.MustCompile(`<td class="num">1</td>\s*<td class="num">2</td>\s*<td class="num">1</td>`).MatchString(r.Body) {
			t.Errorf("batches page: no row of 1 applied, 2 duplicates, 1 unchanged:\n%s", r.Body)
		}
	})
}

package web_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchWarningsLinkKeepsFilter: a batch's warning count links to its
// warnings on the page it is listed on, the operator's department filter
// and the page's cursor kept, where it linked to ?batch= alone and the
// list behind the warnings was every department's first page. On both
// engines.
func TestBatchWarningsLinkKeepsFilter(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		police := f.client(t)
		tok := police.login("police.admin")
		// CitizenID(n)'s 17th digit is even for a woman: 男 draws a
		// warning.
		for i := range 3 {
			line := `{"op":"add","subject_id":"` + recordstest.CitizenID(40+i) + `","produced_at":"` + produced + `","values":{"性别":"男"}}` + "\n"
			wantStatus(t, "upload", police.upload("/records/upload", tok, "p"+strconv.Itoa(i)+".jsonl", []byte(line), "entry",
				strconv.FormatInt(people, 10)), http.StatusOK)
		}
		dept := strconv.FormatInt(f.depts["公安分局"].ID, 10)
		op := f.loggedIn(t, "operator")
		r := op.get("/records/batches?department_id=" + dept + "&before=3")
		wantStatus(t, "filtered batches", r, http.StatusOK)
		want := `<a href="/records/batches?batch=1&amp;before=3&amp;department_id=` + dept + `#batch-warnings">1</a>`
		wantBody(t, "filtered batches", r, want)
		link := regexp.MustCompile(`href="(/records/batches\?batch=1[^"#]*)#batch-warnings"`).FindStringSubmatch(r.Body)
		if link == nil {
			t.Fatalf("no link to batch 1's warnings:\n%s", r.Body)
		}
		r = op.get(strings.ReplaceAll(link[1], "&amp;", "&"))
		wantStatus(t, "warnings", r, http.StatusOK)
		wantBody(t, "warnings", r, "批次 1 的注意事项", `id="batch-1"`)
		wantNoBody(t, "warnings", r, `id="batch-3"`)
	})
}

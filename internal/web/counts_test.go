package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCountsSeparated: the console shows a count of a thousand or more
// with its thousands separated (1,001), where it showed 1001: the upload's
// result, the entry's records on /records, the batch on /records/batches
// and the batch's 已导入 in the audit log's details. Ids stay as they are.
func TestCountsSeparated(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		var b strings.Builder
		for i := 1; i <= 1001; i++ {
			b.WriteString(`{"op":"add","subject_id":"` + recordstest.CitizenID(i) + `","produced_at":"` + produced + `","values":{"性别":"女"}}` + "\n")
		}
		police := f.client(t)
		tok := police.login("police.admin")
		r := police.upload("/records/upload", tok, "people.jsonl", []byte(b.String()), "entry", strconv.FormatInt(people, 10))
		wantStatus(t, "upload", r, http.StatusOK)
		wantBody(t, "upload", r, `<div class="stat-value">1,001</div><div class="stat-label">已导入</div>`)
		r = police.get("/records")
		wantBody(t, "records", r, `<td class="num">1,001</td>`)
		r = police.get("/records/batches")
		wantBody(t, "batches", r, `<td class="num">1</td>`, `<td class="num">1,001</td>`)
		auditor := f.loggedIn(t, "auditor")
		r = auditor.get("/audit?action=records.batch")
		wantBody(t, "audit", r, `<dt>已导入 <span class="muted mono">applied</span></dt><dd>1,001</dd>`,
			`<dt>截止序号 <span class="muted mono">last_seq</span></dt><dd>1001</dd>`)
	})
}

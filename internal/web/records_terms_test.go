package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsPagesTerms: the records pages call an entry's fields 信息项,
// the glossary's term and the catalog's, where they said 数据项; an upload
// whose operations were all applied before says nothing new was imported
// (duplicates), where it said 已导入 0 条操作; the batches list's empty row
// spans the columns its viewer sees (10 for a department, 11 with the
// operator's 数源部门), where it spanned 11 for everyone. On both engines.
func TestRecordsPagesTerms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		ps := strconv.FormatInt(people, 10)
		subject := recordstest.CitizenID(5)
		police := f.client(t)
		tok := police.login("police.admin")
		r := police.get("/records/batches")
		wantBody(t, "empty batches", r, `<td colspan="10" class="empty">`)
		op := f.loggedIn(t, "operator")
		wantBody(t, "operator's empty batches", op.get("/records/batches"), `<td colspan="11" class="empty">`)

		// The same operation twice, in files that differ (the order of
		// its fields): the second is no replay of the first file, and its
		// operation a duplicate.
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		first := `{"op":"add","key":"k-1","subject_id":"` + subject + `","produced_at":"` + produced + `","values":{"性别":"女"}}` + "\n"
		again := `{"key":"k-1","op":"add","subject_id":"` + subject + `","produced_at":"` + produced + `","values":{"性别":"女"}}` + "\n"
		r = police.upload("/records/upload", tok, "a.jsonl", []byte(first), "entry", ps)
		wantStatus(t, "first upload", r, http.StatusOK)
		wantBody(t, "first upload", r, "已导入 1 条操作")
		r = police.upload("/records/upload", tok, "b.jsonl", []byte(again), "entry", ps)
		wantStatus(t, "all-duplicate upload", r, http.StatusOK)
		wantBody(t, "all-duplicate upload", r, "未导入新的数据：1 条操作此前已导入（重复）")
		wantNoBody(t, "all-duplicate upload", r, "已导入 0 条")

		for what, path := range map[string]string{
			"overview":    "/records",
			"upload form": "/records/upload",
			"record page": "/records/entries/" + ps + "/subjects/" + subject + "?purpose=" + url.QueryEscape("核查"),
		} {
			r := police.get(path)
			wantStatus(t, what, r, http.StatusOK)
			wantBody(t, what, r, "信息项")
			wantNoBody(t, what, r, "数据项")
		}
	})
}

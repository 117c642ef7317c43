package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var versionRowRE = regexp.MustCompile(`<tr id="version-(\d+)">`)

// TestRecordHistoryPaged: a record page lists its history 100 versions
// at a time, newest first, with 下一页 to the older ones (the purpose
// kept) and 第一页 back, where a record of 1,300 versions rendered them all
// in one page; the count still says how many versions there are, and a
// cursor that is no version is refused 400. On both engines.
func TestRecordHistoryPaged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		subject := recordstest.CitizenID(7)
		const n = 105
		var lines strings.Builder
		base := f.clock.Now().Add(-n * time.Minute)
		for i := range n {
			op, sex := "change", []string{"男", "女"}[i%2]
			if i == 0 {
				op = "add"
			}
			lines.WriteString(`{"op":"` + op + `","subject_id":"` + subject + `","produced_at":"` + base.Add(time.Duration(i)*time.Minute).Format(time.RFC3339) +
				`","values":{"性别":"` + sex + `"}}` + "\n")
		}
		res, err := records.Ingest(t.Context(), db, recordstest.Pusher(f.depts["公安分局"].ID), people,
			records.JSONLines(strings.NewReader(lines.String())), f.clock.Now(), records.Options{})
		if err != nil || res.Applied != n {
			t.Fatalf("push: %+v %v", res, err)
		}
		police := f.loggedIn(t, "police.admin")
		page := "/records/entries/" + strconv.FormatInt(people, 10) + "/subjects/" + subject
		versions := func(r response) []string {
			var out []string
			for _, m := range versionRowRE.FindAllStringSubmatch(r.Body, -1) {
				out = append(out, m[1])
			}
			return out
		}
		r := police.get(page + "?purpose=" + url.QueryEscape("核查"))
		wantStatus(t, "first page", r, http.StatusOK)
		wantBody(t, "first page", r, `<span class="count">105</span>`)
		if vs := versions(r); len(vs) != 100 || vs[0] != "105" || vs[99] != "6" {
			t.Fatalf("first page: %d versions %v…, want 105 down to 6", len(vs), vs[:min(3, len(vs))])
		}
		next := regexp.MustCompile(`<a href="([^"]+)" class="btn" id="next-page">下一页</a>`).FindStringSubmatch(r.Body)
		if next == nil {
			t.Fatalf("first page: no 下一页")
		}
		link := strings.ReplaceAll(next[1], "&amp;", "&")
		if !strings.Contains(link, "purpose=") {
			t.Errorf("下一页 %q lost the purpose", link)
		}
		r = police.get(link)
		wantStatus(t, "second page", r, http.StatusOK)
		if vs := versions(r); len(vs) != 5 || vs[0] != "5" || vs[4] != "1" {
			t.Errorf("second page: versions %v, want 5 down to 1", vs)
		}
		wantBody(t, "second page", r, "第一页", `<span class="count">105</span>`)
		wantNoBody(t, "second page", r, "下一页")
		for _, bad := range []string{"abc", "0", "007"} {
			wantStatus(t, "before="+bad, police.get(page+"?purpose=x&before="+bad), http.StatusBadRequest)
		}
	})
}

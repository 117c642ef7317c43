package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// pushNames pushes 姓名 value of each subject into entry, for dept, and
// returns the batch's result.
func pushNames(t *testing.T, f *fixture, dept string, entry int64, value string, subjects []string) records.BatchResult {
	t.Helper()
	produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
	var sb strings.Builder
	for _, s := range subjects {
		sb.WriteString(`{"op":"add","subject_id":"` + s + `","produced_at":"` + produced + `","values":{"姓名":"` + value + `"}}` + "\n")
	}
	res, err := records.Ingest(t.Context(), f.db, recordstest.Pusher(f.depts[dept].ID), entry,
		records.JSONLines(strings.NewReader(sb.String())), f.clock.Now(), records.Options{})
	if err != nil || res.Applied != len(subjects) {
		t.Fatalf("push %s: %+v %v", dept, res, err)
	}
	return res
}

// TestDiscrepancyPagerNumbers: a page of the list of discrepancies, which
// starts after a discrepancy (a cursor), says which of the rows it shows,
// 第 N–M 条 / 共 T 条, and claims no page number, as the other cursor lists
// (the audit log, the batches) claim none: once a discrepancy of the first
// page was resolved, the old second page's address showed rows 50–50 as
// 第 1 页 beside its 第一页 link. On both engines.
func TestDiscrepancyPagerNumbers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := publishNamePair(t, f) // 姓名's one source is 公安分局's entry
		var subjects []string
		for i := range 51 {
			subjects = append(subjects, recordstest.CitizenID(700+i))
		}
		pushNames(t, f, "公安分局", a, "张三", subjects)
		pushNames(t, f, "市场监管局", b, "张叁", subjects)
		police := f.client(t)
		ptok := police.login("police.admin")
		r := police.get("/records/discrepancies?" + checking)
		wantStatus(t, "first page", r, http.StatusOK)
		wantBody(t, "first page", r, `id="result-count">第 1–50 条 / 共 51 条</p>`)
		wantNoBody(t, "first page", r, "页（")
		next := link(r, "next-page")
		r = police.get(next)
		wantBody(t, "second page", r, `id="result-count">第 51–51 条 / 共 51 条</p>`, "第一页")
		wantNoBody(t, "second page", r, "页（")

		// One of the first page resolved, the second page's address
		// starts at the 50th open one.
		first := regexp.MustCompile(`id="discrepancy-(\d+)"`).FindStringSubmatch(police.get("/records/discrepancies?" + checking).Body)
		if first == nil {
			t.Fatal("no discrepancy listed")
		}
		r = police.post("/records/discrepancies/"+first[1]+"/resolve?"+checking, url.Values{"csrf_token": {ptok}, "note": {"以户籍为准"}})
		wantStatus(t, "resolve", r, http.StatusSeeOther)
		r = police.get(next)
		wantStatus(t, "second page after a resolution", r, http.StatusOK)
		wantBody(t, "second page after a resolution", r, `id="result-count">第 50–50 条 / 共 50 条</p>`, "第一页")
		wantNoBody(t, "second page after a resolution", r, "第 1 页", "页（")
	})
}

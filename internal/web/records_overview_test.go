package web_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// seedOverview adds n departments (测试部门000 …) with entries published
// entries each, of every update frequency in turn, published 13 months
// before the clock. All but the last entry of a department have counters
// as data pushed would leave them, last received 0 to 39 days ago; the
// last never received anything. Some are stale, some not, each way.
func seedOverview(t testing.TB, f *fixture, n, entries int) {
	t.Helper()
	ctx, now := context.Background(), f.clock.Now()
	by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
	freqs := []catalog.Frequency{"daily", "weekly", "monthly", "quarterly", "yearly", "realtime"}
	idItem := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
	err := f.db.Tx(ctx, func(tx *sqldb.Tx) error {
		k := 0
		for i := range n {
			d := org.Department{Name: fmt.Sprintf("测试部门%03d", i), ShortName: fmt.Sprintf("测试%03d", i),
				USCC: uscc(t, fmt.Sprintf("7%07d", i)), RegionCode: "440605"}
			if err := org.CreateDepartment(ctx, tx, by, &d, now); err != nil {
				return err
			}
			for j := range entries {
				k++
				r := personResource(fmt.Sprintf("测试部门%03d资源%02d", i, j), "概况测试用的数据资源", "003", "测试",
					idItem, catalog.Item{Name: "姓名", Type: "C", Length: 50})
				r.UpdateFrequency = freqs[k%len(freqs)]
				id, err := catalog.PublishGenerated(ctx, tx, d.ID, r, now.AddDate(0, -13, 0))
				if err != nil {
					return err
				}
				if j == entries-1 {
					continue
				}
				live := int64(8 + k%4)
				if _, err := tx.ExecContext(ctx, `INSERT INTO record_entry_stats (entry_id, department_id, ops, late_ops,
					checked_lines, rejected_lines, live_records, filled_values, item_count, last_received_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 2, $9)`, id, d.ID, 10+k%7, k%3, 12+k%5, k%2, live, 2*live-int64(k%3),
					now.Add(-time.Duration(k%40)*24*time.Hour).UTC()); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed overview: %v", err)
	}
}

// BenchmarkRecordsPage: the operator's 数据归集 page, its first page, with
// 300 departments of 10 published entries each (3,000 entries, 2,700 with
// data), on each engine.
func BenchmarkRecordsPage(b *testing.B) {
	for _, e := range []struct {
		name string
		open func(testing.TB) *sqldb.DB
	}{{"sqlite", sqldbtest.SQLite}, {"postgres", sqldbtest.Postgres}} {
		b.Run(e.name, func(b *testing.B) {
			f := newFixture(b, e.open(b))
			seedOverview(b, f, 300, 10)
			op := f.client(b)
			op.login("operator")
			var size int
			for b.Loop() {
				r := op.get("/records")
				if r.Status != http.StatusOK {
					b.Fatalf("GET /records: %d\n%s", r.Status, r.Body)
				}
				size = len(r.Body)
			}
			b.ReportMetric(float64(size), "bytes/page")
		})
	}
}

var (
	deptRowRE  = regexp.MustCompile(`(?s)<tr id="dept-(\d+)">(.*?)</tr>`)
	entryRowRE = regexp.MustCompile(`(?s)<tr id="entry-(\d+)">(.*?)</tr>`)
	numCellRE  = regexp.MustCompile(`<td class="num">(?:<span class="tag tag-warn">)?(\d+)`)
	scoreRE    = regexp.MustCompile(`<span class="score-value">(\d+)%</span>`)
)

// figures are the numbers of a row of the departments' table, in its
// order: entries, records, operations, late operations, stale entries,
// open discrepancies, discrepancies awaiting correction, then the five
// scores in percent.
func figures(row string) string {
	return strings.Join(append(matches(numCellRE, row), matches(scoreRE, row)...), " ")
}

// TestRecordsOverviewPaging: with 120 departments that received data the
// operator's 各部门归集概况 lists them 50 at a time with 下一页 and 第一页
// and the count of all, with a name search as /org's, each row with the
// figures the page showed before when it read every department and every
// published entry (records.DepartmentQuality, records.Stale); the entries'
// 已停更 are Stale's too, and each list's links keep the other's search.
func TestRecordsOverviewPaging(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		seedOverview(t, f, 120, 3)
		ctx, now := context.Background(), f.clock.Now()
		dq, err := records.DepartmentQuality(ctx, db.Read(), nil, 0, now)
		if err != nil {
			t.Fatal(err)
		}
		stale, err := records.Stale(ctx, db.Read(), nil, 0, now)
		if err != nil {
			t.Fatal(err)
		}
		staleBy, isStale := map[int64]int{}, map[string]bool{}
		for _, s := range stale {
			staleBy[s.DepartmentID]++
			isStale[strconv.FormatInt(s.EntryID, 10)] = true
		}
		if len(dq) != 120 || len(stale) == 0 || len(stale) == 360 {
			t.Fatalf("seeded %d departments with data and %d stale entries of 360", len(dq), len(stale))
		}
		want := map[string]string{}
		pct := func(f float64) string { return strconv.Itoa(int(f*100 + 0.5)) }
		for _, qa := range dq {
			want[strconv.FormatInt(qa.DepartmentID, 10)] = fmt.Sprintf("%d %d %d %d %d %d %d %s %s %s %s %s %s", qa.PublishedEntries-qa.EntriesWithoutData,
				qa.LiveRecords, qa.Ops, qa.LateOps, staleBy[qa.DepartmentID], qa.OpenDiscrepancies, qa.AwaitingCorrection,
				pct(qa.Completeness), pct(qa.Validity), pct(qa.Timeliness), pct(qa.Freshness), pct(qa.Consistency), pct(qa.Coverage))
		}

		op := f.loggedIn(t, "operator")
		// The entries' second page first: the departments' links keep it.
		r := op.get("/records")
		wantStatus(t, "GET /records", r, http.StatusOK)
		entriesNext := link(r, "next-page")
		for _, m := range entryRowRE.FindAllStringSubmatch(r.Body, -1) {
			if got := strings.Contains(m[2], "已停更"); got != isStale[m[1]] {
				t.Errorf("entry %s: 已停更 %v, want %v", m[1], got, isStale[m[1]])
			}
		}
		r = op.get(entriesNext)
		wantStatus(t, "GET "+entriesNext, r, http.StatusOK)
		cursor, _ := url.Parse(entriesNext)
		var seen []string
		for i, n := range []int{50, 50, 20} {
			wantBody(t, "departments", r, `<span class="count" id="dept-count">共 120 个部门</span>`)
			rows := deptRowRE.FindAllStringSubmatch(r.Body, -1)
			if len(rows) != n {
				t.Fatalf("departments page %d: %d rows, want %d", i+1, len(rows), n)
			}
			for _, m := range rows {
				if slices.Contains(seen, m[1]) {
					t.Errorf("department %s on two pages", m[1])
				}
				seen = append(seen, m[1])
				if got := figures(m[2]); got != want[m[1]] {
					t.Errorf("department %s: figures %q, want %q", m[1], got, want[m[1]])
				}
			}
			if i > 0 && link(r, "dept-first-page") == "" {
				t.Errorf("departments page %d: no first-page link", i+1)
			}
			next := link(r, "dept-next-page")
			if i == 2 {
				if next != "" {
					t.Errorf("last departments page: next link %q", next)
				}
				break
			}
			u, err := url.Parse(next)
			if err != nil || u.Query().Get("dept_cursor") == "" || u.Query().Get("cursor") != cursor.Query().Get("cursor") {
				t.Fatalf("departments page %d: next link %q does not keep the entries' page", i+1, next)
			}
			r = op.get(next)
			wantStatus(t, "GET "+next, r, http.StatusOK)
		}
		if len(seen) != len(want) {
			t.Errorf("%d departments listed, want %d", len(seen), len(want))
		}

		// The name search, as /org's; the entries' links keep it.
		r = op.get("/records?dept_q=" + url.QueryEscape("测试部门01"))
		wantStatus(t, "department search", r, http.StatusOK)
		wantBody(t, "department search", r, `id="dept-count">共 10 个部门，名称含“测试部门01”</span>`, `id="dept-clear"`,
			`<input type="hidden" name="dept_q" value="测试部门01">`)
		if rows := deptRowRE.FindAllStringSubmatch(r.Body, -1); len(rows) != 10 {
			t.Errorf("department search: %d rows, want 10", len(rows))
		}
		wantNoBody(t, "department search", r, `id="dept-next-page"`)
		if u, err := url.Parse(link(r, "next-page")); err != nil || u.Query().Get("dept_q") != "测试部门01" {
			t.Errorf("entries' next link %q drops the departments' search", link(r, "next-page"))
		}
		r = op.get("/records?dept_q=" + url.QueryEscape("没有这个部门"))
		wantStatus(t, "department search without a match", r, http.StatusOK)
		wantBody(t, "department search without a match", r, "没有名称含“没有这个部门”且发布了数据资源的部门。", `id="dept-count">共 0 个部门`)
		wantStatus(t, "bad department cursor", op.get("/records?dept_cursor=xyz"), http.StatusBadRequest)
		wantStatus(t, "department search too long", op.get("/records?dept_q="+strings.Repeat("部", 101)), http.StatusBadRequest)
	})
}

// TestRecordsOverviewMissingPushers: the operator's 各部门归集概况 lists
// every department that publishes entries, those that never pushed data
// too (0 records, 尚未推送, no scores), not those whose entries are drafts
// or retired only nor those without entries, and is searched as before.
// Each department links to its own page: its entries with their counts,
// staleness and last push, searched and paged as /records' entries, for
// the operator and the department's own administrator only.
func TestRecordsOverviewMissingPushers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		seedOverview(t, f, 3, 2) // 测试部门000 … 002: one entry with data, one without
		ctx, now := context.Background(), f.clock.Now()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		idItem := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		ids := map[string]int64{}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i, c := range []struct {
				name    string
				entries int
				status  string // what the entries become after publication
			}{{"未推送部门", 52, "published"}, {"草稿部门", 1, "draft"}, {"注销部门", 1, "retired"}, {"无目录部门", 0, ""}} {
				d := org.Department{Name: c.name, USCC: uscc(t, fmt.Sprintf("8%07d", i)), RegionCode: "440605"}
				if err := org.CreateDepartment(ctx, tx, by, &d, now); err != nil {
					return err
				}
				ids[c.name] = d.ID
				for j := range c.entries {
					r := personResource(fmt.Sprintf("%s资源%02d", c.name, j), "概况测试用的数据资源", "004", "测试", idItem)
					id, err := catalog.PublishGenerated(ctx, tx, d.ID, r, now.Add(-time.Hour))
					if err != nil {
						return err
					}
					if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET status = $2 WHERE id = $1`, id, c.status); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ds, _, err := org.FindDepartments(ctx, db.Read(), org.DepartmentFilter{Q: "测试部门"})
		if err != nil || len(ds) != 3 {
			t.Fatalf("seeded departments %v: %v", ds, err)
		}
		var seeded []int64
		for _, d := range ds {
			seeded = append(seeded, d.ID)
		}

		op := f.loggedIn(t, "operator")
		r := op.get("/records")
		wantStatus(t, "GET /records", r, http.StatusOK)
		wantBody(t, "GET /records", r, `id="dept-count">共 4 个部门</span>`, "已推送/目录")
		rows := map[string]string{}
		for _, m := range deptRowRE.FindAllStringSubmatch(r.Body, -1) {
			rows[m[1]] = m[2]
		}
		missing := strconv.FormatInt(ids["未推送部门"], 10)
		for _, id := range append(seeded, ids["未推送部门"]) {
			row, ok := rows[strconv.FormatInt(id, 10)]
			if !ok {
				t.Errorf("department %d not listed", id)
				continue
			}
			if !strings.Contains(row, fmt.Sprintf(`<a href="/records/departments/%d">`, id)) {
				t.Errorf("department %d: no link to its page:\n%s", id, row)
			}
		}
		if len(rows) != 4 {
			t.Errorf("departments listed %v, want the 3 seeded and 未推送部门", slices.Collect(maps.Keys(rows)))
		}
		// Never pushed: 0 of its 52 entries, no records, no scores.
		if row := rows[missing]; !strings.Contains(row, `<td class="num">0 / 52</td><td class="num">0</td><td class="num">0</td>`) ||
			!strings.Contains(row, `<span class="tag tag-warn">尚未推送</span>`) || strings.Count(row, `<td class="muted">—</td>`) != 6 ||
			strings.Contains(row, "<meter") {
			t.Errorf("未推送部门's row:\n%s", row)
		}
		for _, id := range seeded {
			if row := rows[strconv.FormatInt(id, 10)]; !strings.Contains(row, `<td class="num">1 / 2</td>`) || strings.Contains(row, "尚未推送") ||
				strings.Count(row, "<meter") != 6 || !strings.Contains(row, `title="覆盖率 50%"`) {
				t.Errorf("department %d's row:\n%s", id, row)
			}
		}
		r = op.get("/records?dept_q=" + url.QueryEscape("未推送"))
		wantBody(t, "search 未推送", r, `id="dept-count">共 1 个部门，名称含“未推送”</span>`, `id="dept-`+missing+`"`)
		wantBody(t, "search 草稿", op.get("/records?dept_q="+url.QueryEscape("草稿")), "没有名称含“草稿”且发布了数据资源的部门。")

		// A seeded department's page: its entries, the one with data with
		// its figures and last push, the other without.
		dept := seeded[0]
		page := fmt.Sprintf("/records/departments/%d", dept)
		r = op.get(page)
		wantStatus(t, "GET "+page, r, http.StatusOK)
		wantBody(t, "GET "+page, r, "数据归集 · 测试部门000", "测试部门000的数据资源", `id="entries-total">2</span>`,
			`<a href="/records" class="btn btn-light" id="overview-link">`)
		wantNoBody(t, "GET "+page, r, "各部门归集概况", "测试部门001", `id="upload"`)
		qs, err := records.EntryQuality(ctx, db.Read(), nil, 0, dept, now)
		if err != nil || len(qs) != 1 {
			t.Fatalf("quality of 测试部门000: %+v, %v", qs, err)
		}
		for _, m := range entryRowRE.FindAllStringSubmatch(r.Body, -1) {
			if m[1] != strconv.FormatInt(qs[0].EntryID, 10) {
				if !strings.Contains(m[2], `<td class="nowrap">—</td>`) || strings.Count(m[2], `<td class="muted">—</td>`) != 6 {
					t.Errorf("entry %s without data on its department's page:\n%s", m[1], m[2])
				}
				continue
			}
			if got, want := matches(numCellRE, m[2]), []string{strconv.FormatInt(qs[0].LiveRecords, 10), strconv.FormatInt(qs[0].LateOps, 10)}; len(got) < 2 ||
				!slices.Equal(got[:2], want) || !strings.Contains(m[2], qs[0].LastReceivedAt.In(calendar.Location()).Format("2006-01-02 15:04:05")) {
				t.Errorf("entry %s on its department's page: %v\n%s, want records and late %v pushed %s", m[1], got, m[2], want, qs[0].LastReceivedAt)
			}
		}
		r = op.get(page + "?q=" + url.QueryEscape("资源01"))
		wantBody(t, "search on "+page, r, `id="entries-total">1</span>`, `<a href="`+page+`#entries" class="btn btn-light" id="entries-clear">`)

		// 未推送部门's page: 52 entries in pages of 50 and 2.
		page = "/records/departments/" + missing
		r = op.get(page)
		wantBody(t, "GET "+page, r, `id="entries-total">52</span>`, `<span class="muted">未推送</span>`)
		next := link(r, "next-page")
		if n := len(entryRowRE.FindAllString(r.Body, -1)); n != 50 || !strings.HasPrefix(next, page+"?cursor=") {
			t.Fatalf("%s: %d entries, next link %q", page, n, next)
		}
		r = op.get(next)
		if n := len(entryRowRE.FindAllString(r.Body, -1)); n != 2 || link(r, "next-page") != "" ||
			!strings.Contains(r.Body, `<a href="`+page+`#entries" class="btn btn-light">第一页</a>`) {
			t.Errorf("%s, page 2: %d entries\n%s", page, n, r.Body)
		}

		// A department's administrator sees its own page only.
		police := f.loggedIn(t, "police.admin")
		wantStatus(t, "another department's page", police.get(page), http.StatusForbidden)
		r = police.get(fmt.Sprintf("/records/departments/%d", f.depts["公安分局"].ID))
		wantStatus(t, "its own page", r, http.StatusOK)
		wantBody(t, "its own page", r, "该部门尚无已发布的数据资源。")
		for _, p := range []string{"/records/departments/999999", "/records/departments/abc", "/records/departments/0"} {
			wantStatus(t, p, op.get(p), http.StatusNotFound)
		}
	})
}

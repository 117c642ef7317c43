package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
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
			want[strconv.FormatInt(qa.DepartmentID, 10)] = fmt.Sprintf("%d %d %d %d %d %d %d %s %s %s %s %s", qa.Entries, qa.LiveRecords,
				qa.Ops, qa.LateOps, staleBy[qa.DepartmentID], qa.OpenDiscrepancies, qa.AwaitingCorrection,
				pct(qa.Completeness), pct(qa.Validity), pct(qa.Timeliness), pct(qa.Freshness), pct(qa.Consistency))
		}

		op := f.client(t)
		op.login("operator")
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
		wantBody(t, "department search without a match", r, "没有名称含“没有这个部门”且已推送数据的部门。", `id="dept-count">共 0 个部门`)
		wantStatus(t, "bad department cursor", op.get("/records?dept_cursor=xyz"), http.StatusBadRequest)
		wantStatus(t, "department search too long", op.get("/records?dept_q="+strings.Repeat("部", 101)), http.StatusBadRequest)
	})
}

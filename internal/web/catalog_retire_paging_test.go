package web_test

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var (
	retireRowRE  = regexp.MustCompile(`id="retire-request-(\d+)"`)
	retireNextRE = regexp.MustCompile(`<a href="([^"]+)" class="btn" id="retire-requests-next">`)
	mainNextRE   = regexp.MustCompile(`<a href="([^"]+)" class="btn" id="next-page">`)
	hitIDRE      = regexp.MustCompile(`<article class="entry-hit" id="hit-(\d+)">`)
)

// TestRetireRequestsPaged: the 待审核 view pages its retirement requests
// on their own (下一页, retire_cursor), the list's filters and its own
// page kept, and shows them on every page of the list. Before, it listed
// the oldest 100 with no way to the rest, and none on the list's page 2.
func TestRetireRequestsPaged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		dept := f.depts["公安分局"].ID
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: dept}, Editor: true}
		now := f.clock.Now().Add(-time.Hour)
		const requests, drafts = 22, 21
		for i := range requests {
			id := publish(t, f, "公安分局", fmt.Sprintf("暂住人口登记信息%02d", i), "01", "002",
				catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true})
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				_, err := catalog.Retire(ctx, tx, by, id, "并入居住登记信息", now.Add(time.Duration(i)*time.Second))
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range drafts {
			r := catalog.Resource{Name: fmt.Sprintf("户籍档案%02d", i), Abstract: "户籍档案，供各部门核验使用", Format: "database",
				ShareType: catalog.Unconditional, ShareScope: "全区政务部门", ShareMethods: []catalog.ShareMethod{"query"},
				Classification: catalog.Classification{Class: catalog.Basic, CategoryCode: "01", CategoryName: "人口", SubcategoryCode: "001", SubcategoryName: "户籍信息"},
				OpenAttribute:  catalog.NotOpen, UpdateFrequency: "daily", SecurityLevel: 3, NetworkZone: "egov_extranet", Domain: "18",
				SubjectKind: catalog.Person, Items: []catalog.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}}}
			if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				e, err := catalog.Create(ctx, tx, by, dept, r, now)
				if err == nil {
					_, err = catalog.Submit(ctx, tx, by, e.ID, now)
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		op := f.loggedIn(t, "operator")
		rows := func(body string) (out []string) {
			for _, m := range retireRowRE.FindAllStringSubmatch(body, -1) {
				out = append(out, m[1])
			}
			return out
		}
		hits := func(body string) (out []string) {
			for _, m := range hitIDRE.FindAllStringSubmatch(body, -1) {
				out = append(out, m[1])
			}
			return out
		}
		link := func(what string, re *regexp.Regexp, body string) string {
			t.Helper()
			m := re.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("%s: no link", what)
			}
			return html.UnescapeString(m[1])
		}
		first := op.get("/catalog?view=submitted&domain=18")
		wantBody(t, "first page", first, fmt.Sprintf(`待审核 <span class="badge">%d</span>`, requests+drafts), fmt.Sprintf("共 %d 条", requests))
		if got := rows(first.Body); len(got) != 20 {
			t.Fatalf("first page lists %d requests, want 20", len(got))
		}
		// The list's page 2 still shows the requests, and pages them on.
		page2 := op.get(link("list's next", mainNextRE, first.Body))
		if got := rows(page2.Body); !slices.Equal(got, rows(first.Body)) {
			t.Errorf("list's page 2 lists requests %v, want the first page's", got)
		}
		next := link("requests' next", retireNextRE, page2.Body)
		for _, p := range []string{"retire_cursor=", "cursor=", "domain=18", "view=submitted"} {
			if !strings.Contains(next, p) {
				t.Errorf("requests' next %s lacks %s", next, p)
			}
		}
		r := op.get(next)
		got := rows(r.Body)
		if len(got) != requests-20 || slices.ContainsFunc(got, func(id string) bool { return slices.Contains(rows(first.Body), id) }) {
			t.Errorf("requests' page 2: %v", got)
		}
		if h := hits(r.Body); len(h) == 0 || !slices.Equal(h, hits(page2.Body)) {
			t.Errorf("requests' page 2 shows list hits %v, want the list's page 2 %v", h, hits(page2.Body))
		}
		wantBody(t, "requests' page 2", r, `id="retire-requests-first"`, fmt.Sprintf("共 %d 条", requests))
		wantNoBody(t, "requests' page 2", r, `id="retire-requests-next"`)
	})
}

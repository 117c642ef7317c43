package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestConflictDecidedDistinct: the operator decides in the console that
// an item conflicting with another department's only shares its name
// (不是同一数据项): the conflict form offers the choice, the decision is
// told and kept checked, the approval succeeds, and the two entries are
// separated for the item.
func TestConflictDecidedDistinct(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		b := newBrowser(t)
		s := newSite(t, db)
		publishMarketEntry(t, s)
		ctx := context.Background()
		depts, err := org.Departments(ctx, s.DB.Read())
		if err != nil {
			t.Fatal(err)
		}
		var dept int64
		for _, d := range depts {
			if d.ShortName != "市场监管局" && !d.IsOperator {
				dept = d.ID
				break
			}
		}
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "e2e", Name: "e2e", DepartmentID: dept}, Editor: true}
		res := catalog.Resource{
			Name: "临时经营场所登记信息", Abstract: "临时占道经营的场所登记",
			Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: "12", CategoryName: "城管",
				SubcategoryCode: "001", SubcategoryName: "临时经营"},
			Format: "database",
			Items: []catalog.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
				{Name: "经营场所", Type: "C", Length: 200}},
			ShareType: catalog.Unconditional, ShareMethods: []catalog.ShareMethod{"query"}, ShareScope: "全区政务部门",
			OpenAttribute: catalog.NotOpen, UpdateFrequency: "daily", SecurityLevel: 2, NetworkZone: "egov_extranet",
			Domain: "10", SubjectKind: catalog.Person,
		}
		var id int64
		err = s.DB.Tx(ctx, func(tx *sqldb.Tx) error {
			e, err := catalog.Create(ctx, tx, by, dept, res, time.Now())
			if err != nil {
				return err
			}
			id = e.ID
			_, err = catalog.Submit(ctx, tx, by, e.ID, time.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		b.login(s, "operator")
		b.Do("open the entry under review",
			chromedp.Navigate(s.URL+"/catalog/"+strconv.FormatInt(id, 10)),
			chromedp.WaitVisible(chromedp.ID("conflicts")))
		if got := b.Text("#conflicts"); !strings.Contains(got, "经营场所") || !strings.Contains(got, "不是同一数据项") {
			t.Errorf("conflicts = %q, want 经营场所 with the choice 不是同一数据项", got)
		}
		b.Do("choose: not the same data item",
			chromedp.Click(chromedp.CSS(`#conflicts input[name=authoritative_entry_id][value=distinct]`)))
		b.post("decide", chromedp.Click(chromedp.CSS(`#conflicts .conflict-form button`)), "已裁定为不是同一数据项")
		if got := b.Text("#conflicts"); !strings.Contains(got, "已裁定") {
			t.Errorf("after deciding: %q", got)
		}
		if !run(b, "read the choice", chromedp.Poll[bool](
			`document.querySelector('#conflicts input[value=distinct]').checked`, chromedp.WithPollingTimeout(5*time.Second))) {
			t.Error("the distinct choice is not checked after deciding")
		}
		b.post("approve", chromedp.Click(chromedp.ID("approve-entry")), "审核通过")
		var n int
		if err := s.DB.Read().QueryRowContext(ctx, `SELECT count(*) FROM catalog_distinct_items WHERE item_key = '经营场所'
			AND $1 IN (entry_a, entry_b)`, id).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d separated pairs (%v), want 1", n, err)
		}
	})
}

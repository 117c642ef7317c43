package e2e

import (
	"context"
	"testing"
	"unicode/utf8"

	"github.com/chromedp/chromedp"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAstralNameTyped types a department's name of org.MaxDeptName
// characters beyond the Basic Multilingual Plane (CJK Extension B, 𠀀
// on, as personal and place names hold: 生僻字), two UTF-16 units each,
// into the new department form: the browser, which counts a maxlength in
// UTF-16 units, keeps them all, and the department is stored under the
// whole name. On both engines.
func TestAstralNameTyped(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		b := newBrowser(t)
		s := newSite(t, db)
		name := make([]rune, org.MaxDeptName)
		for i := range name {
			name[i] = 0x20000 + rune(i)
		}
		want := string(name)
		b.login(s, "operator")
		b.Do("type the department",
			chromedp.Navigate(s.URL+"/org/departments/new"),
			chromedp.WaitVisible(chromedp.ID("dept-name")),
			chromedp.SendKeys(chromedp.ID("dept-name"), want),
			chromedp.SendKeys(chromedp.ID("dept-uscc"), uscc(t, "MB2E8888")),
			chromedp.SetValue(chromedp.ID("dept-region"), "440605"))
		if got := run(b, "read the name typed", chromedp.Value(chromedp.ID("dept-name"))); got != want {
			t.Fatalf("the name field holds %d characters, want all %d typed", utf8.RuneCountInString(got), org.MaxDeptName)
		}
		b.post("create the department", chromedp.Click(chromedp.ID("create-department")), "部门已新增")
		depts, err := org.Departments(context.Background(), s.DB.Read())
		if err != nil {
			t.Fatal(err)
		}
		var stored []string
		for _, d := range depts {
			if d.USCC == uscc(t, "MB2E8888") {
				stored = append(stored, d.Name)
			}
		}
		if len(stored) != 1 || stored[0] != want {
			t.Errorf("stored department names %q, want the %d characters typed", stored, org.MaxDeptName)
		}
		b.Check()
	})
}

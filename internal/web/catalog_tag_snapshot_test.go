package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/web"
)

// TestEntryPagesTagOfTheirBody: the edit form and the entry page carry the
// tag of the content they show, whatever is committed between reading the
// entry and its tag (web.OnEntryRead). An edit of a draft committed there
// (a draft keeps its version number) leaves the form showing the content
// read with its own edit_tag, whose save is refused 409 rather than
// overwriting the edit it never saw, and the page's submit form a tag the
// submission is refused for; a revision discarded there leaves the pages
// the revision read, 200, where they were 500 pages.
func TestEntryPagesTagOfTheirBody(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, other, op := f.client(t), f.client(t), f.client(t)
		ptok, xtok, otok := police.login("police.admin"), other.login("police.admin"), op.login("operator")
		form := func(token, abstract string) url.Values {
			v := entryForm(token, "户籍人口变动信息", "公民身份号码", "C", "18", "yes")
			if abstract != "" {
				v.Set("abstract", abstract)
			}
			return v
		}
		between := func(path string, v url.Values) *response {
			var got response
			var once sync.Once
			web.OnEntryRead(t, func() { once.Do(func() { got = other.post(path, v) }) })
			return &got
		}
		read := func(what string, path string, hook *response) response {
			t.Helper()
			r := police.get(path)
			web.OnEntryRead(t, nil)
			if hook.Status != http.StatusSeeOther {
				t.Fatalf("%s: the change between the reads: %d %s", what, hook.Status, hook.Body)
			}
			wantStatus(t, what, r, http.StatusOK)
			return r
		}

		draft := createEntry(t, police, form(ptok, ""))
		shown := read("edit form", draft+"/edit", between(draft+"/edit", form(xtok, "另一人改过的摘要")))
		m := editTagRE.FindStringSubmatch(shown.Body)
		if m == nil || strings.Contains(shown.Body, "另一人改过的摘要") {
			t.Fatalf("edit form read before the edit: tag %v\n%s", m, shown.Body)
		}
		save := form(ptok, "")
		save.Set("edit_tag", m[1])
		r := police.post(draft+"/edit", save)
		wantStatus(t, "save of the form read with its edit_tag", r, http.StatusConflict)
		wantBody(t, "save of the form read with its edit_tag", r, "已被他人修改")
		wantBody(t, "draft after the refused save", police.get(draft), "另一人改过的摘要")

		shown = read("entry page", draft, between(draft+"/edit", form(xtok, "第三人改过的摘要")))
		m = formTagRE.FindStringSubmatch(shown.Body)
		if m == nil || strings.Contains(shown.Body, "第三人改过的摘要") {
			t.Fatalf("entry page read before the edit: tag %v\n%s", m, shown.Body)
		}
		r = police.post(draft+"/submit", url.Values{"csrf_token": {ptok}, "tag": {m[1]}})
		wantStatus(t, "submission from the page read with its tag", r, http.StatusConflict)
		wantBody(t, "submission from the page read with its tag", r, "已被他人修改")

		published := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		postOK(t, police, published+"/submit", url.Values{"csrf_token": {ptok}}, published+"?msg=submitted")
		postOK(t, op, published+"/approve", url.Values{"csrf_token": {otok}}, published+"?msg=approved")
		discard := url.Values{"csrf_token": {xtok}, "confirm": {"yes"}}
		for _, path := range []string{published + "?view=working", published + "/edit"} {
			revision := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
			revision.Set("abstract", "修订稿的摘要")
			postOK(t, police, published+"/edit", revision, published+"?view=working&msg=saved")
			wantBody(t, path+" read as its revision was discarded",
				read(path, path, between(published+"/revision/discard", discard)), "修订稿的摘要")
			wantBody(t, path+" read again", police.get(published), "户籍人口基本信息的登记信息")
		}
	})
}

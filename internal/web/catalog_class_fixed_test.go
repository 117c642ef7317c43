package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var (
	classSelectRE = regexp.MustCompile(`<select id="f-class"[^>]*>`)
	codeInputRE   = regexp.MustCompile(`<input id="f-(?:cat|sub|det)-code"[^>]*>`)
	readonlyRE    = regexp.MustCompile(`\sreadonly[\s>]`)
)

// TestEditFormClassificationFixed: the edit form of an entry ever published
// shows its classification codes (类, 项, 目, 细目) read-only, with why, and
// still posts them, so that a save succeeds; a draft never published offers
// them for editing.
func TestEditFormClassificationFixed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")
		form := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		path := createEntry(t, police, form)

		draft := police.get(path + "/edit")
		wantStatus(t, "draft's form", draft, http.StatusOK)
		if s := classSelectRE.FindString(draft.Body); s == "" || regexp.MustCompile(`disabled`).MatchString(s) {
			t.Errorf("draft's form: class select %q, want an enabled one", s)
		}
		for _, in := range codeInputRE.FindAllString(draft.Body, -1) {
			if readonlyRE.MatchString(in) {
				t.Errorf("draft's form: %s is read-only", in)
			}
		}

		postOK(t, police, path+"/submit", url.Values{"csrf_token": {ptok}}, path+"?msg=submitted")
		postOK(t, op, path+"/approve", url.Values{"csrf_token": {otok}}, path+"?msg=approved")
		r := police.get(path + "/edit")
		wantStatus(t, "published entry's form", r, http.StatusOK)
		wantBody(t, "published entry's form", r, `<input type="hidden" name="class" value="basic">`,
			"已发布数据资源的分类（类、项、目、细目代码）不能变更")
		if s := classSelectRE.FindString(r.Body); !regexp.MustCompile(`\sdisabled[\s>]`).MatchString(s) {
			t.Errorf("published entry's form: class select %q, want it disabled", s)
		}
		if ins := codeInputRE.FindAllString(r.Body, -1); len(ins) != 3 {
			t.Errorf("published entry's form: %d code inputs, want 3", len(ins))
		} else {
			for _, in := range ins {
				if !readonlyRE.MatchString(in) {
					t.Errorf("published entry's form: %s is not read-only", in)
				}
			}
		}
		form.Set("abstract", "户籍人口基本信息的年度维护")
		postOK(t, police, path+"/edit", form, path+"?view=working&msg=saved")
	})
}

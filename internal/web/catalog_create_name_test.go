package web_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNewEntrySavedTwice: the compile form saved twice creates one draft;
// the second save shows the form again, 409, with what was typed and the
// refusal beside the name.
func TestNewEntrySavedTwice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		form := entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		createEntry(t, c, form)
		r := c.post("/catalog/new", form)
		wantStatus(t, "second save", r, http.StatusConflict)
		wantBody(t, "second save", r, `id="f-name-error"`, "本部门已有同名数据资源“户籍人口基本信息”", `value="户籍人口基本信息"`)
		if n := countEntries(t, db); n != 1 {
			t.Errorf("%d entries, want 1", n)
		}
	})
}

package web_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestNewEntryFormChoosesShareAndLevel: the new-entry form leaves 共享类型
// and 安全级别 at 请选择, where it chose 无条件共享 and 2级 for the clerk,
// and a form sent without them is refused beside each field; 项 名称 is
// marked required, its hint saying only a 基础信息资源 may leave it blank.
func TestNewEntryFormChoosesShareAndLevel(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		r := c.get("/catalog/new")
		wantStatus(t, "new entry form", r, http.StatusOK)
		for _, id := range []string{"f-share-type", "f-level"} {
			sel := regexp.MustCompile(`(?s)<select id="` + id + `".*?</select>`).FindString(r.Body)
			if !regexp.MustCompile(`^<select[^>]*>\s*<option value="">请选择</option>`).MatchString(sel) {
				t.Errorf("new entry form: %s does not begin with 请选择:\n%s", id, sel)
			}
			if regexp.MustCompile(`selected`).MatchString(sel) {
				t.Errorf("new entry form: %s has a choice made:\n%s", id, sel)
			}
		}
		wantBody(t, "new entry form", r, `<label for="f-cat-name">项 名称 <span class="req" aria-hidden="true">*</span></label>`,
			`<span class="hint" id="f-cat-name-hint">基础信息资源可不填，按“项”代码自动补全。</span>`,
			"主题信息资源和部门信息资源须填写“项”名称")
		wantNoBody(t, "new entry form", r, "（名称可不填，自动补全）")

		form := entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		form.Del("share_type")
		form.Del("security_level")
		r = c.post("/catalog/new", form)
		wantStatus(t, "without share type and level", r, http.StatusUnprocessableEntity)
		wantBody(t, "without share type and level", r,
			`<span class="field-error" id="f-share-type-error">共享类型不能为空</span>`,
			`<span class="field-error" id="f-level-error">安全级别不能为空</span>`)
		if n := countEntries(t, db); n != 0 {
			t.Fatalf("entries after the refused form: %d, want 0", n)
		}
	})
}

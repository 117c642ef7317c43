package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// The console's submit of an entry relating to a code no entry has is
// refused with the catalog's message, naming the code, in the page's alert
// (the entry's page has no related-codes field to show it beside), and the
// entry stays a draft.
func TestSubmitUnknownRelatedCode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		ptok := police.login("police.admin")
		form := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no")
		form.Set("related_codes", "101001/999999")
		path := createEntry(t, police, form)
		r := police.post(path+"/submit", url.Values{"csrf_token": {ptok}})
		wantStatus(t, "submit", r, http.StatusBadRequest)
		wantBody(t, "submit", r, `<p class="alert" role="alert" id="action-error">关联资源代码 101001/999999 不是目录中任何数据资源的资源代码</p>`)
		var status string
		if err := db.Read().QueryRowContext(context.Background(), `SELECT status FROM catalog_entries WHERE id = $1`,
			strings.TrimPrefix(path, "/catalog/")).Scan(&status); err != nil {
			t.Fatal(err)
		}
		if status != "draft" {
			t.Fatalf("entry %s after the refusal; want draft", status)
		}
	})
}

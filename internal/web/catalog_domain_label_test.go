package web_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogListDomainLabel: an entry of domain 其他 naming its domain
// (低空经济) reads 其他（低空经济） in the console's list, which asks Search
// for the label (catalog.Query.DomainLabels), and on its page alike. On
// both engines.
func TestCatalogListDomainLabel(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		tok := police.login("police.admin")
		form := entryForm(tok, "低空飞行器登记信息", "登记编号", "C", "30", "no")
		form.Set("subject_kind", "none")
		form.Set("domain", "99")
		form.Set("domain_other", "低空经济")
		path := createEntry(t, police, form)
		const want = "其他（低空经济）"
		wantBody(t, "list", police.get("/catalog?view=drafts"), "低空飞行器登记信息", want)
		wantBody(t, "page", police.get(path), want)
	})
}

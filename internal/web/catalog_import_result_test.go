package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// draftNote is the import result's sentence on the drafts it made.
const draftNote = "均为本部门草稿，请核对后提交审核"

// TestCatalogImportUnchangedNoDraftNote: the result of an import that
// created or updated nothing (a department's export imported back) does
// not say its entries are drafts to check and submit; one that created or
// updated an entry does. Until 2026-12-06 the page said so of none
// (新增 0 个、更新 0 个、未变化 1 个，均为本部门草稿…).
func TestCatalogImportUnchangedNoDraftNote(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		createEntry(t, c, entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		x := c.get("/catalog/export?format=xlsx")
		wantStatus(t, "export xlsx", x, http.StatusOK)
		r := c.upload("/catalog/import", tok, "目录.xlsx", []byte(x.Body))
		wantStatus(t, "unchanged", r, http.StatusOK)
		wantBody(t, "unchanged", r, `id="import-done"`, "新增 0 个、更新 0 个、未变化 1 个。")
		wantNoBody(t, "unchanged", r, draftNote)

		// The export renamed: an entry created, or the exported one updated.
		csv := c.get("/catalog/export?format=csv")
		wantStatus(t, "export csv", csv, http.StatusOK)
		renamed := strings.ReplaceAll(csv.Body, "户籍人口基本信息", "户籍人口变动信息")
		r = c.upload("/catalog/import", tok, "目录.csv", []byte(renamed))
		wantStatus(t, "renamed", r, http.StatusOK)
		wantBody(t, "renamed", r, `id="import-done"`, draftNote)
	})
}

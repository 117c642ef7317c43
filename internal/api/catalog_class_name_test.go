package api_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogClassNameLimit: POST of an entry whose 项 name has
// catalog.MaxClassName + 1 characters is refused, 400 too_long on
// classification.category_name, as the console's form refused it, where
// any length was stored (and cut by the XLSX export); at the limit it is
// created. Both engines.
func TestCatalogClassNameLimit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		long := strings.Replace(marriageEntry, `"category_name":"民政"`,
			`"category_name":"`+strings.Repeat("政", catalog.MaxClassName+1)+`"`, 1)
		r := f.do(t, "POST", "/api/v1/catalog/entries", "", long, admin...)
		if r.status != 400 || r.body["code"] != "too_long" || r.body["field"] != "classification.category_name" {
			t.Fatalf("a 项 name of %d characters: %d %v, want 400 too_long on classification.category_name",
				catalog.MaxClassName+1, r.status, r.body)
		}
		atLimit := strings.Replace(marriageEntry, `"category_name":"民政"`,
			`"category_name":"`+strings.Repeat("政", catalog.MaxClassName)+`"`, 1)
		if r := f.do(t, "POST", "/api/v1/catalog/entries", "", atLimit, admin...); r.status != 201 {
			t.Errorf("a 项 name of %d characters: %d %v, want 201", catalog.MaxClassName, r.status, r.body)
		}
	})
}

package web_test

import (
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepanciesPageTerms: the list of discrepancies calls an entry's
// field 信息项, the glossary's term and the catalog's, where its hint said
// 数据项. On both engines.
func TestDiscrepanciesPageTerms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.loggedIn(t, "operator")
		for _, path := range []string{"/records/discrepancies", "/records/discrepancies?" + checking} {
			r := op.get(path)
			wantStatus(t, path, r, http.StatusOK)
			wantBody(t, path, r, "同一主体的同一信息项")
			wantNoBody(t, path, r, "数据项")
		}
	})
}

package web_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAppDescriptionMaxLength: the create form's description takes as
// many characters as the server does (org.MaxDescription), not 500, of
// any plane: its maxlength, in UTF-16 units, is twice that (textmax).
func TestAppDescriptionMaxLength(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		c.login("police.admin")
		r := c.get("/apps")
		wantStatus(t, "apps", r, http.StatusOK)
		wantBody(t, "apps", r, `id="app-desc" name="description" rows="2" maxlength="`+strconv.Itoa(2*org.MaxDescription)+`"`)
	})
}

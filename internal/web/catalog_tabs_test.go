package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogTabsByRole: the catalog list's tabs 草稿与退回 and 待审核 are
// shown to those who compile (the operator, a department's administrator)
// or review (the operator's department's reviewers), where the auditor and
// a department's reviewer, who do neither, saw them too, always empty of
// work of theirs; 已发布, 年度维护到期 and 已注销 are everyone's. A link to a
// view not shown as a tab still answers, its tab shown active. On both
// engines.
func TestCatalogTabsByRole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: "platform.reviewer", DisplayName: "钱审核",
				DepartmentID: f.depts["数管局"].ID, Role: org.Reviewer, Password: password}, f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		const drafts, submitted = `href="/catalog?view=drafts"`, `href="/catalog?view=submitted"`
		always := []string{`href="/catalog" class="active"`, `href="/catalog?view=review_due"`, `href="/catalog?view=retired"`}
		for _, c := range []struct {
			user string
			work bool
		}{
			{"operator", true}, {"police.admin", true}, {"platform.reviewer", true},
			{"auditor", false}, {"reviewer", false},
		} {
			cl := f.client(t)
			cl.login(c.user)
			r := cl.get("/catalog")
			wantStatus(t, c.user+" /catalog", r, http.StatusOK)
			wantBody(t, c.user+" /catalog", r, always...)
			if c.work {
				wantBody(t, c.user+" /catalog", r, drafts, submitted)
			} else {
				wantNoBody(t, c.user+" /catalog", r, drafts, submitted)
				r = cl.get("/catalog?view=submitted")
				wantStatus(t, c.user+" view=submitted", r, http.StatusOK)
				wantBody(t, c.user+" view=submitted", r, `href="/catalog?view=submitted" class="active"`)
				wantNoBody(t, c.user+" view=submitted", r, drafts)
			}
		}
	})
}

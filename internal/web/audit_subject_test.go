package web_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAuditSubjectForms: the audit page's subject filter finds a
// subject's rows however its identifier is typed (lower-case x, the old
// 15-digit citizen ID, full-width digits, a credit code in lower case), as
// records store it, and a text no identifier's as typed. On both engines.
func TestAuditSubjectForms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		const person, company = "11010519491231002X", "91350100M000100Y43"
		by := audit.Actor{Kind: audit.ActorSystem, ID: "checker", Name: "checker"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, s := range []string{person, person, company, "abc"} {
				ev := audit.Event{Actor: by, Action: "records.read", ObjectType: "catalog_entry", ObjectID: "1", SubjectID: s, Fields: "姓名"}
				if err := audit.Record(ctx, tx, ev, f.clock.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		c := f.loggedIn(t, "auditor")
		for _, tc := range []struct {
			subject, want string
			n             int
		}{
			{person, person, 2},
			{"11010519491231002x", person, 2},
			{"110105491231002", person, 2},
			{"１１０１０５１９４９１２３１００２ｘ", person, 2},
			{"91350100m000100y43", company, 1},
			{"abc", "abc", 1},
		} {
			u := "/audit?action=records.read&actor=checker&subject=" + url.QueryEscape(tc.subject)
			wantAuditRows(t, u, c.get(u), tc.n, ">"+tc.want+"</a>")
		}
		// The filter takes as many characters as org.Search does.
		wantBody(t, "the subject filter", c.get("/audit?subject=abc"), `name="subject" value="abc" maxlength="`+strconv.Itoa(2*org.MaxSearch)+`"`)
	})
}

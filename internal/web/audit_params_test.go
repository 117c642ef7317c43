package web_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var auditHrefRE = regexp.MustCompile(`href="(/audit(?:\?[^"]*)?)"`)

// TestAuditParams: the audit page takes the API's names of the filters it
// has (subject_id, department_id, cursor), redirecting to its own, and
// refuses a parameter it does not take (limit, bogus) 400 naming it, where
// it showed the whole log as if filtered. Every link the page gives still
// answers 200. On both engines.
func TestAuditParams(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		by := audit.Actor{Kind: audit.ActorSystem, ID: "checker", Name: "checker"}
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, s := range []string{"abc", "def"} {
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

		r := c.get("/audit?subject_id=abc&action=records.read")
		wantStatus(t, "subject_id", r, http.StatusSeeOther)
		if r.Location != "/audit?action=records.read&subject=abc" {
			t.Errorf("subject_id: redirected to %q", r.Location)
		}
		wantAuditRows(t, "subject_id followed", c.get(r.Location), 1, ">abc</a>")
		r = c.get("/audit?cursor=5")
		if r.Status != http.StatusSeeOther || r.Location != "/audit?before=5" {
			t.Errorf("cursor: %d to %q, want 303 to /audit?before=5", r.Status, r.Location)
		}
		r = c.get("/audit?department_id=1")
		if r.Status != http.StatusSeeOther || r.Location != "/audit?department=1" {
			t.Errorf("department_id: %d to %q, want 303 to /audit?department=1", r.Status, r.Location)
		}
		for _, tc := range []struct{ url, param string }{
			{"/audit?limit=5", "limit"}, {"/audit?bogus=1", "bogus"}, {"/audit?actor_id=x", "actor_id"},
			{"/audit?subject=abc&subject_id=def", "subject_id"},
		} {
			r := c.get(tc.url)
			wantStatus(t, tc.url, r, http.StatusBadRequest)
			wantBody(t, tc.url, r, "“"+tc.param+"”")
		}

		r = c.get("/audit?action=records.read&actor=checker")
		wantAuditRows(t, "reads", r, 2, "records.read")
		links := auditHrefRE.FindAllStringSubmatch(r.Body, -1)
		if len(links) < 4 {
			t.Fatalf("only %d links to /audit", len(links))
		}
		for _, m := range links {
			u := html.UnescapeString(m[1])
			wantStatus(t, u, c.get(u), http.StatusOK)
		}
	})
}

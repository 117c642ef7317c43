package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateFormFailedForgotten: a create form whose first submission
// made nothing because its audit row was refused (503: a full disk, as a
// lost COMMIT) is forgotten, so that sending it again, as the 503 page
// asks, creates the app, account or entry, where the repeat was answered
// as made by the first (200 已由第一次提交创建 naming no app, a redirect to
// an account or entry that does not exist). A form_id of another shape
// than the server's is not remembered: the form sent again is refused
// the taken name, and the form_id is not shown again. On both engines.
func TestCreateFormFailedForgotten(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		tok := police.login("police.admin")
		op := f.client(t)
		otok := op.login("operator")

		refuse := `CREATE TRIGGER create_refused BEFORE INSERT ON audit_log
			WHEN NEW.action IN ('app.create', 'user.create', 'catalog.create')
			BEGIN SELECT RAISE(ABORT, 'disk full'); END`
		allow := `DROP TRIGGER create_refused`
		if db.Dialect == sqldb.Postgres {
			refuse = `CREATE FUNCTION create_refused() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN IF NEW.action IN ('app.create', 'user.create', 'catalog.create') THEN RAISE EXCEPTION 'disk full'; END IF;
				RETURN NEW; END $$;
				CREATE TRIGGER create_refused BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION create_refused()`
			allow = `DROP TRIGGER create_refused ON audit_log; DROP FUNCTION create_refused()`
		}
		// sentAgain posts form to path with the audit row refused, then
		// again with it allowed, and returns the second answer.
		sentAgain := func(t *testing.T, c *client, path string, form url.Values) response {
			t.Helper()
			sqldbtest.Exec(t, db, refuse)
			first := c.post(path, form)
			sqldbtest.Exec(t, db, allow)
			wantStatus(t, "audit row refused", first, http.StatusServiceUnavailable)
			return c.post(path, form)
		}

		t.Run("app", func(t *testing.T) {
			form := url.Values{"csrf_token": {tok}, "name": {"失败核验系统"}, "scopes": {"catalog.read"}, "form_id": {formIDOn(t, police, "/apps")}}
			again := sentAgain(t, police, "/apps", form)
			wantStatus(t, "sent again", again, http.StatusCreated)
			wantBody(t, "sent again", again, `id="api-key"`)
			if n := count(t, db, `SELECT count(*) FROM apps WHERE name = '失败核验系统'`); n != 1 {
				t.Errorf("apps made: %d, want 1", n)
			}
		})
		t.Run("account", func(t *testing.T) {
			form := url.Values{"csrf_token": {otok}, "username": {"fail.clerk"}, "display_name": {"失败"}, "department": {"公安分局"},
				"role": {"reviewer"}, "password": {password}, "password_confirm": {password}, "form_id": {formIDOn(t, op, "/org/users/new")}}
			wantMadeOnce(t, db, op, sentAgain(t, op, "/org/users/new", form), "account", "fail.clerk",
				`SELECT count(*) FROM users WHERE username = 'fail.clerk'`)
		})
		t.Run("entry", func(t *testing.T) {
			form := entryForm(tok, "失败户籍信息", "公民身份号码", "C", "18", "yes")
			form.Set("form_id", formIDOn(t, police, "/catalog/new"))
			wantMadeOnce(t, db, police, sentAgain(t, police, "/catalog/new", form), "entry", "失败户籍信息",
				`SELECT count(*) FROM catalog_entries WHERE name = '失败户籍信息'`)
		})
		t.Run("form_id of another shape", func(t *testing.T) {
			for i, id := range []string{strings.Repeat("Q", 4096), strings.ToLower(formIDOn(t, police, "/apps")), formIDOn(t, police, "/apps") + "A"} {
				form := url.Values{"csrf_token": {tok}, "name": {fmt.Sprintf("异形核验系统%d", i)}, "scopes": {"catalog.read"}, "form_id": {id}}
				first := police.post("/apps", form)
				wantStatus(t, "first", first, http.StatusCreated)
				again := police.post("/apps", form)
				wantStatus(t, "sent again", again, http.StatusConflict)
				if strings.Contains(again.Body, id) {
					t.Errorf("sent again: the page shows the form_id %.40q…", id)
				}
			}
		})
	})
}

// wantMadeOnce checks that a create form sent again (again) was answered
// by a redirect to what it made, whose page shows shown, and that
// made (a count) finds one.
func wantMadeOnce(t *testing.T, db *sqldb.DB, c *client, again response, what, shown, made string) {
	t.Helper()
	wantStatus(t, "sent again", again, http.StatusSeeOther)
	if !strings.HasSuffix(again.Location, "?msg=created") {
		t.Fatalf("sent again: redirected to %q, want the %s made", again.Location, what)
	}
	wantBody(t, "the "+what, c.get(again.Location), shown)
	if n := count(t, db, made); n != 1 {
		t.Errorf("%ss made: %d, want 1", what, n)
	}
}

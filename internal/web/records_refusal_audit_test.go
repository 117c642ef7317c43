package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestConsolePushRefusalAudited: the console's upload refused its caller
// leaves a denied records.batch row, as the API's push does: the
// operator's role (forbidden, no entry named yet) and another
// department's entry (not_provider, on the entry), where neither left
// one. Another department's file of the wrong type is refused 403
// not_provider, not told the file's 422; the entry's own department is.
// On both engines.
func TestConsolePushRefusalAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := publishNamePair(t, f)
		ea, eb := strconv.FormatInt(a, 10), strconv.FormatInt(b, 10)
		line := []byte(`{"op":"add","subject_id":"` + recordstest.CitizenID(31) + `","produced_at":"` +
			f.clock.Now().Add(-time.Hour).Format(time.RFC3339) + `","values":{"姓名":"张三"}}` + "\n")
		denied := func(user, object, reason string) int {
			return count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.batch' AND outcome = 'denied'
				AND object_type = 'catalog_entry' AND COALESCE(object_id, '') = $1 AND actor_name = $2 AND detail = $3`,
				object, user, `{"reason":"`+reason+`"}`)
		}
		op := f.client(t)
		otok := op.login("operator")
		market := f.client(t)
		mtok := market.login("market.admin")
		for _, c := range []struct {
			name                       string
			c                          *client
			tok, user, entry, file     string
			status                     int
			object, reason, wantInBody string
		}{
			{"the operator's upload", op, otok, "operator", ea, "a.jsonl", http.StatusForbidden, "", "forbidden", "您的角色（平台管理员）无权"},
			{"another department's upload", market, mtok, "market.admin", ea, "a.jsonl", http.StatusForbidden, ea, "not_provider",
				"不能推送数据"},
			{"another department's file of another type", market, mtok, "market.admin", ea, "a.txt", http.StatusForbidden, ea,
				"not_provider", "不能推送数据"},
		} {
			before := denied(c.user, c.object, c.reason)
			r := c.c.upload("/records/upload", c.tok, c.file, line, "entry", c.entry)
			if r.Status != c.status {
				t.Errorf("%s: status %d, want %d", c.name, r.Status, c.status)
			}
			wantBody(t, c.name, r, c.wantInBody)
			if n := denied(c.user, c.object, c.reason) - before; n != 1 {
				t.Errorf("%s left %d denied records.batch rows (%s), want 1", c.name, n, c.reason)
			}
		}
		all := func() int {
			return count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'records.batch' AND outcome = 'denied'`)
		}
		before := all()
		r := market.upload("/records/upload", mtok, "b.txt", line, "entry", eb)
		wantStatus(t, "the department's file of another type", r, http.StatusUnprocessableEntity)
		wantBody(t, "the department's file of another type", r, "只能上传 JSON Lines（.jsonl）或 CSV（.csv）文件：b.txt")
		if n := all() - before; n != 0 {
			t.Errorf("the department's own refused file left %d denied rows, want none", n)
		}
	})
}

// TestConsoleDiscrepancyRefusalAudited: the console's feedback and
// resolution refused a reviewer's role leave a denied row of the action
// on the discrepancy (forbidden), as the API's do, where they left none;
// and a department that is neither side, posting a form the console
// refuses (a choice it never offers), is answered 404 as for no
// discrepancy and leaves the denied not_party row, where it was told what
// was wrong with its form (422) and so learnt that the discrepancy
// exists. On both engines.
func TestConsoleDiscrepancyRefusalAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := strconv.FormatInt(openNameDiscrepancy(t, f, recordstest.CitizenID(32)).id, 10)
		ctx := context.Background()
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			by := audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"}
			d := org.Department{Name: "佛山市南海区人力资源和社会保障局", ShortName: "人社局", USCC: uscc(t, "MB2E8888"), RegionCode: "440605"}
			if err := org.CreateDepartment(ctx, tx, by, &d, f.clock.Now()); err != nil {
				return err
			}
			_, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: "hr.admin", DisplayName: "吴管理", DepartmentID: d.ID,
				Role: org.DeptAdmin, Password: password}, f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		reviewer := f.client(t)
		rtok := reviewer.login("reviewer")
		hr := f.client(t)
		htok := hr.login("hr.admin")
		denied := func(action, user, reason string) int {
			return count(t, db, `SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = 'denied'
				AND object_type = 'record_discrepancy' AND object_id = $2 AND actor_name = $3 AND detail = $4`,
				"records.discrepancy."+action, id, user, `{"reason":"`+reason+`"}`)
		}
		for _, c := range []struct {
			name, action, user, reason string
			c                          *client
			form                       url.Values
			status                     int
		}{
			{"the reviewer's feedback", "feedback", "reviewer", "forbidden", reviewer,
				url.Values{"csrf_token": {rtok}, "feedback": {"核实"}}, http.StatusForbidden},
			{"the reviewer's resolution", "resolve", "reviewer", "forbidden", reviewer,
				url.Values{"csrf_token": {rtok}, "note": {"核实"}}, http.StatusForbidden},
			{"no party's feedback of a choice never offered", "feedback", "hr.admin", "not_party", hr,
				url.Values{"csrf_token": {htok}, "feedback": {"核实"}, "disputed": {"x"}}, http.StatusNotFound},
			{"no party's resolution of no entry", "resolve", "hr.admin", "not_party", hr,
				url.Values{"csrf_token": {htok}, "authority": {"x"}}, http.StatusNotFound},
		} {
			before := denied(c.action, c.user, c.reason)
			if r := c.c.post("/records/discrepancies/"+id+"/"+c.action, c.form); r.Status != c.status {
				t.Errorf("%s: status %d, want %d", c.name, r.Status, c.status)
			}
			if n := denied(c.action, c.user, c.reason) - before; n != 1 {
				t.Errorf("%s left %d denied rows (%s), want 1", c.name, n, c.reason)
			}
		}
	})
}

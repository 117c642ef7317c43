package api_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// schemaKeys returns the properties and the required properties of a
// component schema of the OpenAPI document.
func schemaKeys(t *testing.T, name string) (props, required []string) {
	t.Helper()
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
	for k := range s["properties"].(map[string]any) {
		props = append(props, k)
	}
	for _, k := range s["required"].([]any) {
		required = append(required, k.(string))
	}
	return props, required
}

// checkKeys reports a key of obj that is not snake_case or not in the
// schema, and a required key obj lacks.
func checkKeys(t *testing.T, what string, obj map[string]any, props, required []string) {
	t.Helper()
	for k := range obj {
		if !snakeCase.MatchString(k) {
			t.Errorf("%s: key %q is not snake_case: %v", what, k, obj)
		}
		if !slices.Contains(props, k) {
			t.Errorf("%s: key %q is not in the OpenAPI schema %v", what, k, props)
		}
	}
	for _, k := range required {
		if _, ok := obj[k]; !ok {
			t.Errorf("%s: required key %q missing: %v", what, k, obj)
		}
	}
}

// TestAuditJSONKeys: the rows of GET /api/v1/audit and the report of
// /audit/verify have snake_case keys, those their OpenAPI schemas describe
// (not the Go field names Seq, At, Actor.Kind …).
func TestAuditJSONKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		// A row with a department: a staff login.
		if r := f.do(t, "POST", "/api/v1/auth/login", "", `{"username":"mz.admin","password":"`+password+`"}`); r.status != 200 {
			t.Fatalf("login: %d %v", r.status, r.body)
		}
		entryProps, entryRequired := schemaKeys(t, "AuditEntry")
		actorProps, actorRequired := schemaKeys(t, "AuditActor")
		r := f.do(t, "GET", "/api/v1/audit?limit=500", f.opKey, "")
		items, _ := r.body["items"].([]any)
		if r.status != 200 || len(items) < 2 {
			t.Fatalf("GET /api/v1/audit: %d %v", r.status, r.body)
		}
		var login map[string]any
		for i, it := range items {
			row := it.(map[string]any)
			checkKeys(t, fmt.Sprint("audit row ", i), row, entryProps, entryRequired)
			actor, ok := row["actor"].(map[string]any)
			if !ok {
				t.Fatalf("audit row %d: actor is not an object: %v", i, row)
			}
			checkKeys(t, fmt.Sprint("actor of audit row ", i), actor, actorProps, actorRequired)
			if row["seq"] != float64(len(items)-i) {
				t.Errorf("audit row %d: got seq %v, want %d (newest first)", i, row["seq"], len(items)-i)
			}
			if row["action"] == "auth.login" {
				login = row
			}
		}
		if login == nil || login["actor"].(map[string]any)["department_id"] != float64(f.otherID) ||
			login["actor"].(map[string]any)["kind"] != "user" || login["outcome"] != "ok" || login["object_type"] != "user" {
			t.Errorf("login row: got %v, want mz.admin's of department %d", login, f.otherID)
		}

		reportProps, reportRequired := schemaKeys(t, "AuditReport")
		r = f.do(t, "GET", "/api/v1/audit/verify", f.opKey, "")
		checkKeys(t, "verify report", r.body, reportProps, reportRequired)
		if r.status != 200 || r.body["intact"] != true || r.body["problem"] != nil {
			t.Errorf("verify: got %d %v, want intact", r.status, r.body)
		}
		// The head reported is an anchor a later verify checks.
		anchor := fmt.Sprintf("%v:%v", r.body["head"], r.body["head_hash"])
		if r := f.do(t, "GET", "/api/v1/audit/verify?anchor="+anchor, f.opKey, ""); r.status != 200 || r.body["intact"] != true {
			t.Errorf("verify against its head %s: got %d %v, want intact", anchor, r.status, r.body)
		}
		other := fmt.Sprintf("%v:%s", r.body["head"], strings.Repeat("0", 64))
		if r := f.do(t, "GET", "/api/v1/audit/verify?anchor="+other, f.opKey, ""); r.status != 200 || r.body["intact"] != false {
			t.Errorf("verify against another hash: got %d %v, want not intact", r.status, r.body)
		}
		if r := f.do(t, "GET", "/api/v1/audit/verify?anchor=12", f.opKey, ""); r.status != 400 || r.body["code"] != "invalid_anchor" {
			t.Errorf("verify against a malformed anchor: got %d %v, want 400 invalid_anchor", r.status, r.body)
		}
		if _, err := db.Write().ExecContext(context.Background(), `UPDATE audit_log SET purpose = 'x' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		r = f.do(t, "GET", "/api/v1/audit/verify", f.opKey, "")
		problem, _ := r.body["problem"].(map[string]any)
		if r.body["intact"] != false || problem["seq"] != float64(2) || problem["code"] != "row_edited" || problem["reason"] == "" || len(problem) != 3 {
			t.Errorf("verify of an edited row: got %v, want problem {seq: 2, code: row_edited, reason}", r.body)
		}
	})
}

// TestAuditFilters: GET /api/v1/audit filters as the console's audit page
// does — actions, prefixes and whole groups (repeatable), subject, actor's
// name, kind and department (by name or credit code), dates in Beijing
// time with the last day included, outcome — and refuses a value it cannot
// read with 400, a stable code and the parameter.
func TestAuditFilters(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		p1, p2 := "11010519491231002X", "110105194912310029"
		bj := func(day, hour int) time.Time { return time.Date(2026, 10, day, hour, 0, 0, 0, calendar.Location()) }
		mz := audit.Actor{Kind: audit.ActorUser, ID: "2", Name: "mz.admin", DepartmentID: f.otherID}
		window := audit.Actor{Kind: audit.ActorApp, ID: "k1", Name: "一窗受理系统", DepartmentID: f.deptID}
		for _, r := range []struct {
			at               time.Time
			actor            audit.Actor
			action, subject  string
			outcome, purpose string
		}{
			{bj(1, 10), mz, "records.read", p1, audit.OK, "核查户籍"},
			{bj(1, 23), window, "records.feed", p2, audit.OK, ""},
			{bj(3, 9), mz, "records.read", p2, audit.Denied, "登记核验"},
			{bj(3, 10), mz, "records.batch", "", audit.OK, ""},
		} {
			err := db.Tx(ctx, func(tx *sqldb.Tx) error {
				return audit.Record(ctx, tx, audit.Event{Actor: r.actor, Action: r.action, ObjectType: "catalog_entry", ObjectID: "1",
					SubjectID: r.subject, Purpose: r.purpose, Outcome: r.outcome}, r.at)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		// The fixture's rows are of 2026-03-02: since=2026-10-01 leaves the four above.
		for _, c := range []struct {
			query string
			want  []string // the rows' actions and subjects, newest first
		}{
			{"since=2026-10-01", []string{"records.batch ", "records.read " + p2, "records.feed " + p2, "records.read " + p1}},
			{"action=group:read", []string{"records.read " + p2, "records.feed " + p2, "records.read " + p1}},
			{"action=group:push&action=records.feed", []string{"records.batch ", "records.feed " + p2}},
			{"action=records.&action=group:account&since=2026-10-01", []string{"records.batch ", "records.read " + p2, "records.feed " + p2, "records.read " + p1}},
			{"action=records.read&subject_id=" + p2, []string{"records.read " + p2}},
			{"actor=mz.admin", []string{"records.batch ", "records.read " + p2, "records.read " + p1}},
			{"actor=" + url.QueryEscape("一窗受理系统"), []string{"records.feed " + p2}},
			{"actor=mz", nil},
			{"actor_kind=app&since=2026-10-01", []string{"records.feed " + p2}},
			{"department=" + url.QueryEscape("南海区民政局") + "&since=2026-10-01", []string{"records.batch ", "records.read " + p2, "records.read " + p1}},
			{"department=11440605MB2C9235XX&action=group:read", []string{"records.read " + p2, "records.read " + p1}},
			{"outcome=denied&since=2026-10-01", []string{"records.read " + p2}},
			// Several outcomes: any of them, repeated or joined by ",".
			{"outcome=denied,ok&action=records.read&since=2026-10-01", []string{"records.read " + p2, "records.read " + p1}},
			{"outcome=denied&outcome=failed&since=2026-10-01", []string{"records.read " + p2}},
			{"outcome=ok&outcome=denied&action=records.read&since=2026-10-01", []string{"records.read " + p2, "records.read " + p1}},
			// Dates in Beijing time, the last day included: 23:00 of the 1st is 15:00 UTC.
			{"action=group:read&until=2026-10-01", []string{"records.feed " + p2, "records.read " + p1}},
			{"action=group:read&since=2026-10-02", []string{"records.read " + p2}},
			{"since=2026-10-02&until=2026-10-02", nil},
			{"action=group:read&since=2026-10-01T14:00:00Z&until=2026-10-03T01:00:00%2B08:00", []string{"records.feed " + p2}},
		} {
			r := f.do(t, "GET", "/api/v1/audit?"+c.query, f.opKey, "")
			if items, ok := r.body["items"].([]any); !ok && r.status == 200 {
				t.Errorf("?%s: items = %#v, want a list ([] when empty)", c.query, r.body["items"])
			} else if len(items) == 0 && len(c.want) > 0 {
				t.Errorf("?%s: no items", c.query)
			}
			items, _ := r.body["items"].([]any)
			var got []string
			for _, it := range items {
				row := it.(map[string]any)
				got = append(got, fmt.Sprint(row["action"], " ", row["subject_id"]))
			}
			if r.status != 200 || !slices.Equal(got, c.want) {
				t.Errorf("?%s: got %d %q, want %q (%v %v)", c.query, r.status, got, c.want, r.body["code"], r.body["detail"])
			}
		}

		for _, c := range []struct{ query, field, code string }{
			{"action=group:nothing", "action", "invalid_action"},
			{"action=group:read&action=group:", "action", "invalid_action"},
			{"action=bogus", "action", "invalid_action"},
			{"action=record.read", "action", "invalid_action"},
			{"action=recordz.", "action", "invalid_action"},
			{"actor_kind=robot", "actor_kind", "invalid_actor_kind"},
			{"outcome=maybe", "outcome", "invalid_outcome"},
			{"outcome=denied,maybe", "outcome", "invalid_outcome"},
			{"outcome=ok&outcome=Denied", "outcome", "invalid_outcome"},
			{"actor=" + strings.Repeat("张", 101), "actor", "query_too_long"},
			{"subject_id=%01", "subject_id", "invalid_characters"},
			{"department=" + url.QueryEscape("南海区民政局") + "&department_id=1", "department", "invalid_department"},
			{"since=10%2F3", "since", "invalid_time"},
			{"until=2026-10-32", "until", "invalid_time"},
			{"since=2026-10-03&until=2026-10-01", "until", "invalid_range"},
		} {
			r := f.do(t, "GET", "/api/v1/audit?"+c.query, f.opKey, "")
			if detail, _ := r.body["detail"].(string); r.status != 400 || r.body["code"] != c.code || r.body["field"] != c.field || !hasHan(detail) {
				t.Errorf("?%s: got %d %v %v %v, want 400 %s of %s, said in Chinese", c.query, r.status, r.body["code"], r.body["field"], r.body["detail"], c.code, c.field)
			}
		}
	})
}

// hasHan says whether s has a Chinese character.
func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

package api_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/api"
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
		if r.body["intact"] != false || problem["seq"] != float64(2) || problem["reason"] == "" || len(problem) != 2 {
			t.Errorf("verify of an edited row: got %v, want problem {seq: 2, reason}", r.body)
		}
	})
}

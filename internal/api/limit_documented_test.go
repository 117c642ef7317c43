package api_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestListLimitsDocumented: every list that takes ?limit= serves what its
// OpenAPI parameter says: its default when limit is absent or 0, its
// maximum for more (limit=maximum+1, clamped, not refused), and a
// negative or non-numeric limit refused (400 invalid_number). Each list
// holds more items than its maximum, so that a page of the maximum ends
// with a next_cursor: the lists' maxima were described four ways, three
// without a maximum in their schema. The maximum is the schema's
// x-maximum, not JSON Schema's maximum, which would have a validating
// client or gateway refuse the larger limit served. Every operation of
// the document that takes limit is here. On both engines.
func TestListLimitsDocumented(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		seedLists(t, rf)
		op, admin := rf.session(t, "nh.op"), rf.session(t, "mz.admin")
		subject := recordstest.CitizenID(4242)
		entryA := itoa(rf.entryA)
		lists := []struct {
			path, key string // path with the query that comes before limit
			hdr       []string
			items     string // the answer's list
			cursor    string // the next page's parameter, beside limit
		}{
			{"/api/v1/regions?", rf.readKey, nil, "items", "cursor"},
			{"/api/v1/departments?", rf.readKey, nil, "items", "cursor"},
			{"/api/v1/users?", "", op, "items", "cursor"},
			{"/api/v1/apps?", "", op, "items", "cursor"},
			{"/api/v1/catalog/import-mappings?", "", admin, "items", "cursor"},
			{"/api/v1/audit?", rf.opKey, nil, "items", "cursor"},
			{"/api/v1/catalog/entries?", rf.readKey, nil, "items", "cursor"},
			{"/api/v1/public/catalog?", "", nil, "items", "cursor"},
			{"/api/v1/catalog/retire-requests?", "", op, "items", "cursor"},
			{"/api/v1/records/batches?", rf.gaKey, nil, "batches", "before"},
			{"/api/v1/records/entries/" + entryA + "/subjects/" + subject + "/history?purpose=核查&", rf.gaKey, nil, "versions", "cursor"},
			{"/api/v1/records/entries/" + entryA + "/changes?purpose=核查&", rf.gaKey, nil, "changes", "after"},
			{"/api/v1/records/quality?", rf.gaKey, nil, "quality", "cursor"},
			{"/api/v1/records/stale?", rf.gaKey, nil, "entries", "cursor"},
			{"/api/v1/records/discrepancies?purpose=核查&", "", op, "discrepancies", "after"},
		}
		doc := openAPIDoc(t)
		tested := map[string]bool{}
		for _, l := range lists {
			docPath, _, _ := strings.Cut(l.path, "?")
			docPath = strings.NewReplacer("/"+entryA+"/", "/{id}/", "/"+subject+"/", "/{subject}/").Replace(docPath)
			tested[docPath] = true
			def, max := documentedLimit(t, doc, docPath)
			page := func(limit string) (response, int) {
				t.Helper()
				r := rf.do(t, "GET", l.path+limit, l.key, "", l.hdr...)
				items, _ := r.body[l.items].([]any)
				if r.status != 200 || items == nil {
					t.Fatalf("GET %s%s: %d %v", l.path, limit, r.status, r.body)
				}
				return r, len(items)
			}
			for _, limit := range []string{"", "limit=0"} {
				r, n := page(limit)
				if n != def || r.body["next_cursor"] == nil {
					t.Errorf("GET %s%s: %d items (next_cursor %v), want the documented default %d and a next page", l.path, limit, n, r.body["next_cursor"], def)
				}
			}
			r, n := page("limit=" + strconv.Itoa(max+1))
			if n != max || r.body["next_cursor"] == nil {
				t.Errorf("GET %slimit=%d: %d items (next_cursor %v), want the documented maximum %d and a next page", l.path, max+1, n, r.body["next_cursor"], max)
			}
			if _, n := page("limit=" + strconv.Itoa(max-1)); n != max-1 {
				t.Errorf("GET %slimit=%d: %d items, want %d", l.path, max-1, n, max-1)
			}
			for _, bad := range []string{"-1", "ten"} {
				r := rf.do(t, "GET", l.path+"limit="+bad, l.key, "", l.hdr...)
				if r.status != 400 || r.body["code"] != "invalid_number" || r.body["field"] != "limit" {
					t.Errorf("GET %slimit=%s: %d %v, want 400 invalid_number on limit", l.path, bad, r.status, r.body)
				}
			}
		}
		for path, item := range doc["paths"].(map[string]any) {
			for method, op := range item.(map[string]any) {
				for _, p := range asList(asObject(op)["parameters"]) {
					if resolveParam(doc, asObject(p))["name"] == "limit" && !tested[path] {
						t.Errorf("%s %s takes limit and is not among the lists tested", strings.ToUpper(method), path)
					}
				}
			}
		}
	})
}

// resolveParam is the parameter p, or the shared one it refers to.
func resolveParam(doc map[string]any, p map[string]any) map[string]any {
	if ref, ok := p["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/parameters/")
		return asObject(asObject(asObject(doc["components"])["parameters"])[name])
	}
	return p
}

// documentedLimit is the default and the maximum the document gives the
// limit of GET docPath, whose minimum must be 0 (0 serves the default).
// The maximum is the schema's x-maximum and no maximum of JSON Schema: a
// larger limit is no error.
func documentedLimit(t *testing.T, doc map[string]any, docPath string) (def, max int) {
	t.Helper()
	op := asObject(asObject(asObject(doc["paths"])[docPath])["get"])
	for _, p := range asList(op["parameters"]) {
		p := resolveParam(doc, asObject(p))
		if p["name"] != "limit" {
			continue
		}
		s := asObject(p["schema"])
		d, dok := s["default"].(float64)
		m, mok := s["x-maximum"].(float64)
		if min, ok := s["minimum"].(float64); !ok || min != 0 || !dok || !mok || s["type"] != "integer" {
			t.Fatalf("GET %s: limit's schema %v, want an integer with minimum 0, a default and an x-maximum", docPath, s)
		}
		// More than the maximum is served the maximum, not refused: a
		// schema's maximum would have a validating client or gateway
		// refuse it.
		if _, ok := s["maximum"]; ok {
			t.Errorf("GET %s: limit's schema %v has a maximum, which a larger limit served is not", docPath, s)
		}
		want := fmt.Sprintf("%d when absent or 0; more than %d serves %d", int(d), int(m), int(m))
		if desc, _ := p["description"].(string); !strings.Contains(desc, want) || !strings.Contains(desc, "invalid_number") {
			t.Errorf("GET %s: limit's description %q does not say %q and invalid_number", docPath, desc, want)
		}
		return int(d), int(m)
	}
	t.Fatalf("GET %s takes no limit in the document", docPath)
	return 0, 0
}

// seedLists fills every list of TestListLimitsDocumented past its
// maximum: copies of rows the fixture holds, made by SQL (cloneRows),
// where a row of a list stands alone; a subject's 1001 versions pushed
// in one batch; 501 audit rows recorded.
func seedLists(t *testing.T, rf *recordsFixture) {
	t.Helper()
	ctx := context.Background()
	const n = 1001
	// 1001 versions of one subject of 公安's entry (its history, the
	// entry's changes), and the record of 民政's entry that differs from it.
	subject := recordstest.CitizenID(4242)
	var batch strings.Builder
	for i := range n {
		op := "change"
		if i == 0 {
			op = "add"
		}
		batch.WriteString(opLine(op, subject, beijing(t0.Add(time.Duration(i-n)*time.Second)),
			map[string]string{"姓名": fmt.Sprintf("张%d", i)}) + "\n")
	}
	if r := rf.do(t, "POST", "/api/v1/records/entries/"+itoa(rf.entryA)+"/batches", rf.gaKey, batch.String(),
		"Content-Type", "application/x-ndjson"); r.status != 201 {
		t.Fatalf("push %d versions: %d %v", n, r.status, r.body)
	}
	if r := rf.do(t, "POST", "/api/v1/records/entries/"+itoa(rf.entryB)+"/ops", rf.mzKey,
		opLine("add", subject, beijing(t0.Add(-time.Hour)), map[string]string{"姓名": "张三"})); r.status != 201 {
		t.Fatalf("push 民政's record: %d %v", r.status, r.body)
	}
	op := rf.session(t, "nh.op")
	if r := rf.do(t, "POST", "/api/v1/records/crosscheck", "", "", op...); r.status != 200 {
		t.Fatalf("crosscheck: %d %v", r.status, r.body)
	}
	if r := rf.do(t, "POST", "/api/v1/catalog/import-mappings", "", `{"name":"民政","columns":{"资源名称":"name"}}`,
		rf.session(t, "mz.admin")...); r.status != 200 {
		t.Fatalf("save a mapping: %d %v", r.status, r.body)
	}
	err := rf.db.Tx(ctx, func(tx *sqldb.Tx) error {
		evs := make([]audit.Event, 501)
		for i := range evs {
			evs[i] = audit.Event{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test"}, Action: "catalog.create", Outcome: audit.OK}
		}
		if err := audit.RecordAll(ctx, tx, evs, t0); err != nil {
			return err
		}
		i := "CAST(n.i AS TEXT)"
		for _, c := range []struct {
			table, where string
			set          map[string]string
		}{
			{"regions", "code = '440605'", map[string]string{"code": "CAST(450000 + n.i AS TEXT)", "name": "'测试区' || " + i}},
			{"departments", "id = " + itoa(rf.gaID), map[string]string{"name": "'测试局' || " + i, "uscc": "'T' || " + i}},
			{"users", "username = 'mz.reviewer'", map[string]string{"username": "'u' || " + i}},
			{"apps", "id = " + itoa(rf.otherAppID), map[string]string{"name": "'应用' || " + i, "name_key": "'应用' || " + i}},
			{"catalog_import_mappings", "1 = 1", map[string]string{"name": "'映射' || " + i}},
			{"catalog_entries", "id = " + itoa(rf.entryA), map[string]string{"code": "'999999/' || " + i, "name": "'测试资源' || " + i}},
			{"record_entry_stats", "entry_id = " + itoa(rf.entryA), map[string]string{"entry_id": "(SELECT c.id FROM catalog_entries c WHERE c.code = '999999/' || " + i + ")"}},
			{"record_batches", "entry_id = " + itoa(rf.entryA), map[string]string{}},
			{"record_discrepancies", "1 = 1", map[string]string{"subject_id": "'S' || " + i}},
		} {
			if err := cloneRows(ctx, tx, c.table, c.where, n, c.set); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO catalog_retire_requests (entry_id, state, reason, requested_by, requested_at)
			SELECT id, 'requested', '测试', 'test', $1 FROM catalog_entries WHERE code LIKE '999999/%'`, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The entries are stale: a month on, none holds data of the month.
	rf.clock.Add(31 * 24 * time.Hour)
}

// cloneRows inserts n copies of the row of table where selects, but for
// its id (the database numbers the copies) and the columns of set, each
// an SQL expression of n.i, the copy's number from 1.
func cloneRows(ctx context.Context, tx *sqldb.Tx, table, where string, n int, set map[string]string) error {
	rows, err := tx.QueryContext(ctx, `SELECT * FROM `+table+` WHERE `+where+` LIMIT 1`)
	if err != nil {
		return err
	}
	cols, err := rows.Columns()
	found := rows.Next()
	rows.Close()
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("copy %s: no row where %s", table, where)
	}
	var names, values []string
	for _, c := range cols {
		if c == "id" {
			continue
		}
		names = append(names, c)
		if v, ok := set[c]; ok {
			values = append(values, v)
		} else {
			values = append(values, "t."+c)
		}
	}
	_, err = tx.ExecContext(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < `+strconv.Itoa(n)+`)
		INSERT INTO `+table+` (`+strings.Join(names, ", ")+`) SELECT `+strings.Join(values, ", ")+`
		FROM (SELECT * FROM `+table+` WHERE `+where+` LIMIT 1) t, n`)
	if err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	return nil
}

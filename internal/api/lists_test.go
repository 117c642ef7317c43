package api_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// walk follows next_cursor from path with limit, returning the pages'
// sizes and the key of every item in the order served.
func (f *fixture) walk(t *testing.T, path, key string, limit int, itemKey string) (sizes []int, keys []string) {
	t.Helper()
	cursor := ""
	for range 200 {
		u, _ := url.Parse(path)
		q := u.Query()
		q.Set("limit", fmt.Sprint(limit))
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		u.RawQuery = q.Encode()
		r := f.do(t, "GET", u.String(), key, "")
		items, ok := r.body["items"].([]any)
		if r.status != 200 || !ok {
			t.Fatalf("GET %s: %d %v", u, r.status, r.body)
		}
		sizes = append(sizes, len(items))
		for _, it := range items {
			keys = append(keys, fmt.Sprint(it.(map[string]any)[itemKey]))
		}
		next, more := r.body["next_cursor"]
		if !more {
			return sizes, keys
		}
		if cursor, _ = next.(string); cursor == "" {
			t.Fatalf("GET %s: next_cursor %v is not a non-empty string", u, next)
		}
	}
	t.Fatalf("GET %s: no last page after 200 pages", path)
	return nil, nil
}

// TestListPages: the lists of regions, departments, users, apps and import
// mappings page by keyset: limit (default 100, clamped to 1000) and an
// opaque cursor, next_cursor only while more follow, every item once;
// a bad limit or cursor is 400 with a stable code and a Chinese title.
func TestListPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
		var writeKey string
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			// 2 + 7 departments, 3 + 7 users, 2 + 9 apps, 1 + 1100 regions,
			// 7 mappings of one department and 1 of another.
			for i := range 7 {
				d := org.Department{Name: fmt.Sprintf("南海区测试局%d", i), USCC: demo.USCC("440605", 200+i), RegionCode: "440605"}
				if err := org.CreateDepartment(ctx, tx, by, &d, t0); err != nil {
					return err
				}
				if _, err := orgtest.CreateUser(ctx, tx, by, org.NewUser{Username: fmt.Sprintf("test.user%d", i), DisplayName: "测试用户",
					DepartmentID: d.ID, Role: org.Reviewer, Password: password}, t0); err != nil {
					return err
				}
			}
			for i := range 8 {
				dept := f.otherID
				if i%2 == 0 {
					dept = f.deptID
				}
				if _, _, err := org.CreateApp(ctx, tx, by, org.NewApp{Name: fmt.Sprint("测试应用", i), DepartmentID: dept,
					Scopes: []string{"catalog.read"}}, t0); err != nil {
					return err
				}
			}
			var err error
			if _, writeKey, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "编目", DepartmentID: f.otherID,
				Scopes: []string{"catalog.read catalog.write"}}, t0); err != nil {
				return err
			}
			for i := range 1100 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO regions (code, name, level, parent_code) VALUES ($1, $2, 'town', '440605')`,
					fmt.Sprintf("440605%03d", i), fmt.Sprint("镇", i)); err != nil {
					return err
				}
			}
			for _, name := range []string{"乙", "甲", "Zeta", "alpha", "Beta", "100%", "a_b"} {
				if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_import_mappings (department_id, name, columns, defaults,
					updated_by, created_at, updated_at) VALUES ($1, $2, '{}', '{}', 'test', $3, $3)`, f.otherID, name, t0); err != nil {
					return err
				}
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO catalog_import_mappings (department_id, name, columns, defaults,
				updated_by, created_at, updated_at) VALUES ($1, '他部门', '{}', '{}', 'test', $2, $2)`, f.deptID, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		for _, tt := range []struct {
			path, key string
			limit     int
			itemKey   string
			sizes     []int
			count     string // SQL counting the items, "" when sizes says it
		}{
			{"/api/v1/departments", f.opKey, 4, "id", []int{4, 4, 1}, "SELECT count(*) FROM departments"},
			{"/api/v1/departments", f.readKey, 9, "id", []int{9}, ""}, // a full last page has no cursor,
			{"/api/v1/departments?q=测试局", f.readKey, 3, "id", []int{3, 3, 1}, ""},
			{"/api/v1/departments?q=不存在", f.readKey, 3, "id", []int{0}, ""},
			{"/api/v1/users", f.opKey, 3, "id", []int{3, 3, 3, 1}, "SELECT count(*) FROM users"},
			{"/api/v1/users?q=TEST.USER", f.opKey, 3, "id", []int{3, 3, 1}, ""},
			{"/api/v1/users?department_id=" + itoa(f.otherID), f.opKey, 1, "id", []int{1, 1}, ""},
			{"/api/v1/apps", f.opKey, 4, "id", []int{4, 4, 3}, "SELECT count(*) FROM apps"},
			{"/api/v1/apps?department_id=" + itoa(f.deptID), f.opKey, 2, "id", []int{2, 2, 1}, ""},
			{"/api/v1/apps?q=测试应用", f.opKey, 3, "id", []int{3, 3, 2}, ""},
			{"/api/v1/apps?q=测试应用&department_id=" + itoa(f.deptID), f.opKey, 3, "id", []int{3, 1}, ""},
			{"/api/v1/apps?q=不存在", f.opKey, 3, "id", []int{0}, ""},
			{"/api/v1/regions", f.readKey, 1000, "code", []int{1000, 102}, "SELECT count(*) FROM regions"},
			{"/api/v1/regions", f.readKey, 5000, "code", []int{1000, 102}, ""}, // clamped
			{"/api/v1/catalog/import-mappings", writeKey, 3, "name", []int{3, 3, 1}, ""},
		} {
			name := fmt.Sprintf("%s by %d", tt.path, tt.limit)
			sizes, keys := f.walk(t, tt.path, tt.key, tt.limit, tt.itemKey)
			if !slices.Equal(sizes, tt.sizes) {
				t.Errorf("%s: got pages of %v, want %v", name, sizes, tt.sizes)
			}
			if len(slices.Compact(slices.Sorted(slices.Values(keys)))) != len(keys) {
				t.Errorf("%s: an item served twice: %v", name, keys)
			}
			if tt.count != "" {
				var n int
				if err := db.Read().QueryRowContext(ctx, tt.count).Scan(&n); err != nil || n != len(keys) {
					t.Errorf("%s: got %d items, the table holds %d (%v)", name, len(keys), n, err)
				}
			}
		}

		// The default page is 100.
		r := f.do(t, "GET", "/api/v1/regions", f.readKey, "")
		if items, _ := r.body["items"].([]any); len(items) != 100 || r.body["next_cursor"] == nil {
			t.Errorf("regions without a limit: got %d items, next_cursor %v; want 100 and a cursor", len(items), r.body["next_cursor"])
		}
		// An empty page is [] and has no cursor.
		r = f.do(t, "GET", "/api/v1/departments?q=不存在", f.readKey, "")
		if items, ok := r.body["items"].([]any); !ok || len(items) != 0 || r.body["next_cursor"] != nil {
			t.Errorf("empty page: got %v, want items [] without next_cursor", r.body)
		}

		cursor := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
		usersCursor := f.do(t, "GET", "/api/v1/users?limit=1", f.opKey, "").body["next_cursor"].(string)
		for _, tt := range []struct{ path, code string }{
			{"/api/v1/departments?cursor=%25%25", "invalid_cursor"},
			{"/api/v1/departments?cursor=abc", "invalid_cursor"},
			{"/api/v1/departments?cursor=" + usersCursor, "invalid_cursor"}, // another list's
			{"/api/v1/departments?cursor=" + cursor("departments:x"), "invalid_cursor"},
			{"/api/v1/departments?cursor=" + cursor("departments:0"), "invalid_cursor"},
			{"/api/v1/departments?cursor=" + cursor("departments:-3"), "invalid_cursor"},
			{"/api/v1/departments?cursor=" + cursor("departments:"), "invalid_cursor"},
			{"/api/v1/users?cursor=" + cursor("users:1e3"), "invalid_cursor"},
			{"/api/v1/apps?cursor=" + cursor("departments:1"), "invalid_cursor"},
			{"/api/v1/regions?cursor=" + cursor("regions:44' OR '1"), "invalid_cursor"},
			{"/api/v1/catalog/import-mappings?cursor=x", "invalid_cursor"},
			// Text PostgreSQL cannot compare (NUL, invalid UTF-8) in the key.
			{"/api/v1/catalog/import-mappings?cursor=" + cursor("import-mappings:a\x00b"), "invalid_cursor"},
			{"/api/v1/catalog/import-mappings?cursor=" + cursor("import-mappings:\xff\xfe"), "invalid_cursor"},
			{"/api/v1/departments?limit=-1", "invalid_number"},
			{"/api/v1/users?limit=ten", "invalid_number"},
			{"/api/v1/apps?limit=1.5", "invalid_number"},
			{"/api/v1/regions?limit=-99999999999999999999", "invalid_number"},
			{"/api/v1/catalog/import-mappings?limit=-5", "invalid_number"},
		} {
			key := f.opKey
			if tt.path[:len("/api/v1/catalog")] == "/api/v1/catalog" {
				key = writeKey
			}
			r := f.do(t, "GET", tt.path, key, "")
			title, _ := r.body["title"].(string)
			if r.status != 400 || r.body["code"] != tt.code || title == "" || title[0] < 0x80 {
				t.Errorf("GET %s: got %d %v, want 400 %s with a Chinese title", tt.path, r.status, r.body, tt.code)
			}
		}
	})
}

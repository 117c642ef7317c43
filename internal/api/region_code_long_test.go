package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRegionCodeLongRefused: a region code of 340,000 U+FDFA (a 1 MB
// body, each character eighteen when folded) for a new department, a
// department moved and a new region's parent is refused 400
// invalid_region_code before it is looked up, with an answer under 4 KB.
// Before, the folded code, 11 MB, was sent to the database and back in
// the unknown_region message (行政区划不存在：…). On both engines.
func TestRegionCodeLongRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		long := strings.Repeat("\ufdfa", 340000)
		d, err := org.DepartmentByID(t.Context(), db.Read(), f.deptID)
		if err != nil {
			t.Fatal(err)
		}
		body := func(fields map[string]string) string {
			b, err := json.Marshal(fields)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		for _, c := range []struct{ what, method, path, body string }{
			{"new department", "POST", "/api/v1/departments",
				body(map[string]string{"name": "探针局", "uscc": demo.USCC("440605", 97), "region_code": long})},
			{"department moved", "PUT", "/api/v1/departments/" + itoa(f.deptID),
				body(map[string]string{"name": d.Name, "uscc": d.USCC, "region_code": long})},
			{"new region's parent", "POST", "/api/v1/regions",
				body(map[string]string{"code": "440606", "name": "顺德区", "level": "district", "parent_code": long})},
		} {
			resp, b, err := f.send(t, c.method, c.path, f.opKey, c.body)
			if err != nil {
				t.Fatal(err)
			}
			var p map[string]any
			json.Unmarshal(b, &p)
			if resp.StatusCode != 400 || p["code"] != "invalid_region_code" || len(b) >= 4096 {
				t.Errorf("%s: %d %v, %d bytes; want 400 invalid_region_code under 4 KB", c.what, resp.StatusCode, p["code"], len(b))
			}
		}
	})
}

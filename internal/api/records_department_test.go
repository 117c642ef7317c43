package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordsDepartmentFilter reads department_id on the records lists as
// GET /apps does: a department administrator naming another department is
// refused (403), not answered with its own department's list; naming its
// own is fine; a value that is no number is 400 invalid_number on
// department_id, for everyone. The operator names any department.
func TestRecordsDepartmentFilter(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		at := beijing(t0.Add(-time.Minute))
		p := recordstest.CitizenID(4100)
		pushes := []struct {
			key   string
			entry int64
			name  string
		}{{rf.gaKey, rf.entryA, "张三"}, {rf.mzKey, rf.entryB, "张叁"}}
		for _, ps := range pushes {
			u := "/api/v1/records/entries/" + strconv.FormatInt(ps.entry, 10) + "/ops"
			if r := rf.do(t, "POST", u, ps.key, opLine("add", p, at, map[string]string{"姓名": ps.name})); r.status != 201 {
				t.Fatalf("push to %d: %d %v", ps.entry, r.status, r.body)
			}
		}
		admin, op := rf.session(t, "mz.admin"), rf.session(t, "nh.op")
		ga, mz := strconv.FormatInt(rf.gaID, 10), strconv.FormatInt(rf.mzID, 10)
		lists := []struct {
			path, rest, list, what string
			self                   float64 // entry_id of the batch of 民政, 0 for a discrepancy (both departments')
		}{
			{"/api/v1/records/batches", "", "batches", "批次", float64(rf.entryB)},
			{"/api/v1/records/discrepancies", "&purpose=test", "discrepancies", "多源校核差异", 0},
		}
		for _, l := range lists {
			get := func(dept string, hdr []string) response {
				return rf.do(t, "GET", l.path+"?department_id="+dept+l.rest, "", "", hdr...)
			}
			r := get(ga, admin)
			if r.status != 403 || r.body["code"] != "forbidden" || r.body["detail"] != "只能查看本部门的"+l.what {
				t.Errorf("%s: another department: got %d %v, want 403 forbidden 只能查看本部门的%s", l.list, r.status, r.body, l.what)
			}
			r = get(mz, admin)
			if items, _ := r.body[l.list].([]any); r.status != 200 || len(items) != 1 {
				t.Errorf("%s: its own department: got %d %v, want 200 and its one item", l.list, r.status, r.body)
			} else if l.self > 0 && items[0].(map[string]any)["entry_id"] != l.self {
				t.Errorf("%s: its own department: got %v, want the item of entry %v", l.list, items[0], l.self)
			}
			for _, bad := range []string{"abc", "-1", "1.5"} {
				for who, hdr := range map[string][]string{"department administrator": admin, "operator": op} {
					r := get(bad, hdr)
					if r.status != 400 || r.body["code"] != "invalid_number" || r.body["field"] != "department_id" {
						t.Errorf("%s: %s, department_id=%s: got %d %v, want 400 invalid_number on department_id", l.list, who, bad, r.status, r.body)
					}
				}
			}
			r = get(ga, op)
			if items, _ := r.body[l.list].([]any); r.status != 200 || len(items) != 1 {
				t.Errorf("%s: the operator names a department: got %d %v, want 200 and its one item", l.list, r.status, r.body)
			} else if l.self > 0 && items[0].(map[string]any)["entry_id"] != float64(rf.entryA) {
				t.Errorf("%s: the operator names 公安: got %v, want the item of entry %d", l.list, items[0], rf.entryA)
			}
		}
		// Quality and stale entries are figures any department reads of any
		// other: department_id filters them, and must be a number.
		for _, path := range []string{"/api/v1/records/quality", "/api/v1/records/stale"} {
			if r := rf.do(t, "GET", path+"?department_id=abc", "", "", admin...); r.status != 400 || r.body["code"] != "invalid_number" {
				t.Errorf("%s?department_id=abc: got %d %v, want 400 invalid_number", path, r.status, r.body)
			}
		}
	})
}

package api_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestQualityByDepartmentRefusesEntry: the quality of departments cannot be
// filtered by an entry; asked for both, it is refused with 400 naming
// entry_id, where the entry was silently ignored and every department's
// quality answered as if for that entry.
func TestQualityByDepartmentRefusesEntry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		entry := strconv.FormatInt(rf.entryA, 10)
		r := rf.do(t, "GET", "/api/v1/records/quality?by=department&entry_id="+entry, rf.opKey, "")
		if detail, _ := r.body["detail"].(string); r.status != 400 || r.body["code"] != "unsupported_filter" || r.body["field"] != "entry_id" ||
			!strings.Contains(detail, "entry_id") || !hasHan(detail) {
			t.Errorf("quality by department of an entry: %d %v, want 400 unsupported_filter naming entry_id", r.status, r.body)
		}
		for _, u := range []string{"/api/v1/records/quality?entry_id=" + entry, "/api/v1/records/quality?by=entry&entry_id=" + entry,
			"/api/v1/records/quality?by=department"} {
			if r := rf.do(t, "GET", u, rf.opKey, ""); r.status != 200 {
				t.Errorf("%s: %d %v", u, r.status, r.body)
			}
		}
	})
}

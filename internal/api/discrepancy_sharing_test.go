package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepancyValuesFollowSharing: the list of discrepancies shows a
// side's value only to whom may read that side's entry, as a record read
// does: a value of an entry not shared (不予共享) to its source department
// alone, not to the other party nor to the operator, where both were shown
// it. The discrepancy is still listed, its item and both sides named, the
// value marked withheld. On both engines.
func TestDiscrepancyValuesFollowSharing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		open, closed := rf.sharingEntries(t, rf.mzID, "姓名:C50", "姓名:C50")
		subject, at := recordstest.CitizenID(8), beijing(t0.Add(-time.Minute))
		for _, push := range []struct {
			entry      int64
			key, value string
		}{{open, rf.gaKey, "张三"}, {closed, rf.mzKey, "张叁"}} {
			path := "/api/v1/records/entries/" + strconv.FormatInt(push.entry, 10) + "/ops"
			if r := rf.do(t, "POST", path, push.key, opLine("add", subject, at, map[string]string{"姓名": push.value})); r.status != 201 {
				t.Fatalf("push: %d %v", r.status, r.body)
			}
		}
		op := rf.session(t, "nh.op")
		for _, c := range []struct {
			who, key         string
			hdr              []string
			openOK, closedOK bool
		}{
			{"公安, the other party", rf.gaKey, nil, true, false},
			{"the operator", "", op, true, false},
			{"民政, the source not shared", rf.mzKey, nil, true, true},
		} {
			r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=核验&subject_id="+subject, c.key, "", c.hdr...)
			ds, _ := r.body["discrepancies"].([]any)
			if r.status != 200 || len(ds) != 1 {
				t.Errorf("%s: %d %v, want the discrepancy", c.who, r.status, r.body)
				continue
			}
			d := ds[0].(map[string]any)
			side := map[bool]string{true: "a", false: "b"}
			openSide := side[jsonNumber(d["entry_a"]) == strconv.FormatInt(open, 10)]
			closedSide := side[openSide == "b"]
			for _, v := range []struct {
				side, value string
				ok          bool
			}{{openSide, "张三", c.openOK}, {closedSide, "张叁", c.closedOK}} {
				got, withheld := d["value_"+v.side], d["value_"+v.side+"_withheld"]
				if v.ok && (got != v.value || withheld != nil) || !v.ok && (got != nil || withheld != true) {
					t.Errorf("%s: value_%s %v (withheld %v), want %q shown %v", c.who, v.side, got, withheld, v.value, v.ok)
				}
			}
			if d["item_a"] != "姓名" || d["item_b"] != "姓名" || d["status"] != "open" {
				t.Errorf("%s: %v", c.who, d)
			}
		}
	})
}

package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordRuleFromCatalog is the reviewer's case: 职业技能培训信息, whose
// catalog says 业务办结后2个工作日内更新, produced Wednesday 2026-12-02
// 10:00 and received Thursday 15:40, is on time (a licence, such as the
// 职业资格证书信息 this case was first written with, stays real time
// whatever its catalog says since 2026-12-05, and the catalog refuses it
// such a 时效要求); an entry whose catalog states no readable limit is judged by its
// name, and the late answer says so. GET …/rule tells where the rule comes
// from, to the entry's source department, to callers that read the
// catalog and to the operator, whose rule set by PUT wins.
func TestRecordRuleFromCatalog(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		pub := t0.Add(-time.Hour)
		cert := publishEntry(t, db, rf.mzID, rf.deptID, personResource("职业技能培训信息", "03", "民政", "003", "职业培训", "07",
			"monthly", "公民身份号码*:C18;证书编号:C30"), pub)
		r := personResource("施工许可信息", "03", "民政", "004", "施工许可", "07", "monthly", "公民身份号码*:C18;许可编号:C30")
		r.Timeliness = "按需更新"
		permit := publishEntry(t, db, rf.mzID, rf.deptID, r, pub.Add(time.Minute))
		rf.clock.Add(time.Date(2026, 12, 3, 7, 40, 0, 0, time.UTC).Sub(t0)) // Thursday 15:40 Beijing

		push := func(entry int64, item string) response {
			t.Helper()
			body := opLine("add", recordstest.CitizenID(1), "2026-12-02T10:00:00+08:00", map[string]string{item: "Z-1"})
			res := rf.do(t, "POST", fmt.Sprintf("/api/v1/records/entries/%d/ops", entry), rf.mzKey, body)
			if res.status != 201 {
				t.Fatalf("push to %d: %d %v", entry, res.status, res.body)
			}
			return res
		}
		if res := push(cert, "证书编号"); res.body["late"] != 0.0 || res.body["late_rule"] != nil {
			t.Errorf("catalog says 2 working days: %v, want late 0", res.body)
		}
		res := push(permit, "许可编号")
		if lr, _ := res.body["late_rule"].(string); res.body["late"] != 1.0 || !strings.Contains(lr, "实时") ||
			!strings.Contains(lr, "“许可”") || !strings.Contains(lr, "按需更新") {
			t.Errorf("name says licence, catalog text unreadable: %v, want late 1 explained by the name", res.body)
		}

		path := fmt.Sprintf("/api/v1/records/entries/%d/rule", cert)
		for _, c := range []struct {
			who, key string
			status   int
		}{
			{"the source department's pusher", rf.mzKey, 200},
			{"another department's catalog reader", rf.gaCatalogKey, 200},
			{"the operator", rf.opKey, 200},
			{"another department's pusher without catalog.read", rf.gaKey, 403},
			{"no key", "", 401},
		} {
			got := rf.do(t, "GET", path, c.key, "")
			if got.status != c.status {
				t.Errorf("GET rule as %s: %d %v, want %d", c.who, got.status, got.body, c.status)
				continue
			}
			if c.status == 200 && (got.body["rule"] != "within2" || got.body["source"] != "catalog" ||
				got.body["timeliness"] != "业务办结后2个工作日内更新" || got.body["label"] != "产生后2个工作日内" ||
				!strings.Contains(got.body["basis"].(string), "业务办结后2个工作日内更新")) {
				t.Errorf("GET rule as %s: %v, want within2 from the catalog", c.who, got.body)
			}
		}
		if got := rf.do(t, "GET", fmt.Sprintf("/api/v1/records/entries/%d/rule", permit), rf.mzKey, ""); got.body["rule"] != "realtime" ||
			got.body["source"] != "default" || !strings.Contains(got.body["basis"].(string), "许可") {
			t.Errorf("GET rule by name: %v", got.body)
		}
		if got := rf.do(t, "GET", "/api/v1/records/entries/999999/rule", rf.mzKey, ""); got.status != 404 {
			t.Errorf("GET rule of no entry: %d %v", got.status, got.body)
		}

		// The operator's exception wins; the pusher sees who set it.
		if got := rf.do(t, "PUT", path, rf.mzKey, `{"rule":"quarterly"}`); got.status != 403 {
			t.Errorf("PUT rule by the pusher: %d %v", got.status, got.body)
		}
		if got := rf.do(t, "PUT", path, rf.opKey, `{"rule":"quarterly","note":"经区政务办审核"}`); got.status != 200 ||
			got.body["rule"] != "quarterly" || got.body["source"] != "set" {
			t.Fatalf("PUT rule: %d %v", got.status, got.body)
		}
		got := rf.do(t, "GET", path, rf.mzKey, "")
		if got.body["rule"] != "quarterly" || got.body["source"] != "set" || got.body["note"] != "经区政务办审核" ||
			!strings.HasPrefix(fmt.Sprint(got.body["set_by"]), "app:") || got.body["set_at"] == nil {
			t.Errorf("GET rule set by the operator: %v", got.body)
		}
		// Only an explicit "" removes the rule: a body without rule, or
		// null, is refused and changes nothing.
		for _, body := range []string{`{"note":"只改说明"}`, `null`, `{"rule":null,"note":"x"}`} {
			got := rf.do(t, "PUT", path, rf.opKey, body)
			if got.status != 400 || got.body["code"] != "missing_rule" || got.body["field"] != "rule" {
				t.Errorf("PUT rule %s: %d %v, want 400 missing_rule on rule", body, got.status, got.body)
			}
		}
		if got := rf.do(t, "GET", path, rf.mzKey, ""); got.body["rule"] != "quarterly" || got.body["note"] != "经区政务办审核" {
			t.Errorf("GET rule after refused PUTs: %v, want the operator's quarterly unchanged", got.body)
		}
		if got := rf.do(t, "PUT", path, rf.opKey, `{"rule":""}`); got.body["source"] != "catalog" || got.body["rule"] != "within2" {
			t.Errorf("PUT rule cleared: %d %v, want the catalog's again", got.status, got.body)
		}
	})
}

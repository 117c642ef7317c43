package api_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPushRefusalAudited: a push (one operation or a batch) refused its
// caller leaves a denied records.batch row on the entry naming the
// caller and the refusal's code, as a refused administrative action
// does: an app without records.write (forbidden) and another
// department's app (not_provider), where neither left a row. Another
// department's app whose body, headers or batch type are wrong is told
// 403 not_provider, never the body's 400, and is audited the same;
// the entry's own department still learns what is wrong with its body,
// unaudited. On both engines.
func TestPushRefusalAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		entry := strconv.FormatInt(rf.entryA, 10)
		a := "/api/v1/records/entries/" + entry
		add := opLine("add", recordstest.CitizenID(5300), beijing(t0.Add(-time.Minute)), map[string]string{"姓名": "张三"})
		denied := func(app, reason string) int {
			return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.batch' AND outcome = 'denied'
				AND object_type = 'catalog_entry' AND object_id = $1 AND actor_kind = 'app' AND actor_name = $2
				AND detail = $3`, entry, app, `{"reason":"`+reason+`"}`)
		}
		ndjson := []string{"Content-Type", "application/x-ndjson"}
		for _, c := range []struct {
			name, key, app, path, body string
			hdr                        []string
			code                       string
		}{
			{"an op without records.write", rf.gaCatalogKey, "公安目录", "/ops", add, nil, "forbidden"},
			{"a batch without records.write", rf.gaCatalogKey, "公安目录", "/batches", add, ndjson, "forbidden"},
			{"another department's op", rf.mzKey, "民政推送", "/ops", add, nil, "not_provider"},
			{"another department's batch", rf.mzKey, "民政推送", "/batches", add, ndjson, "not_provider"},
			{"another department's empty op", rf.mzKey, "民政推送", "/ops", "", nil, "not_provider"},
			{"another department's malformed op", rf.mzKey, "民政推送", "/ops", "{", nil, "not_provider"},
			{"another department's op of an unknown field", rf.mzKey, "民政推送", "/ops", `{"op":"add","valus":{}}`, nil, "not_provider"},
			{"another department's op of a bad time", rf.mzKey, "民政推送", "/ops",
				`{"op":"add","subject_id":"` + recordstest.CitizenID(5301) + `","produced_at":"昨天","values":{"姓名":"某"}}`, nil, "not_provider"},
			{"another department's op of conflicting keys", rf.mzKey, "民政推送", "/ops",
				`{"op":"add","key":"a","subject_id":"` + recordstest.CitizenID(5302) + `","values":{"姓名":"某"}}`,
				[]string{"Idempotency-Key", "b"}, "not_provider"},
			{"another department's op of a bad Idempotency-Key", rf.mzKey, "民政推送", "/ops", add,
				[]string{"Idempotency-Key", strings.Repeat("k", 129)}, "not_provider"},
			{"another department's batch of another type", rf.mzKey, "民政推送", "/batches", add,
				[]string{"Content-Type", "application/xml"}, "not_provider"},
		} {
			before := denied(c.app, c.code)
			r := rf.do(t, "POST", a+c.path, c.key, c.body, c.hdr...)
			if r.status != 403 || r.body["code"] != c.code {
				t.Errorf("%s: %d %v, want 403 %s", c.name, r.status, r.body, c.code)
			}
			if n := denied(c.app, c.code) - before; n != 1 {
				t.Errorf("%s left %d denied records.batch rows by %s (%s), want 1", c.name, n, c.app, c.code)
			}
		}
		// The entry's own department is told what is wrong with its
		// body, and nothing is audited as denied.
		all := func() int {
			return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.batch' AND outcome = 'denied'`)
		}
		before := all()
		for _, c := range []struct{ path, body, code string }{
			{"/ops", "{", "malformed_json"},
			{"/batches", "", "unsupported_media_type"},
		} {
			hdr := []string{"Content-Type", "application/xml"}
			if c.path == "/ops" {
				hdr = nil
			}
			if r := rf.do(t, "POST", a+c.path, rf.gaKey, c.body, hdr...); r.status != 400 || r.body["code"] != c.code {
				t.Errorf("the provider's bad %s: %d %v, want 400 %s", c.path, r.status, r.body, c.code)
			}
		}
		if n := all() - before; n != 0 {
			t.Errorf("the provider's bad bodies left %d denied rows, want none", n)
		}
	})
}

// TestDiscrepancyRoleRefusalAudited: feedback on a discrepancy, or its
// resolution, refused its caller's role (neither records.write nor the
// operator) leaves a denied row of the action on the discrepancy with the
// reason forbidden, with an Idempotency-Key or without, where it left
// none. On both engines.
func TestDiscrepancyRoleRefusalAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		_, _, id := discrepancyWithThird(t, rf, db, 5310)
		disc := "/api/v1/records/discrepancies/" + strconv.FormatInt(id, 10)
		for _, c := range []struct {
			action, body string
			hdr          []string
		}{
			{"feedback", `{"feedback":"核实"}`, nil},
			{"feedback", `{"feedback":"核实"}`, []string{"Idempotency-Key", "fb-1"}},
			{"resolve", `{"authoritative_entry_id":1}`, nil},
			{"resolve", `{"authoritative_entry_id":1}`, []string{"Idempotency-Key", "rs-1"}},
		} {
			count := func() int {
				return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND outcome = 'denied'
					AND object_type = 'record_discrepancy' AND object_id = $2 AND actor_kind = 'app' AND actor_name = '公安目录'
					AND detail = '{"reason":"forbidden"}'`, "records.discrepancy."+c.action, strconv.FormatInt(id, 10))
			}
			before := count()
			r := rf.do(t, "POST", disc+"/"+c.action, rf.gaCatalogKey, c.body, c.hdr...)
			if r.status != 403 || r.body["code"] != "forbidden" {
				t.Errorf("%s %v without records.write: %d %v, want 403 forbidden", c.action, c.hdr, r.status, r.body)
			}
			if n := count() - before; n != 1 {
				t.Errorf("%s %v without records.write left %d denied rows, want 1", c.action, c.hdr, n)
			}
		}
	})
}

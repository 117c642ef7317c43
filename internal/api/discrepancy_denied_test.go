package api_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/org/orgtest"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDiscrepanciesDeniedAudited: a list of discrepancies the caller may
// not read — an auditor's, an app's without data.read or records.write, a
// department administrator's or an app's naming another department — is
// refused 403 and audited as denied, as a refused read of a record is:
// records.discrepancy.read naming the purpose, the subject asked about and,
// in its detail, the reason and the department asked for. Without a
// purpose it is refused first (400), nothing audited. On both engines.
func TestDiscrepanciesDeniedAudited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		ctx := context.Background()
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			_, err := orgtest.CreateUser(ctx, tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"}, org.NewUser{Username: "nh.auditor",
				DisplayName: "审计员", DepartmentID: rf.deptID, Role: org.Auditor, Password: password}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		auditor, admin := rf.session(t, "nh.auditor"), rf.session(t, "mz.admin")
		ga, mz := strconv.FormatInt(rf.gaID, 10), strconv.FormatInt(rf.mzID, 10)
		subject := recordstest.CitizenID(4300)
		purpose := url.QueryEscape("核查多源差异")
		denied := func() int {
			return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.read' AND outcome = 'denied'`)
		}
		for _, c := range []struct {
			name, query, key string
			hdr              []string
			subject, detail  string
		}{
			{"auditor", "", "", auditor, "", `{"reason":"forbidden"}`},
			{"auditor about a subject", "&subject_id=" + subject, "", auditor, subject, `{"reason":"forbidden"}`},
			{"app without data.read", "", rf.gaCatalogKey, nil, "", `{"reason":"forbidden"}`},
			{"department administrator, another department", "&department_id=" + ga, "", admin, "", `{"department_id":"` + ga + `","reason":"forbidden"}`},
			{"app, another department", "&department_id=" + mz + "&subject_id=" + subject, rf.gaKey, nil, subject,
				`{"department_id":"` + mz + `","reason":"forbidden"}`},
		} {
			match := func() int {
				return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.read' AND outcome = 'denied'
					AND purpose = '核查多源差异' AND subject_id = $1 AND detail = $2 AND object_type = 'record_discrepancy'`, c.subject, c.detail)
			}
			before, matched := denied(), match()
			if r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose="+c.query, c.key, "", c.hdr...); r.status != 400 || r.body["code"] != "purpose_required" {
				t.Errorf("%s without a purpose: %d %v, want 400 purpose_required", c.name, r.status, r.body)
			}
			if n := denied(); n != before {
				t.Errorf("%s without a purpose: %d denied rows, want none", c.name, n-before)
			}
			r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose="+purpose+c.query, c.key, "", c.hdr...)
			if r.status != 403 || r.body["code"] != "forbidden" {
				t.Errorf("%s: %d %v, want 403 forbidden", c.name, r.status, r.body)
				continue
			}
			if n := match() - matched; n != 1 || denied() != before+1 {
				t.Errorf("%s: %d denied rows naming %q %s (of %d new), want 1", c.name, n, c.subject, c.detail, denied()-before)
			}
		}
		// Allowed, the list leaves no denied row.
		before := denied()
		if r := rf.do(t, "GET", "/api/v1/records/discrepancies?purpose="+purpose+"&department_id="+mz, "", "", admin...); r.status != 200 {
			t.Errorf("its own department: %d %v, want 200", r.status, r.body)
		}
		if n := denied(); n != before {
			t.Errorf("an allowed list left %d denied rows", n-before)
		}
	})
}

package api_test

import (
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCrossSiteReadRefused: a read that writes an audit row, asked with
// a session cookie by a request the browser says another site made
// (Sec-Fetch-Site cross-site or same-site: a link on another site,
// followed by a logged-in clerk), is refused with 403 cross_site_read
// and writes no row, where it read and wrote rows naming the clerk under
// the purpose the link chose (the changes feed 951 records.feed rows). So
// is a read the clerk would be refused, whose denied row the link would
// forge too. The same request from the platform's own pages
// (same-origin), typed (none) or without the header, and any request
// with an API key, reads and is audited as before. On both engines.
func TestCrossSiteReadRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		b := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryB, 10)
		p := recordstest.CitizenID(1000)
		at := beijing(rf.clock.Now())
		for _, push := range []struct{ path, key, line string }{
			{a, rf.gaKey, opLine("add", p, at, map[string]string{"姓名": "张三", "居住地址": "桂城街道南海大道1号"})},
			{b, rf.mzKey, opLine("add", p, at, map[string]string{"姓名": "张叁", "家庭人口数": "3"})},
		} {
			if r := rf.do(t, "POST", push.path+"/ops", push.key, push.line); r.status != 201 {
				t.Fatalf("push to %s: %d %v", push.path, r.status, r.body)
			}
		}
		op, reviewer := rf.session(t, "nh.op"), rf.session(t, "mz.reviewer")
		rows := func() int { return rf.countWhere(t, `SELECT count(*) FROM audit_log`) }
		for _, tc := range []struct {
			path    string
			session []string
			status  int    // same-origin
			key     string // an API key that reads it too, "" for none
		}{
			{a + "/subjects/" + p + "?purpose=ATTACKER", op, 200, rf.opReadKey},
			{a + "/subjects/" + p + "/history?purpose=ATTACKER", op, 200, rf.opReadKey},
			{a + "/changes?purpose=X&limit=1000", op, 200, rf.opReadKey},
			{"/api/v1/records/discrepancies?purpose=ATTACKER", op, 200, rf.mzKey},
			{"/api/v1/audit", op, 200, rf.opKey},
			{"/api/v1/audit?subject_id=" + p, op, 200, rf.opKey},
			// Refused to the clerk: the denied row would be forged too.
			{a + "/subjects/" + p + "?purpose=ATTACKER", reviewer, 403, ""},
			{"/api/v1/audit", reviewer, 403, ""},
		} {
			for _, site := range []string{"cross-site", "same-site"} {
				before := rows()
				hdr := append([]string{"Sec-Fetch-Site", site, "Sec-Fetch-Mode", "navigate"}, tc.session...)
				r := rf.do(t, "GET", tc.path, "", "", hdr...)
				if r.status != 403 || r.body["code"] != "cross_site_read" {
					t.Errorf("%s %s: %d %v, want 403 cross_site_read", site, tc.path, r.status, r.body)
				}
				if n := rows() - before; n != 0 {
					t.Errorf("%s %s: %d audit rows written, want none", site, tc.path, n)
				}
			}
			for _, site := range []string{"same-origin", "none", ""} {
				before := rows()
				hdr := tc.session
				if site != "" {
					hdr = append([]string{"Sec-Fetch-Site", site}, tc.session...)
				}
				if r := rf.do(t, "GET", tc.path, "", "", hdr...); r.status != tc.status {
					t.Errorf("%q %s: %d %v, want %d", site, tc.path, r.status, r.body, tc.status)
				}
				if rows() == before {
					t.Errorf("%q %s: no audit row written", site, tc.path)
				}
			}
			if tc.key != "" {
				before := rows()
				if r := rf.do(t, "GET", tc.path, tc.key, "", "Sec-Fetch-Site", "cross-site"); r.status != 200 {
					t.Errorf("key %s: %d %v, want 200", tc.path, r.status, r.body)
				}
				if rows() == before {
					t.Errorf("key %s: no audit row written", tc.path)
				}
			}
		}
	})
}

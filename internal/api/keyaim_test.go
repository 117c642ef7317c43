package api_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRefusedKeyRowKeepsOnlyCodes: a request refused for its API key is
// not authenticated, so its auth.key row names as its subject only a
// citizen ID or a legal entity's code the path gives, as the entry the
// path names takes it (nothing when it refuses it), else as either kind
// reads it; never other text. Since records read other documents'
// numbers, any 4 to 32 letters and digits with a digit were kept as the
// row's subject (E12345678, 南字第0123456号 against an entry keyed by
// citizen IDs or none), as was a passport-keyed entry's number, and
// zz9abc123 (an organisation code's form) against an entry keyed by
// citizen IDs was kept as ZZ9ABC123. On both engines.
func TestRefusedKeyRowKeepsOnlyCodes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		passport := publishEntry(t, db, rf.gaID, rf.deptID, personResource("出入境人员信息", "01", "公安", "002", "流动人口管理", "18",
			"daily", "护照号码*:C20;姓名:C50"), t0.Add(-time.Hour))
		p := recordstest.CitizenID(7)
		for i, c := range []struct {
			entry          int64
			subject, named string
		}{
			{rf.entryA, "zz9abc123", ""},
			{rf.entryA, "E12345678", ""},
			{passport, "e12345678", ""},
			{999999, "南字第0123456号", ""},
			{999999, "H1234567801", ""},
			{rf.entryA, p, p},
			{passport, p, p},
			{999999, "91350100m000100y43", "91350100M000100Y43"},
			{rf.entryA, "91350100M000100Y43", ""},
			{999999, "zz9abc123", "ZZ9ABC123"}, // an organisation code
		} {
			keyID := "0123456789" + strconv.Itoa(10+i)
			path := "/api/v1/records/entries/" + strconv.FormatInt(c.entry, 10) + "/subjects/" + c.subject + "?purpose=test"
			if r := rf.do(t, "GET", path, "htk_"+keyID+"_bogusbogusbogusbogus", ""); r.status != 401 {
				t.Fatalf("%s: %d %v, want 401", path, r.status, r.body)
			}
			n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'auth.key' AND object_id = $1 AND subject_id = $2`, keyID, c.named)
			if n != 1 {
				var got []string
				rows, err := db.Read().QueryContext(t.Context(), `SELECT subject_id FROM audit_log WHERE action = 'auth.key' AND object_id = $1`, keyID)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var s string
					if err := rows.Scan(&s); err != nil {
						t.Fatal(err)
					}
					got = append(got, s)
				}
				rows.Close()
				t.Errorf("%s: auth.key rows name %q, want one naming %q", path, got, c.named)
			}
		}
	})
}

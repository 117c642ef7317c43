package api_test

import (
	"encoding/json"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPutBackRetireRequest: an entry whose retirement was asked and
// rejected, as GET answers it with its retire_request, can be edited and
// PUT back, as TestPutBackGotEntry's can, where retire_request, a field
// the server sets, was refused 400 unknown_field.
func TestPutBackRetireRequest(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin, op := f.session(t, "mz.admin"), f.session(t, "nh.op")
		base := publishedEntry(t, f, admin, op)
		if r := f.do(t, "POST", base+"/retire", "", `{"reason":"停止采集"}`, admin...); r.status >= 300 {
			t.Fatalf("retire: %d %v", r.status, r.body)
		}
		if r := f.do(t, "POST", base+"/retire/reject", "", `{"reason":"仍有部门在用"}`, op...); r.status != 200 {
			t.Fatalf("reject the retirement: %d %v", r.status, r.body)
		}
		got := f.do(t, "GET", base, "", "", admin...)
		if _, ok := got.body["retire_request"]; !ok {
			t.Fatalf("GET: no retire_request to send back in %v", got.body)
		}
		got.body["abstract"] = "婚姻登记信息（修订）"
		b, err := json.Marshal(got.body)
		if err != nil {
			t.Fatal(err)
		}
		if r := f.do(t, "PUT", base, "", string(b), admin...); r.status != 200 || r.body["abstract"] != got.body["abstract"] {
			t.Errorf("PUT back GET: %d %v, want 200 with the new abstract", r.status, r.body)
		}
	})
}

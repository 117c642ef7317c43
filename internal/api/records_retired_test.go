package api_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestReadsOfAnEntryNotPublished: reading the records of a retired entry
// (a record, its history, the change feed), the source department's own
// included, is refused in a read's words (已注销，不能查询数据), of an
// entry never published likewise (未发布，不能查询数据) for whoever sees
// it in the catalog, not in a push's
// (不能归集数据), which a push still gets (已注销，不能归集数据), nor
// setting or reading its timeliness rule (已注销，不能设置时效规则,
// 不能查看时效规则); the code stays
// entry_not_published. On both engines.
func TestReadsOfAnEntryNotPublished(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		p1 := recordstest.CitizenID(31)
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", p1, beijing(rf.clock.Now().Add(-time.Hour)), map[string]string{"姓名": "张三"})); r.status != 201 {
			t.Fatalf("push: %d %v", r.status, r.body)
		}
		ctx := context.Background()
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: rf.gaID}, Editor: true}
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			// The department asks; the operator's review retires it.
			if _, err := catalog.Retire(ctx, tx, by, rf.entryA, "业务调整", rf.clock.Now()); err != nil {
				return err
			}
			_, err := catalog.ApproveRetire(ctx, tx, catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test"},
				Operator: true}, rf.entryA, rf.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		draft := rf.do(t, "POST", "/api/v1/catalog/entries", "", marriageEntry, rf.session(t, "nh.op")...)
		if draft.status != 201 {
			t.Fatalf("create draft: %d %v", draft.status, draft.body)
		}
		d := "/api/v1/records/entries/" + jsonNumber(draft.body["id"])
		// The draft is the operator's department's: only its reader sees
		// it in the catalog (another department is answered as for no
		// entry, TestRecordsHideAnotherDepartmentsDraft).
		for _, c := range []struct {
			entry, want string
			who         map[string]string
		}{
			{a, "已注销，不能查询数据", map[string]string{"the source": rf.gaKey, "a reader": rf.opReadKey}},
			{d, "未发布，不能查询数据", map[string]string{"a reader of its department": rf.opReadKey}},
		} {
			for _, path := range []string{"/subjects/" + p1 + "?purpose=核查", "/subjects/" + p1 + "/history?purpose=核查", "/changes?purpose=核查"} {
				for who, key := range c.who {
					r := rf.do(t, "GET", c.entry+path, key, "")
					msg, _ := r.body["detail"].(string)
					if r.status != 409 || r.body["code"] != "entry_not_published" || !strings.Contains(msg, c.want) || strings.Contains(msg, "归集") {
						t.Errorf("%s reads %s%s: %d %v, want 409 entry_not_published saying %s", who, c.entry, path, r.status, r.body, c.want)
					}
				}
			}
		}
		r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("change", p1, beijing(rf.clock.Now().Add(-time.Minute)), map[string]string{"姓名": "张叁"}))
		if msg, _ := r.body["detail"].(string); r.status != 409 || r.body["code"] != "entry_not_published" || !strings.Contains(msg, "已注销，不能归集数据") {
			t.Errorf("push to the retired entry: %d %v, want 409 entry_not_published in a push's words", r.status, r.body)
		}
		// Setting its timeliness rule is refused in its own words, not a
		// push's.
		r = rf.do(t, "PUT", a+"/rule", rf.opKey, `{"rule":"within2"}`)
		if msg, _ := r.body["detail"].(string); r.status != 409 || r.body["code"] != "entry_not_published" || !strings.Contains(msg, "已注销，不能设置时效规则") {
			t.Errorf("rule of the retired entry: %d %v, want 409 entry_not_published saying 已注销，不能设置时效规则", r.status, r.body)
		}
		if msg, _ := r.body["detail"].(string); !strings.HasPrefix(msg, "数据资源 ") {
			t.Errorf("rule of the retired entry: %q, want it called 数据资源 as elsewhere", msg)
		}
		r = rf.do(t, "GET", a+"/rule", rf.gaKey, "")
		if msg, _ := r.body["detail"].(string); r.status != 409 || r.body["code"] != "entry_not_published" || !strings.Contains(msg, "已注销，不能查看时效规则") {
			t.Errorf("reading the retired entry's rule: %d %v, want 409 entry_not_published saying 已注销，不能查看时效规则", r.status, r.body)
		}
	})
}

package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestEntryCalledDataResource: the messages of a refused resolution, push
// and line call an entry 数据资源, as the console does, where they said
// 目录, the catalog's word for the whole.
func TestEntryCalledDataResource(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		says := func(what, msg, want string) {
			t.Helper()
			if !strings.Contains(msg, want) || strings.Contains(msg, "目录") {
				t.Errorf("%s: %q, want %q and no 目录", what, msg, want)
			}
		}
		_, _, d1, _ := f.twoDisputedNames()
		_, err := f.resolve(records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}, d1[0].ID, -5)
		if e := errs.As(err); e == nil || e.Code != "invalid_authority" {
			t.Fatalf("resolve for -5: %v, want invalid_authority", err)
		} else {
			says("invalid_authority", e.Message, "权威数据资源应为差异涉及的两个数据资源之一")
		}
		p := recordstest.CitizenID(7)
		_, err = records.Ingest(f.ctx, db, f.rsjPusher, f.hj, records.JSONLines(strings.NewReader(line("add", p, monday,
			map[string]string{"姓名": "x"}, ""))), f.receivedAt, records.Options{})
		if e := errs.As(err); e == nil || e.Code != "not_provider" {
			t.Fatalf("push by another department: %v, want not_provider", err)
		} else {
			says("not_provider", e.Message, "不是数据资源 101001/000001 的数源部门")
		}
		res := f.push(f.pusher, f.hj, line("add", p, monday, map[string]string{"血型": "A"}, ""), records.Options{})
		if len(res.Rejected) != 1 || res.Rejected[0].Code != "unknown_item" {
			t.Fatalf("unknown item: %+v", res)
		}
		says("unknown item", res.Rejected[0].Reason, "数据资源 101001/000001 没有信息项“血型”")
		res, err = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader("op,subject_id,produced_at,血型,\n"+
			"add,"+p+","+monday.Format("2006-01-02 15:04:05")+",A,B\n")), f.receivedAt, records.Options{})
		if err != nil || len(res.Rejected) < 2 {
			t.Fatalf("unknown columns: %+v %v", res, err)
		}
		says("blank-headed column", res.Rejected[0].Reason, "（数据资源 101001/000001 中的名称）")
		says("unknown column", res.Rejected[1].Reason, "不是数据资源 101001/000001 的信息项，请改为该数据资源中信息项的名称")
	})
}

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

// TestMessagesCallItem信息项: the refusals of a push (a value of no
// string, number or logical value, an item twice in values, a CSV header
// missing a column, with a column of no name, of no item or with two of
// one item, a cancel row with values) and of a resolution call a data item
// 信息项, the glossary's word and the catalog's, where they said 数据项.
// On both engines.
func TestMessagesCallItem信息项(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		says := func(what, msg, want string) {
			t.Helper()
			if !strings.Contains(msg, want) || strings.Contains(msg, "数据项") {
				t.Errorf("%s: %q, want %q and no 数据项", what, msg, want)
			}
		}
		p := recordstest.CitizenID(30)
		produced := monday.Format("2006-01-02 15:04:05")
		res := f.push(f.pusher, f.hj, `{"op":"add","subject_id":"`+p+`","produced_at":"`+monday.Format("2006-01-02T15:04:05Z07:00")+
			`","values":{"姓名":["张三"]}}`+"\n", records.Options{})
		if len(res.Rejected) != 1 {
			t.Fatalf("array value: %+v", res)
		}
		says("array value", res.Rejected[0].Reason, "信息项“姓名”的值应为字符串、数字或逻辑值")
		res = f.push(f.pusher, f.hj, `{"op":"add","subject_id":"`+p+`","produced_at":"`+monday.Format("2006-01-02T15:04:05Z07:00")+
			`","values":{"姓名":"张三","姓名":"李四"}}`+"\n", records.Options{})
		if len(res.Rejected) != 1 {
			t.Fatalf("item twice: %+v", res)
		}
		says("item twice", res.Rejected[0].Reason, "同一操作中一个信息项只能有一个值")

		csv := func(what, body, want string) {
			t.Helper()
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(body)), f.receivedAt, records.Options{})
			var msgs []string
			if e := errs.As(err); e != nil {
				msgs = append(msgs, e.Message)
			} else if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			for _, r := range res.Rejected {
				msgs = append(msgs, r.Reason)
			}
			for _, m := range msgs {
				if strings.Contains(m, want) {
					says(what, m, want)
					return
				}
			}
			t.Errorf("%s: %q, want one saying %q", what, msgs, want)
		}
		csv("missing column", "op,subject_id,姓名\nadd,"+p+",张三\n", "其余为信息项名称")
		csv("blank-headed column", "op,subject_id,produced_at,姓名,\nadd,"+p+","+produced+",张三,B\n", "请在表头填写该列的信息项名称")
		csv("unknown column", "op,subject_id,produced_at,血型\nadd,"+p+","+produced+",A\n", "不是数据资源 101001/000001 的信息项，请改为该数据资源中信息项的名称")
		csv("two columns of one item", "op,subject_id,produced_at,姓名,姓 名\nadd,"+p+","+produced+",张三,\n", "一个信息项只能有一列")
		csv("cancel with values", "op,subject_id,produced_at,姓名\ncancel,"+p+","+produced+",张三\n", "注销（cancel）行不能填写信息项的值")

		// The catalog names neither entry as 姓名's source: the operator
		// must choose, another department may not resolve.
		p1 := recordstest.CitizenID(31)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "黄静芳"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", p1, monday, map[string]string{"姓名": "黄静某"}, ""), records.Options{})
		d := f.live(p1)
		if len(d) != 1 {
			t.Fatalf("open discrepancies of %s: %+v", p1, d)
		}
		_, err := f.resolve(records.Reviewer{Actor: f.pusher.Actor, Operator: true}, d[0].ID, 0)
		if e := errs.As(err); e == nil || e.Code != "missing_authority" {
			t.Fatalf("operator without an authority: %v, want missing_authority", err)
		} else {
			says("missing_authority", e.Message, "为该信息项的权威数源")
		}
		_, err = f.resolve(records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}, d[0].ID, f.hj)
		if e := errs.As(err); e == nil || e.Code != "not_authoritative" {
			t.Fatalf("department without a named source: %v, want not_authoritative", err)
		} else {
			says("not_authoritative", e.Message, "为该信息项的权威数源")
		}
	})
}

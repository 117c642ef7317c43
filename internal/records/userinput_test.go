package records_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestLineErrorsInChinese: a batch line that is not an operation, or a
// CSV line that is not CSV, is refused with a Chinese reason that names
// no Go type and repeats none of the decoders' English.
func TestLineErrorsInChinese(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p := recordstest.CitizenID(1)
		res := f.push(f.pusher, f.hj, "garbage\n"+
			"[1]\n"+
			`{"op":1,"subject_id":"`+p+`"}`+"\n"+
			`{"op":"add","subject_id":"`+p+`","values":["张三"]}`+"\n"+
			`{"op":"add","subject_id":"`+p+`","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张三"},"extra":1}`+"\n", records.Options{})
		want := []struct{ code, field, reason string }{
			{"malformed_json", "", "JSON 格式错误（第 1 字节附近）"},
			{"invalid_type", "", "JSON 的类型应为对象，实为数组"},
			{"invalid_type", "op", "字段 op 的类型应为字符串，实为数字"},
			{"invalid_type", "values", "字段 values 的类型应为对象，实为数组"},
			{"unknown_field", "extra", "未知字段：extra"},
		}
		if len(res.Rejected) != len(want) {
			t.Fatalf("rejected = %+v", res.Rejected)
		}
		for i, w := range want {
			if le := res.Rejected[i]; le.Line != i+1 || le.Code != w.code || le.Field != w.field || le.Reason != w.reason {
				t.Errorf("line %d: %+v, want %+v", i+1, le, w)
			}
		}
		for _, c := range []struct{ csv, reason string }{
			{"op,subject_id,produced_at,姓名\nadd," + p + ",2026-03-02,张\"三\n",
				`CSV 格式错误：未加引号的字段中有引号（"），含引号的字段应整个放在引号中，其中的引号写成两个（""）`},
			{"op,subject_id,produced_at,姓名\nadd," + p + ",2026-03-02,\"张三\n",
				`CSV 格式错误：引号（"）不成对：加引号的字段没有结束，或其中的引号没有写成两个（""）`},
		} {
			res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(c.csv)), f.receivedAt, records.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Rejected) != 1 || res.Rejected[0].Code != "malformed_csv" || res.Rejected[0].Reason != c.reason {
				t.Errorf("%q: rejected %+v, want malformed_csv %q", c.csv, res.Rejected, c.reason)
			}
		}
	})
}

// TestIdentifyingItemOfNoSubject: in an entry whose subject is neither a
// person nor a legal entity, the item that identifies a record (a case's
// acceptance number) is text, not checked as a citizen ID or credit code;
// in a person's entry it still is.
func TestIdentifyingItemOfNoSubject(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		cases := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "202001/000001", Name: "办件信息", SubjectKind: "none",
			Items: []records.Item{{Name: "统一受理号", Type: "C", Length: 30, IdentifiesSubject: true}, {Name: "事项名称", Type: "C", Length: 50}}})
		res := f.push(f.pusher, cases, line("add", "SL-2026-0001", monday, map[string]string{"统一受理号": "SL-2026-0001", "事项名称": "户口迁移"}, ""),
			records.Options{})
		if res.Applied != 1 || res.RejectedCount != 0 {
			t.Fatalf("acceptance number refused: %+v", res)
		}
		r, err := records.Get(f.ctx, db.Read(), mustEntry(t, db, cases), "SL-2026-0001")
		if err != nil || r.Values["统一受理号"] != "SL-2026-0001" {
			t.Errorf("record = %+v, %v", r, err)
		}
		res = f.push(f.pusher, cases, line("add", "SL-2026-0002", monday, map[string]string{"统一受理号": strings.Repeat("号", 31)}, ""),
			records.Options{})
		if res.RejectedCount != 1 || res.Rejected[0].Code != "value_too_long" {
			t.Errorf("too long an acceptance number: %+v", res)
		}
		res = f.push(f.pusher, f.hj, line("add", recordstest.CitizenID(1), monday, map[string]string{"公民身份号码": "SL-2026-0001"}, ""),
			records.Options{})
		if res.RejectedCount != 1 || res.Rejected[0].Code != "invalid_citizen_id" {
			t.Errorf("a person's entry takes a citizen ID: %+v", res)
		}
	})
}

func mustEntry(t *testing.T, db *sqldb.DB, id int64) *records.Entry {
	t.Helper()
	e, err := records.LoadEntry(t.Context(), db.Read(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestListLimitsCapped: a limit over the most a list serves is served as
// that most (1,000), not as the default page.
func TestListLimitsCapped(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		var b strings.Builder
		for i := 1; i <= 1001; i++ {
			b.WriteString(line("add", recordstest.CitizenID(i), monday, map[string]string{"姓名": fmt.Sprint("名", i)}, ""))
		}
		if res := f.push(f.pusher, f.hj, b.String(), records.Options{}); res.Applied != 1001 {
			t.Fatalf("push: %+v", res)
		}
		e, err := records.LoadEntry(f.ctx, db.Read(), f.hj)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ limit, want int }{{0, 100}, {1, 1}, {1000, 1000}, {1001, 1000}, {5000, 1000}} {
			vs, _, err := records.Changes(f.ctx, db.Read(), e, 0, c.limit)
			if err != nil || len(vs) != c.want {
				t.Errorf("Changes limit %d: %d versions, %v; want %d", c.limit, len(vs), err, c.want)
			}
		}
	})
}

// TestNotesChecked: feedback on a discrepancy and the notes of its
// resolution and of a timeliness rule with NUL (an internal error on
// PostgreSQL) or other control characters, or too long, are refused as
// bad input on both engines and change nothing; line breaks are fine.
func TestNotesChecked(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		f.nameSource(f.hj) // 户籍's department may resolve
		p1 := recordstest.CitizenID(1)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "张三"}, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("add", p1, monday, map[string]string{"姓名": "张叁"}, ""), records.Options{})
		open, _, err := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{Status: "open"}, f.receivedAt)
		if err != nil || len(open) != 1 {
			t.Fatalf("discrepancies = %+v, %v", open, err)
		}
		d := open[0]
		gaj := records.Reviewer{Actor: f.pusher.Actor, DepartmentID: f.gaj}
		try := func(fn func(tx *sqldb.Tx) error) string {
			t.Helper()
			err := db.Tx(f.ctx, fn)
			if e := errs.As(err); e != nil {
				return e.Field + ":" + e.Code
			}
			if err != nil {
				return "internal: " + err.Error()
			}
			return ""
		}
		long := strings.Repeat("说", 1001)
		for _, c := range []struct {
			name string
			fn   func(tx *sqldb.Tx) error
			want string
		}{
			{"feedback NUL", func(tx *sqldb.Tx) error {
				_, err := records.Feedback(f.ctx, tx, gaj, d.ID, "已核\x00实", new(false), f.receivedAt)
				return err
			}, "feedback:invalid_characters"},
			{"feedback too long", func(tx *sqldb.Tx) error {
				_, err := records.Feedback(f.ctx, tx, gaj, d.ID, long, new(false), f.receivedAt)
				return err
			}, "feedback:too_long"},
			{"resolution NUL", func(tx *sqldb.Tx) error {
				_, err := records.Resolve(f.ctx, tx, gaj, d.ID, f.hj, "以户籍\x00为准", f.receivedAt)
				return err
			}, "note:invalid_characters"},
			{"rule note NUL", func(tx *sqldb.Tx) error {
				return records.SetRule(f.ctx, tx, f.pusher.Actor, f.hj, records.Quarterly, "经审核\x00", f.receivedAt)
			}, "note:invalid_characters"},
			{"rule note bell", func(tx *sqldb.Tx) error {
				return records.SetRule(f.ctx, tx, f.pusher.Actor, f.hj, records.Quarterly, "经审核\a", f.receivedAt)
			}, "note:invalid_characters"},
			{"rule note too long", func(tx *sqldb.Tx) error {
				return records.SetRule(f.ctx, tx, f.pusher.Actor, f.hj, records.Quarterly, long, f.receivedAt)
			}, "note:too_long"},
		} {
			if got := try(c.fn); got != c.want {
				t.Errorf("%s: %s, want %s", c.name, got, c.want)
			}
		}
		if got, _ := records.GetDiscrepancy(f.ctx, db.Read(), d.ID, f.receivedAt); got.Status != "open" || got.FeedbackA != "" {
			t.Errorf("after refused notes: %+v", got)
		}
		if n := f.count("record_entry_rules"); n != 0 {
			t.Errorf("rules = %d after refused notes, want 0", n)
		}
		if got := try(func(tx *sqldb.Tx) error {
			_, err := records.Feedback(f.ctx, tx, gaj, d.ID, "已核实：\n本局登记有误，\t将更正", new(false), f.receivedAt)
			return err
		}); got != "" {
			t.Errorf("feedback on two lines: %s", got)
		}
	})
}

package records_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }

var personItems = []records.Item{
	{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
	{Name: "姓名", Type: "C", Length: 10},
	{Name: "出生日期", Type: "D"},
	{Name: "户籍地址", Type: "C", Length: 50},
	{Name: "参保人数", Type: "I", Length: 3},
}

// Monday 2026-03-02 10:00 Beijing time.
var monday = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

type fixture struct {
	db         *sqldb.DB
	gaj, rsj   int64 // departments
	hj, sb     int64 // 户籍 entry (gaj), 社保 entry (rsj)
	pusher     records.Pusher
	rsjPusher  records.Pusher
	ctx        context.Context
	t          *testing.T
	receivedAt time.Time
}

func setup(t *testing.T, db *sqldb.DB) *fixture {
	f := &fixture{db: db, ctx: context.Background(), t: t, receivedAt: monday.Add(time.Hour)}
	f.gaj = recordstest.Department(t, db, "公安分局", 1)
	f.rsj = recordstest.Department(t, db, "人社局", 2)
	f.hj = recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000001", Name: "户籍人口信息", SubjectKind: "person",
		Items: personItems[:4]})
	f.sb = recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000001", Name: "社保参保信息", SubjectKind: "person",
		Items: []records.Item{{Name: "身份证号", Type: "C", IdentifiesSubject: true}, {Name: "姓名", Type: "C", Length: 10},
			{Name: "参保人数", Type: "I", Length: 3}}})
	f.pusher, f.rsjPusher = recordstest.Pusher(f.gaj), recordstest.Pusher(f.rsj)
	return f
}

func (f *fixture) push(by records.Pusher, entry int64, lines string, opt records.Options) records.BatchResult {
	f.t.Helper()
	res, err := records.Ingest(f.ctx, f.db, by, entry, records.JSONLines(strings.NewReader(lines)), f.receivedAt, opt)
	if err != nil {
		f.t.Fatalf("ingest: %v", err)
	}
	return res
}

// refusals lists res's errors as line:code:field, in order, each after
// the one before and a space.
func refusals(res records.BatchResult) string {
	var got []string
	for _, r := range res.Rejected {
		got = append(got, fmt.Sprintf("%d:%s:%s", r.Line, r.Code, r.Field))
	}
	return strings.Join(got, " ")
}

func line(op, subject string, produced time.Time, vals map[string]string, key string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"op":%q,"subject_id":%q,"produced_at":%q`, op, subject, produced.Format(time.RFC3339))
	if vals != nil {
		b.WriteString(`,"values":{`)
		i := 0
		for k, v := range vals {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%q:%q", k, v)
			i++
		}
		b.WriteByte('}')
	}
	if key != "" {
		fmt.Fprintf(&b, `,"key":%q`, key)
	}
	return b.String() + "}\n"
}

// people returns the lines adding persons from to to-1, named 人 and their
// number.
func people(from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		b.WriteString(line("add", recordstest.CitizenID(i), monday, map[string]string{"姓名": fmt.Sprint("人", i)}, ""))
	}
	return b.String()
}

// allRecords is every record (entry and subject) as a table for count.
const allRecords = "(SELECT DISTINCT entry_id, subject_id FROM record_versions) AS r"

func (f *fixture) count(table string) int {
	f.t.Helper()
	var n int
	if err := f.db.Read().QueryRowContext(f.ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestOperationsAndHistory(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		res := f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "张三", "出生日期": "19900101"}, "k1")+
			line("add", p2, monday, map[string]string{"姓名": "李四"}, "k2"), records.Options{})
		if res.Applied != 2 || res.RejectedCount != 0 || res.FirstSeq != 1 || res.LastSeq != 2 {
			t.Fatalf("first batch: %+v", res)
		}
		e, err := records.LoadEntry(f.ctx, db.Read(), f.hj)
		if err != nil {
			t.Fatal(err)
		}
		firstDone := f.receivedAt
		f.receivedAt = f.receivedAt.Add(time.Hour)
		res = f.push(f.pusher, f.hj, line("change", p1, monday.Add(30*time.Minute), map[string]string{"户籍地址": "桂城街道"}, "k3")+
			line("cancel", p2, monday.Add(30*time.Minute), nil, "k4"), records.Options{})
		if res.Applied != 2 || res.FirstSeq != 3 || res.LastSeq != 4 {
			t.Fatalf("second batch: %+v", res)
		}
		r, err := records.Get(f.ctx, db.Read(), e, p1)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"姓名": "张三", "出生日期": "1990-01-01", "户籍地址": "桂城街道"}
		if fmt.Sprint(r.Values) != fmt.Sprint(want) || r.Version != 2 || r.Status != "active" {
			t.Errorf("current p1 = %+v, want values %v version 2", r, want)
		}
		old, err := records.At(f.ctx, db.Read(), e, p1, firstDone)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := old.Values["户籍地址"]; ok || old.Version != 1 {
			t.Errorf("p1 at first batch = %+v, want version 1 without 户籍地址", old)
		}
		if now, err := records.At(f.ctx, db.Read(), e, p1, f.receivedAt); err != nil || now.Version != 2 {
			t.Errorf("p1 at the second batch = %+v, %v; want version 2", now, err)
		}
		for _, c := range []struct {
			subject string
			at      time.Time
			msg     string
		}{{p1, firstDone.Add(-time.Microsecond), "该时间点记录不存在"}, {recordstest.CitizenID(9), f.receivedAt, "记录不存在"}} {
			_, err := records.At(f.ctx, db.Read(), e, c.subject, c.at)
			if e := errs.As(err); e == nil || e.Kind != errs.NotFound || !strings.HasPrefix(e.Message, c.msg) {
				t.Errorf("%s at %v: %v, want not found: %s", c.subject, c.at, err, c.msg)
			}
		}
		r2, err := records.Get(f.ctx, db.Read(), e, p2)
		if err != nil {
			t.Fatal(err)
		}
		if r2.Status != "cancelled" || r2.Values["姓名"] != "李四" {
			t.Errorf("cancelled p2 = %+v, want status cancelled with values kept", r2)
		}
		h, err := records.History(f.ctx, db.Read(), e, p2)
		if err != nil {
			t.Fatal(err)
		}
		if len(h) != 2 || h[0].Op != "add" || h[1].Op != "cancel" || h[0].BatchID == h[1].BatchID {
			t.Errorf("history of p2 = %+v", h)
		}
		feed, _, err := records.Changes(f.ctx, db.Read(), e, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range feed {
			got = append(got, fmt.Sprintf("%d:%s", v.Seq, v.Op))
		}
		if strings.Join(got, " ") != "1:add 2:add 3:change 4:cancel" {
			t.Errorf("feed = %v", got)
		}
		rest, _, err := records.Changes(f.ctx, db.Read(), e, 2, 1)
		if err != nil || len(rest) != 1 || rest[0].Seq != 3 {
			t.Errorf("feed after 2 limit 1 = %+v, %v; want seq 3", rest, err)
		}
		// Re-adding a cancelled record revives it with the next version.
		res = f.push(f.pusher, f.hj, line("add", p2, monday.Add(time.Hour), map[string]string{"姓名": "李四"}, "k5"), records.Options{})
		if res.Applied != 1 {
			t.Fatalf("re-add: %+v", res)
		}
		if r2, _ = records.Get(f.ctx, db.Read(), e, p2); r2.Status != "active" || r2.Version != 3 {
			t.Errorf("re-added p2 = %+v", r2)
		}
	})
}

func TestBatchAtomicAndLineErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "张三"}, ""), records.Options{})
		before := f.count("record_versions")
		bad := line("add", p2, monday, map[string]string{"姓名": "王五"}, "") + // 1 fine
			line("add", "440605199001011234", monday, map[string]string{"姓名": "x"}, "") + // 2 bad check digit
			line("add", recordstest.CitizenID(3), monday, map[string]string{"出生日期": "1990-13-45"}, "") + // 3 bad date
			line("add", recordstest.CitizenID(4), monday, map[string]string{"血型": "A"}, "") + // 4 unknown item
			line("change", recordstest.CitizenID(5), monday, map[string]string{"姓名": "赵六"}, "") + // 5 no record
			line("add", p1, monday, map[string]string{"姓名": "张三"}, "k-other") + // 6 exists
			"{not json\n" + // 7
			line("add", recordstest.CitizenID(6), monday, map[string]string{"姓名": "名字太长了超过了十个字符呀"}, "") + // 8 too long
			line("cancel", p2, monday, nil, "") // 9 fine: p2 was added on line 1
		res := f.push(f.pusher, f.hj, bad, records.Options{})
		var got []string
		for _, le := range res.Rejected {
			got = append(got, fmt.Sprintf("%d:%s", le.Line, le.Code))
		}
		want := "2:invalid_citizen_id 3:invalid_value 4:unknown_item 5:record_not_found 6:record_exists 7:malformed_json 8:value_too_long"
		if strings.Join(got, " ") != want {
			t.Errorf("rejected = %v\nwant %s", got, want)
		}
		if res.Applied != 0 || res.BatchID != 0 || res.RejectedCount != 7 || res.Lines != 9 {
			t.Errorf("result = %+v", res)
		}
		if n := f.count("record_versions"); n != before {
			t.Errorf("versions = %d after rejected batch, want %d", n, before)
		}
		if n := f.count(allRecords); n != 1 {
			t.Errorf("records = %d, want 1", n)
		}
		q, err := records.EntryQuality(f.ctx, db.Read(), nil, f.hj, 0, f.receivedAt)
		if err != nil || len(q) != 1 {
			t.Fatalf("quality: %v %v", q, err)
		}
		if q[0].RejectedLines != 7 || q[0].CheckedLines != 10 || q[0].Validity != 0.3 {
			t.Errorf("validity counters = %+v", q[0])
		}
		// Not the provider.
		_, err = records.Ingest(f.ctx, db, f.rsjPusher, f.hj, records.JSONLines(strings.NewReader(line("add", p2, monday,
			map[string]string{"姓名": "x"}, ""))), f.receivedAt, records.Options{})
		if err == nil || !strings.Contains(err.Error(), "not_provider") {
			t.Errorf("push by another department: err = %v, want not_provider", err)
		}
	})
}

func TestIdempotency(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		batch := people(0, 1200) // more than two chunks
		res := f.push(f.pusher, f.hj, batch, records.Options{BatchKey: "batch-1"})
		if res.Applied != 1200 || res.Replayed {
			t.Fatalf("first: %+v", res)
		}
		again := f.push(f.pusher, f.hj, batch, records.Options{BatchKey: "batch-1"})
		if !again.Replayed || again.BatchID != res.BatchID || again.Applied != 1200 {
			t.Errorf("retry with same batch key: %+v", again)
		}
		// Same operations under another batch key: every operation is a duplicate.
		dup := f.push(f.pusher, f.hj, batch+batch, records.Options{BatchKey: "batch-2"})
		if dup.Applied != 0 || dup.Duplicates != 2400 || dup.RejectedCount != 0 {
			t.Errorf("resent operations: %+v", dup)
		}
		if n := f.count("record_versions"); n != 1200 {
			t.Errorf("versions = %d, want 1200", n)
		}
		// An explicit key is per record: on another record, of the same
		// entry or another provider's, it is another operation; on the same
		// record it is the same operation, and another operation under it
		// is refused (TestOpKeyReusedForAnotherOperation).
		f.push(f.pusher, f.hj, line("change", recordstest.CitizenID(1), monday, map[string]string{"姓名": "改"}, "same"), records.Options{})
		if r := f.push(f.pusher, f.hj, line("change", recordstest.CitizenID(2), monday, map[string]string{"姓名": "改"}, "same"), records.Options{}); r.Applied != 1 {
			t.Errorf("another record of the entry with the same op key: %+v", r)
		}
		if r := f.push(f.rsjPusher, f.sb, line("add", recordstest.CitizenID(1), monday, map[string]string{"姓名": "改"}, "same"), records.Options{}); r.Applied != 1 {
			t.Errorf("other provider with the same op key: %+v", r)
		}
		if r := f.push(f.pusher, f.hj, line("change", recordstest.CitizenID(1), monday, map[string]string{"姓名": "改"}, "same"), records.Options{}); r.Applied != 0 || r.Duplicates != 1 {
			t.Errorf("same record, same op key: %+v", r)
		}
	})
}

// TestIdempotencyKeyReused: a batch key sent again with another body, or
// for another entry, is refused and applies nothing; with the same body
// it replays.
func TestIdempotencyKeyReused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		other := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000002", Name: "出生医学证明信息",
			SubjectKind: "person", Items: personItems[:2]})
		spool := func(body string) *records.Spooled {
			s, err := records.Spool(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		push := func(entry int64, body string) (records.BatchResult, error) {
			return records.IngestSpooled(f.ctx, db, f.pusher, entry, spool(body), records.JSONLines, f.receivedAt,
				records.Options{BatchKey: "k"})
		}
		first, err := push(f.hj, people(0, 3))
		if err != nil || first.Applied != 3 {
			t.Fatalf("first: %+v %v", first, err)
		}
		if r, err := push(f.hj, people(0, 3)); err != nil || !r.Replayed || r.BatchID != first.BatchID {
			t.Errorf("same body again: %+v %v", r, err)
		}
		for name, try := range map[string]func() (records.BatchResult, error){
			"other body":  func() (records.BatchResult, error) { return push(f.hj, people(3, 6)) },
			"other entry": func() (records.BatchResult, error) { return push(other, people(0, 3)) },
		} {
			r, err := try()
			if e := errs.As(err); e == nil || e.Code != "idempotency_key_reused" || e.Kind != errs.Conflict || r.Replayed {
				t.Errorf("%s with the key: %+v %v, want idempotency_key_reused", name, r, err)
			}
		}
		if n := f.count("record_versions"); n != 3 {
			t.Errorf("versions = %d, want 3", n)
		}
	})
}

// TestTextRefused: text PostgreSQL cannot store (NUL, invalid UTF-8), and
// control characters in keys and subjects, are refused lines on both
// engines, and the batch's other lines are reported, not failed.
func TestTextRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		free := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000003", Name: "门牌信息", SubjectKind: "none",
			Items: []records.Item{{Name: "地址", Type: "C"}}})
		// As JSON writes them: NUL as \u0000, invalid UTF-8 as U+FFFD.
		jsonLine := func(subject, item, value, key string) string {
			b, err := json.Marshal(map[string]any{"op": "add", "subject_id": subject, "produced_at": monday,
				"values": map[string]string{item: value}, "key": key})
			if err != nil {
				t.Fatal(err)
			}
			return string(b) + "\n"
		}
		res := f.push(f.pusher, f.hj, jsonLine(recordstest.CitizenID(1), "姓名", "张三", "bad\x00key")+
			jsonLine(recordstest.CitizenID(2), "姓名", "a\x00b", "")+
			strings.TrimSuffix(jsonLine(recordstest.CitizenID(3), "姓名", "李四", ""), "\n")+` {"op":"add"}`+"\n"+
			jsonLine(recordstest.CitizenID(4), "姓名", "王五", ""), records.Options{})
		var got []string
		for _, le := range res.Rejected {
			got = append(got, fmt.Sprintf("%d:%s", le.Line, le.Code))
		}
		if want := "1:invalid_key 2:invalid_text 3:malformed_json"; strings.Join(got, " ") != want {
			t.Errorf("rejected = %v, want %s", got, want)
		}
		res = f.push(f.pusher, free, jsonLine("一号\x00楼", "地址", "x", "")+jsonLine("二号\x07楼", "地址", "x", ""), records.Options{})
		if res.RejectedCount != 2 || res.Rejected[0].Code != "invalid_subject" || res.Rejected[1].Code != "invalid_subject" {
			t.Errorf("free subjects with control characters: %+v", res)
		}
		// Invalid UTF-8 past the first 64 KiB of a CSV, which told it
		// apart from GB18030.
		csv := "op,subject_id,produced_at,地址\n" + strings.Repeat("add,三号楼,2026-03-02,"+strings.Repeat("楼", 100)+"\n", 300) +
			"add,四号楼,2026-03-02,a\xffb\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, free, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || res.RejectedCount != 1 || res.Rejected[0].Code != "invalid_encoding" {
			t.Errorf("CSV with invalid UTF-8: %+v %v", res.Rejected, err)
		}
		_, err = records.Ingest(f.ctx, db, f.pusher, f.hj, records.JSONLines(strings.NewReader(people(0, 1))), f.receivedAt,
			records.Options{BatchKey: "\xff"})
		if e := errs.As(err); e == nil || e.Code != "invalid_idempotency_key" || e.Field != "Idempotency-Key" {
			t.Errorf("batch key of invalid UTF-8: %v, want invalid_idempotency_key naming the header", err)
		}
		if n := f.count("record_versions"); n != 0 {
			t.Errorf("versions = %d, want 0", n)
		}
	})
}

// TestNumbersKeepTheirDigits: JSON numbers are taken as written, not
// through float64 (which prints 9876543.5 as 9.8765435e+06).
func TestNumbersKeepTheirDigits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		e := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101001/000004", Name: "纳税信息", SubjectKind: "person",
			Items: []records.Item{{Name: "金额", Type: "N"}, {Name: "编号", Type: "C"}, {Name: "人数", Type: "I"}}})
		p := recordstest.CitizenID(1)
		res := f.push(f.pusher, e, `{"op":"add","subject_id":"`+p+`","produced_at":"2026-03-02T10:00:00+08:00",`+
			`"values":{"金额":9876543.5,"编号":20260302,"人数":9007199254740993}}`+"\n", records.Options{})
		if res.Applied != 1 {
			t.Fatalf("push: %+v", res)
		}
		ent, err := records.LoadEntry(f.ctx, db.Read(), e)
		if err != nil {
			t.Fatal(err)
		}
		r, err := records.Get(f.ctx, db.Read(), ent, p)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"金额": "9876543.5", "编号": "20260302", "人数": "9007199254740993"}
		for k, v := range want {
			if r.Values[k] != v {
				t.Errorf("%s = %q, want %q", k, r.Values[k], v)
			}
		}
	})
}

func TestCSV(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		csv := "\ufeffop,subject_id,produced_at,key,姓名,出生日期\n" +
			"add," + recordstest.CitizenID(1) + ",2026-03-02 10:00:00,a,张三,1990-01-01\n" +
			"add," + recordstest.CitizenID(2) + ",2026-03-02 10:00:00,b,李四,\n" +
			"change," + recordstest.CitizenID(1) + ",2026-03-02 11:00:00,c,,1990-01-02\n"
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || res.Applied != 3 {
			t.Fatalf("csv: %+v %v", res, err)
		}
		e, _ := records.LoadEntry(f.ctx, db.Read(), f.hj)
		r, _ := records.Get(f.ctx, db.Read(), e, recordstest.CitizenID(1))
		if r.Values["姓名"] != "张三" || r.Values["出生日期"] != "1990-01-02" {
			t.Errorf("after csv change: %v", r.Values)
		}
		res, _ = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader("op,subject_id,produced_at,血型\nadd,"+
			recordstest.CitizenID(3)+",2026-03-02,A\n")), f.receivedAt, records.Options{})
		if res.RejectedCount != 1 || res.Rejected[0].Line != 1 || res.Rejected[0].Code != "unknown_item" {
			t.Errorf("csv unknown column: %+v", res)
		}
		// A file saved as GBK (Excel's "CSV" on Chinese Windows) is read as
		// such; a GBK line after a UTF-8 start is refused, and nothing of
		// its batch stored.
		gbk := "op,subject_id,produced_at,\xd0\xd5\xc3\xfb\nadd," + recordstest.CitizenID(3) + ",2026-03-02,\xd5\xc5\xc8\xfd\n" // 姓名, 张三
		res, err = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(gbk)), f.receivedAt, records.Options{})
		if err != nil || res.Applied != 1 {
			t.Fatalf("GBK file: %+v %v", res, err)
		}
		if r, err := records.Get(f.ctx, db.Read(), e, recordstest.CitizenID(3)); err != nil || r.Values["姓名"] != "张三" {
			t.Errorf("GBK file stored %v, %v; want 姓名 张三", r.Values, err)
		}
		mixed := "op,subject_id,produced_at,姓名\nadd," + recordstest.CitizenID(4) + ",2026-03-02,王五\n" +
			strings.Repeat("\n", 70000) + "add," + recordstest.CitizenID(5) + ",2026-03-02,\xd5\xc5\xc8\xfd\n"
		res, _ = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(mixed)), f.receivedAt, records.Options{})
		if res.RejectedCount != 1 || res.Rejected[0].Line != 70003 || res.Rejected[0].Code != "invalid_encoding" || res.Applied != 0 {
			t.Errorf("GBK line after UTF-8: %+v", res)
		}
		if _, err := records.Get(f.ctx, db.Read(), e, recordstest.CitizenID(4)); err == nil {
			t.Errorf("a batch with a GBK line stored its other line")
		}
	})
}

// TestCSVExcelTimes: a CSV file's produced_at may be a date-time as Excel
// saves it (year first, month, day and hour without leading zeros, '/'
// or '-'), in Beijing time; a date in another order, which could be day
// or month first, or one that does not exist is refused and the message
// shows the forms read. JSON lines keep to RFC 3339 and the ISO forms.
func TestCSVExcelTimes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		bj := func(d, h, m, s int) time.Time { return time.Date(2026, 3, d, h, m, s, 0, calendar.Location()) }
		good := []struct {
			cell string
			want time.Time
		}{
			{"2026/3/2 9:00", bj(2, 9, 0, 0)},
			{"2026/03/02 09:00:30", bj(2, 9, 0, 30)},
			{"2026-3-2 9:05", bj(2, 9, 5, 0)},
			{"2026/3/1", bj(1, 0, 0, 0)},
			{"2026-03-02T01:10:00Z", bj(2, 9, 10, 0)},
		}
		csv := "op,subject_id,produced_at,姓名,出生日期\n"
		for i, c := range good {
			csv += "add," + recordstest.CitizenID(i) + "," + c.cell + ",张三,1990/1/1\n"
		}
		res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || res.Applied != len(good) {
			t.Fatalf("Excel date-times: %+v %v", res, err)
		}
		e := mustEntry(t, db, f.hj)
		for i, c := range good {
			if r, err := records.Get(f.ctx, db.Read(), e, recordstest.CitizenID(i)); err != nil || !r.ProducedAt.Equal(c.want) {
				t.Errorf("%s: produced_at %v, %v; want %v", c.cell, r.ProducedAt, err, c.want)
			}
		}
		bad := []string{"3/2/2026 9:00", "2/3/2026 9:00", "26/3/2 9:00", "2026/2/30 9:00", "2026/3/2 24:00", "2026/3/2 9:0",
			"2026/3-2 9:00", "2026/3/2 9:00 PM"}
		csv = "op,subject_id,produced_at,姓名\n"
		for i, cell := range bad {
			csv += "add," + recordstest.CitizenID(100+i) + "," + cell + ",李四\n"
		}
		res, _ = records.Ingest(f.ctx, db, f.pusher, f.hj, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if res.RejectedCount != len(bad) {
			t.Fatalf("refused %d of %d: %+v", res.RejectedCount, len(bad), res)
		}
		for i, le := range res.Rejected {
			if le.Code != "invalid_produced_at" || !strings.Contains(le.Reason, "YYYY/M/D H:MM[:SS]") || !strings.HasSuffix(le.Reason, "实为“"+bad[i]+"”") {
				t.Errorf("%s: %+v", bad[i], le)
			}
		}
		res = f.push(f.pusher, f.hj, `{"op":"add","subject_id":"`+recordstest.CitizenID(200)+`","produced_at":"2026/3/2 9:00","values":{"姓名":"王五"}}`+"\n",
			records.Options{})
		if res.RejectedCount != 1 || res.Rejected[0].Code != "invalid_produced_at" {
			t.Errorf("JSON line with an Excel date-time: %+v", res)
		}
	})
}

// TestCSVExcelTimeItems: in a CSV file a data item of type T (date-time)
// takes the forms produced_at takes there, Excel's included, in Beijing
// time, stored as the ISO forms are; a date-time in another order, or one
// that does not exist, is refused with the forms read. JSON lines keep to
// the ISO forms for T items, as for produced_at.
func TestCSVExcelTimeItems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		visits := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "101002/000001", Name: "来访登记信息", SubjectKind: "person",
			Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "来访时间", Type: "T"}}})
		good := []struct{ cell, want string }{
			{"2026/12/3 9:00", "2026-12-03T09:00:00+08:00"},
			{"2026/03/02 09:00:30", "2026-03-02T09:00:30+08:00"},
			{"2026-3-2 9:05", "2026-03-02T09:05:00+08:00"},
			{"2026/3/1", "2026-03-01T00:00:00+08:00"},
			{"2026-03-02 10:00:00", "2026-03-02T10:00:00+08:00"},
			{"2026-03-02T01:10:00Z", "2026-03-02T09:10:00+08:00"},
		}
		csv := "op,subject_id,produced_at,来访时间\n"
		for i, c := range good {
			csv += "add," + recordstest.CitizenID(i) + ",2026/3/2 9:00," + c.cell + "\n"
		}
		res, err := records.Ingest(f.ctx, db, f.pusher, visits, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if err != nil || res.Applied != len(good) {
			t.Fatalf("Excel date-times: %+v %v", res, err)
		}
		e := mustEntry(t, db, visits)
		for i, c := range good {
			if r, err := records.Get(f.ctx, db.Read(), e, recordstest.CitizenID(i)); err != nil || r.Values["来访时间"] != c.want {
				t.Errorf("%s: 来访时间 %q, %v; want %q", c.cell, r.Values["来访时间"], err, c.want)
			}
		}
		bad := []string{"3/2/2026 9:00", "2026/2/30 9:00", "2026/3/2 24:00", "2026/3/2 9:00 PM"}
		csv = "op,subject_id,produced_at,来访时间\n"
		for i, cell := range bad {
			csv += "add," + recordstest.CitizenID(100+i) + ",2026/3/2 9:00," + cell + "\n"
		}
		res, _ = records.Ingest(f.ctx, db, f.pusher, visits, records.CSV(strings.NewReader(csv)), f.receivedAt, records.Options{})
		if res.RejectedCount != len(bad) {
			t.Fatalf("refused %d of %d: %+v", res.RejectedCount, len(bad), res)
		}
		for i, le := range res.Rejected {
			if le.Code != "invalid_value" || le.Field != "来访时间" || !strings.Contains(le.Reason, "YYYY/M/D H:MM[:SS]") {
				t.Errorf("%s: %+v", bad[i], le)
			}
		}
		res = f.push(f.pusher, visits, `{"op":"add","subject_id":"`+recordstest.CitizenID(200)+`","produced_at":"2026-03-02T09:00:00+08:00","values":{"来访时间":"2026/3/2 9:00"}}`+"\n",
			records.Options{})
		if res.RejectedCount != 1 || res.Rejected[0].Code != "invalid_value" || strings.Contains(res.Rejected[0].Reason, "Excel") {
			t.Errorf("JSON line with an Excel date-time: %+v", res)
		}
	})
}

func TestTimelinessRules(t *testing.T) {
	cal := calendar.Default()
	bj := calendar.Location()
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, bj)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		rule               records.Rule
		produced, received string
		late               bool
	}{
		{records.RealTime, "2026-03-02 10:00", "2026-03-02 23:59", false},  // same working day
		{records.RealTime, "2026-03-02 10:00", "2026-03-03 08:00", true},   // next working day
		{records.RealTime, "2026-03-06 18:00", "2026-03-08 20:00", false},  // Friday → Sunday: before Monday
		{records.RealTime, "2026-03-06 18:00", "2026-03-09 09:00", true},   // Monday is late
		{records.Within2, "2026-03-06 18:00", "2026-03-10 23:00", false},   // Fri + 2 working days = Tue
		{records.Within2, "2026-03-06 18:00", "2026-03-11 09:00", true},    // Wednesday is late
		{records.Within2, "2026-09-30 10:00", "2026-10-09 12:00", false},   // National Day: Oct 9 is the 2nd working day
		{records.Within2, "2026-09-30 10:00", "2026-10-12 09:00", true},    // Oct 10 (Sat) is a working day (调休)
		{records.Quarterly, "2026-02-15 10:00", "2026-04-10 23:00", false}, // Q1 data by April 10
		{records.Quarterly, "2026-02-15 10:00", "2026-04-11 00:01", true},  // after the first ten days
		{records.Quarterly, "2026-11-15 10:00", "2027-01-10 12:00", false}, // Q4 → January next year
	}
	for _, tt := range tests {
		if got := tt.rule.Late(cal, at(tt.produced), at(tt.received)); got != tt.late {
			t.Errorf("%s produced %s received %s: late = %v, want %v (deadline %s)", tt.rule, tt.produced, tt.received,
				got, tt.late, tt.rule.Deadline(cal, at(tt.produced)).In(bj))
		}
	}
}

func TestTimelinessCounted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		lic := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "105001/000001", Name: "居住证", SubjectKind: "person",
			Class: "basic", CategoryCode: "05", Items: personItems[1:2]})
		// Received Thursday 2026-03-05 10:00 Beijing.
		f.receivedAt = time.Date(2026, 3, 5, 2, 0, 0, 0, time.UTC)
		batch := line("add", recordstest.CitizenID(1), f.receivedAt.Add(-time.Hour), map[string]string{"姓名": "甲"}, "") + // on time
			line("add", recordstest.CitizenID(2), monday, map[string]string{"姓名": "乙"}, "") // Monday: 3 working days
		for _, c := range []struct {
			entry int64
			late  int
		}{{f.hj, 1}, {lic, 1}} {
			res := f.push(f.pusher, c.entry, batch, records.Options{})
			if res.Late != c.late {
				t.Errorf("entry %d: late = %d, want %d", c.entry, res.Late, c.late)
			}
		}
		// Produced Wednesday: on time for 2 working days, late in real time.
		wed := line("add", recordstest.CitizenID(3), time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC), map[string]string{"姓名": "丙"}, "")
		if r := f.push(f.pusher, f.hj, wed, records.Options{}); r.Late != 0 {
			t.Errorf("within2 Wednesday: late = %d", r.Late)
		}
		if r := f.push(f.pusher, lic, wed, records.Options{}); r.Late != 1 {
			t.Errorf("realtime Wednesday: late = %d", r.Late)
		}
		// An approved quarterly exception makes the same push on time.
		err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			return records.SetRule(f.ctx, tx, f.pusher.Actor, f.hj, records.Quarterly, "经市政务办审核", f.receivedAt)
		})
		if err != nil {
			t.Fatal(err)
		}
		if r := f.push(f.pusher, f.hj, line("add", recordstest.CitizenID(9), monday, map[string]string{"姓名": "丁"}, ""), records.Options{}); r.Late != 0 {
			t.Errorf("quarterly: late = %d", r.Late)
		}
		q, err := records.DepartmentQuality(f.ctx, db.Read(), nil, f.gaj, f.receivedAt)
		if err != nil || len(q) != 1 {
			t.Fatalf("department quality: %+v %v", q, err)
		}
		if q[0].Ops != 7 || q[0].LateOps != 3 || q[0].Entries != 2 {
			t.Errorf("department counters = %+v, want 7 ops, 3 late", q[0])
		}
	})
}

func TestStale(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		weekly := recordstest.Entry(t, db, f.gaj, recordstest.Spec{Code: "301001/000009", Name: "周报", SubjectKind: "none",
			UpdateFrequency: "weekly", Items: []records.Item{{Name: "说明", Type: "C"}}})
		f.push(f.pusher, f.hj, line("add", recordstest.CitizenID(1), monday, map[string]string{"姓名": "甲"}, ""), records.Options{})
		f.push(f.pusher, weekly, line("add", "w1", monday, map[string]string{"说明": "x"}, ""), records.Options{})
		// Tuesday: the daily entry received on Monday is fresh; the
		// never-fed daily 社保 entry (published in January) is stale.
		tue := monday.Add(24 * time.Hour)
		s, err := records.Stale(f.ctx, db.Read(), nil, 0, tue)
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != 1 || s[0].EntryID != f.sb || s[0].LastReceivedAt != nil {
			t.Errorf("stale on Tuesday = %+v, want only 社保", s)
		}
		// Ten days later everything is stale.
		s, _ = records.Stale(f.ctx, db.Read(), nil, 0, monday.Add(10*24*time.Hour))
		if len(s) != 3 {
			t.Errorf("stale after ten days = %d entries, want 3", len(s))
		}
	})
}

func TestCrossCheck(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		p1, p2 := recordstest.CitizenID(1), recordstest.CitizenID(2)
		f.push(f.pusher, f.hj, line("add", p1, monday, map[string]string{"姓名": "张三"}, "")+
			line("add", p2, monday, map[string]string{"姓名": "李四"}, ""), records.Options{})
		// 社保 says p1 is 张叁: found on arrival; p2 agrees.
		f.push(f.rsjPusher, f.sb, line("add", p1, monday, map[string]string{"姓名": "张叁", "参保人数": "1"}, "")+
			line("add", p2, monday, map[string]string{"姓名": "李四"}, ""), records.Options{})
		open, _, err := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{Status: "open", DepartmentID: f.gaj}, f.receivedAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(open) != 1 || open[0].SubjectID != p1 || open[0].ItemKey != "姓名" || open[0].ValueA != "张三" || open[0].ValueB != "张叁" {
			t.Fatalf("open discrepancies = %+v", open)
		}
		d := open[0]
		// Monday + 5 working days = next Monday, end of day Beijing.
		if got := d.DueAt.In(calendar.Location()).Format("2006-01-02"); got != "2026-03-09" {
			t.Errorf("due = %s, want 2026-03-09", got)
		}
		sb, _ := records.LoadEntry(f.ctx, db.Read(), f.sb)
		r, err := records.Get(f.ctx, db.Read(), sb, p1)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Disputed) != 1 || r.Disputed[0].Item != "姓名" || r.Disputed[0].OtherValue != "张三" {
			t.Errorf("reader of 社保 p1 sees disputed = %+v", r.Disputed)
		}
		// Both departments see it; feedback from each.
		for _, dep := range []int64{f.gaj, f.rsj} {
			l, _, _ := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{DepartmentID: dep}, f.receivedAt)
			if len(l) != 1 {
				t.Errorf("department %d sees %d discrepancies", dep, len(l))
			}
		}
		err = db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			_, err := records.Feedback(f.ctx, tx, records.Reviewer{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}, d.ID, "已核实，将更正", new(false), f.receivedAt)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// Overdue after the deadline without the other department's feedback.
		l, _, _ := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{}, d.DueAt.Add(time.Second))
		if !l[0].Overdue || l[0].FeedbackB == "" {
			t.Errorf("after deadline: %+v", l[0])
		}
		// The catalog names no source of 姓名: neither department may resolve
		// by itself; the operator, who coordinates, names 户籍.
		for _, by := range []records.Reviewer{{Actor: f.rsjPusher.Actor, DepartmentID: f.rsj}, {Actor: f.pusher.Actor, DepartmentID: f.gaj}} {
			err = db.Tx(f.ctx, func(tx *sqldb.Tx) error {
				_, err := records.Resolve(f.ctx, tx, by, d.ID, f.hj, "", f.receivedAt)
				return err
			})
			if errs.KindOf(err) != errs.Forbidden {
				t.Errorf("department %d resolved in favour of 户籍 without a named source: %v", by.DepartmentID, err)
			}
		}
		err = db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			got, err := records.Resolve(f.ctx, tx, records.Reviewer{Actor: f.pusher.Actor, Operator: true}, d.ID, f.hj, "以户籍为准", f.receivedAt)
			if err == nil && (got.Status != "awaiting_correction" || got.Authority != f.hj) {
				t.Errorf("resolved = %+v", got)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// A new difference on p2, then the source corrects it: auto-resolved.
		f.push(f.rsjPusher, f.sb, line("change", p2, monday, map[string]string{"姓名": "李肆"}, ""), records.Options{})
		if l, _, _ := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{Status: "open"}, f.receivedAt); len(l) != 1 || l[0].SubjectID != p2 {
			t.Fatalf("after change: %+v", l)
		}
		f.push(f.rsjPusher, f.sb, line("change", p2, monday.Add(time.Minute), map[string]string{"姓名": "李四"}, ""), records.Options{})
		if l, _, _ := records.Discrepancies(f.ctx, db.Read(), records.DiscrepancyFilter{Status: "open"}, f.receivedAt); len(l) != 0 {
			t.Errorf("after correction still open: %+v", l)
		}
		// The sweep finds differences that arrival did not see (here: made
		// behind its back) and reports nothing twice.
		if _, err := db.Write().ExecContext(f.ctx, `UPDATE record_versions SET vals = '{"姓名":"王二"}'
			WHERE entry_id = $1 AND seq = (SELECT max(seq) FROM record_versions WHERE entry_id = $1 AND subject_id = $2)`, f.hj, p2); err != nil {
			t.Fatal(err)
		}
		for i, want := range []int{1, 0} {
			res, err := records.Sweep(f.ctx, db, nil, f.pusher.Actor, f.receivedAt)
			if err != nil {
				t.Fatal(err)
			}
			if res.Pairs != 1 || res.Compared != 2 || res.Found != want {
				t.Errorf("sweep %d = %+v, want found %d", i, res, want)
			}
		}
		// 社保: p2 open, p1 awaiting its correction; 户籍: p2 open.
		q, _ := records.EntryQuality(f.ctx, db.Read(), nil, f.sb, 0, f.receivedAt)
		if q[0].OpenDiscrepancies != 1 || q[0].AwaitingCorrection != 1 || q[0].Consistency != 0 {
			t.Errorf("consistency of 社保 = %+v", q[0])
		}
		q, _ = records.EntryQuality(f.ctx, db.Read(), nil, f.hj, 0, f.receivedAt)
		if q[0].OpenDiscrepancies != 1 || q[0].AwaitingCorrection != 0 || q[0].Consistency != 0.5 {
			t.Errorf("consistency of 户籍 = %+v", q[0])
		}
	})
}

// TestSweepComparesCurrentRecords sweeps two entries over several pages:
// each subject is compared once, on its current record only (an older
// version or a cancelled record with a different value is not a
// discrepancy), and the sweep reports nothing twice.
func TestSweepComparesCurrentRecords(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		const n = 2500
		var hj, sb strings.Builder
		for i := 0; i < n; i++ {
			vals := map[string]string{"姓名": fmt.Sprint("人", i)}
			hj.WriteString(line("add", recordstest.CitizenID(i), monday, vals, ""))
			sb.WriteString(line("add", recordstest.CitizenID(i), monday, vals, ""))
		}
		f.push(f.pusher, f.hj, hj.String(), records.Options{})
		f.push(f.rsjPusher, f.sb, sb.String(), records.Options{})
		changed := map[string]string{"姓名": "改五"}
		f.push(f.pusher, f.hj, line("change", recordstest.CitizenID(5), monday, changed, "")+
			line("cancel", recordstest.CitizenID(6), monday, nil, ""), records.Options{})
		f.push(f.rsjPusher, f.sb, line("change", recordstest.CitizenID(5), monday, changed, ""), records.Options{})

		// Behind the arrival check's back: the first version of 5 and every
		// version of the cancelled 6 (neither current), and the current
		// records of five subjects on the first, second and third pages.
		tamper := func(where string, args ...any) {
			t.Helper()
			if _, err := db.Write().ExecContext(f.ctx, `UPDATE record_versions SET vals = '{"姓名":"篡改"}' WHERE entry_id = $1 AND `+where,
				append([]any{f.hj}, args...)...); err != nil {
				t.Fatal(err)
			}
		}
		tamper("subject_id = $2 AND version = 1", recordstest.CitizenID(5))
		tamper("subject_id = $2", recordstest.CitizenID(6))
		for _, i := range []int{0, 999, 1000, 1001, n - 1} {
			tamper("subject_id = $2", recordstest.CitizenID(i))
		}
		for i, want := range []int{5, 0} {
			res, err := records.Sweep(f.ctx, db, nil, f.pusher.Actor, f.receivedAt)
			if err != nil {
				t.Fatal(err)
			}
			if res.Pairs != 1 || res.Compared != n-1 || res.Found != want {
				t.Errorf("sweep %d = %+v, want %d compared, %d found", i, res, n-1, want)
			}
		}
	})
}

// TestBatchesList lists a department's and an entry's batches newest
// first, page by page; a refused batch left nothing to list.
func TestBatchesList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		var ids []int64
		for i := 0; i < 3; i++ {
			var b strings.Builder
			for j := 0; j <= i; j++ {
				b.WriteString(line("add", recordstest.CitizenID(10*i+j), monday, map[string]string{"姓名": "甲"}, ""))
			}
			ids = append(ids, f.push(f.pusher, f.hj, b.String(), records.Options{BatchKey: fmt.Sprint("k", i)}).BatchID)
		}
		other := f.push(f.rsjPusher, f.sb, line("add", recordstest.CitizenID(1), monday, map[string]string{"姓名": "甲"}, ""), records.Options{})
		if res, err := records.Ingest(f.ctx, db, f.pusher, f.hj, records.JSONLines(strings.NewReader(
			line("change", recordstest.CitizenID(99), monday, map[string]string{"姓名": "乙"}, ""))), f.receivedAt, records.Options{}); err != nil || res.RejectedCount != 1 {
			t.Fatalf("a change of a missing record: %+v, %v", res, err)
		}

		got, _, err := records.Batches(f.ctx, db.Read(), records.BatchFilter{DepartmentID: f.gaj})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].BatchID != ids[2] || got[2].BatchID != ids[0] {
			t.Fatalf("department's batches = %+v, want %v newest first", got, ids)
		}
		if b := got[0]; b.EntryID != f.hj || b.DepartmentID != f.gaj || b.Applied != 3 || b.Key != "k2" ||
			b.Actor != "app:app-"+fmt.Sprint(f.gaj) || b.ReceivedAt != f.receivedAt || b.LastSeq-b.FirstSeq != 2 {
			t.Errorf("newest batch = %+v", b)
		}
		page, _, err := records.Batches(f.ctx, db.Read(), records.BatchFilter{EntryID: f.hj, BeforeID: ids[2], Limit: 1})
		if err != nil || len(page) != 1 || page[0].BatchID != ids[1] {
			t.Errorf("page before %d = %+v, %v", ids[2], page, err)
		}
		all, _, err := records.Batches(f.ctx, db.Read(), records.BatchFilter{})
		if err != nil || len(all) != 4 || all[0].BatchID != other.BatchID {
			t.Errorf("all batches = %+v, %v", all, err)
		}
		// A retired entry's batches stay listed, with its code and name.
		if _, err := db.Write().ExecContext(f.ctx, `UPDATE catalog_entries SET status = 'retired' WHERE id = $1`, f.hj); err != nil {
			t.Fatal(err)
		}
		got, _, err = records.Batches(f.ctx, db.Read(), records.BatchFilter{EntryID: f.hj})
		if err != nil || len(got) != 3 || got[0].EntryCode != "101001/000001" || got[0].EntryName != "户籍人口信息" {
			t.Errorf("a retired entry's batches = %+v, %v", got, err)
		}
	})
}

func TestQualityScores(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		// 户籍 has 3 value items (姓名, 出生日期, 户籍地址); the birth dates
		// are those of the citizen IDs (a date that contradicts one is not valid).
		f.push(f.pusher, f.hj, line("add", recordstest.CitizenID(1), monday, map[string]string{"姓名": "甲", "出生日期": "1960-01-02", "户籍地址": "x"}, "")+
			line("add", recordstest.CitizenID(2), monday, map[string]string{"姓名": "乙"}, "")+
			line("add", recordstest.CitizenID(3), monday, map[string]string{"姓名": "丙"}, "")+
			line("cancel", recordstest.CitizenID(3), monday, nil, ""), records.Options{})
		q, err := records.EntryQuality(f.ctx, db.Read(), nil, f.hj, 0, f.receivedAt)
		if err != nil {
			t.Fatal(err)
		}
		// Live: 1 (3 filled) and 2 (1 filled) → 4 / 6.
		if q[0].LiveRecords != 2 || q[0].Completeness != 0.6667 || q[0].Timeliness != 1 || q[0].Validity != 1 || q[0].Freshness != 1 {
			t.Errorf("quality = %+v", q[0])
		}
		f.push(f.pusher, f.hj, line("change", recordstest.CitizenID(2), monday, map[string]string{"出生日期": "1960-01-03", "户籍地址": "y"}, ""), records.Options{})
		q, _ = records.EntryQuality(f.ctx, db.Read(), nil, f.hj, 0, f.receivedAt)
		if q[0].Completeness != 1 {
			t.Errorf("completeness after filling = %v", q[0].Completeness)
		}
	})
}

func TestValues(t *testing.T) {
	tests := []struct {
		typ, in, want string
		length        int
		ok            bool
	}{
		{"N", "010.50", "10.5", 0, true},
		{"N", "1e3", "", 0, false},
		{"Y", "12345.678", "12345.678", 8, true},
		{"Y", "12345.678", "", 7, false},
		{"I", "-42", "-42", 0, true},
		{"I", "4.2", "", 0, false},
		{"F", "3.25", "3.25", 0, true},
		{"D", "2026年03月02日", "2026-03-02", 0, true},
		{"D", "2026-02-30", "", 0, false},
		{"T", "2026-03-02 10:00:00", "2026-03-02T10:00:00+08:00", 0, true},
		{"T", "2026-03-02T02:00:00Z", "2026-03-02T10:00:00+08:00", 0, true},
		{"L", "是", "true", 0, true},
		{"L", "maybe", "", 0, false},
		{"C", "一二三", "一二三", 3, true},
		{"C", "一二三四", "", 3, false},
		{"C", "第一行\n第二行", "第一行\n第二行", 0, true},
		{"C", "a\x00b", "", 0, false},
		{"C", "a\x1bb", "", 0, false},
		{"C", "a\xffb", "", 0, false},
	}
	for _, tt := range tests {
		got, err := records.CheckValue(records.Item{Name: "x", Type: tt.typ, Length: tt.length}, tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%s %q (len %d) = %q, %v; want %q ok=%v", tt.typ, tt.in, tt.length, got, err, tt.want, tt.ok)
		}
	}
}

// TestDuplicatesAcrossChunks resends operations in the last chunk of a
// longer batch, after PostgreSQL's savepoints ran out (so that its chunks
// look their keys up first; TestIdempotency has a conflict under a
// savepoint): each resent operation is skipped, every other one applied
// once.
func TestDuplicatesAcrossChunks(t *testing.T) {
	defer records.SetMaxSavepoints(1)()
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		first := people(0, 10)
		f.push(f.pusher, f.hj, first, records.Options{})
		// 12,000 operations: three chunks on PostgreSQL, 24 on SQLite; ten
		// lines of the last chunk were sent before.
		res := f.push(f.pusher, f.hj, people(10, 11000)+first+people(11000, 12000), records.Options{})
		if res.Applied != 11990 || res.Duplicates != 10 || res.RejectedCount != 0 {
			t.Fatalf("batch with resent operations: applied %d duplicates %d rejected %d", res.Applied, res.Duplicates, res.RejectedCount)
		}
		if n := f.count("record_versions"); n != 12000 {
			t.Errorf("versions = %d, want 12000", n)
		}
		if n := f.count(allRecords); n != 12000 {
			t.Errorf("records = %d, want 12000", n)
		}
	})
}

package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testclock"
)

// recordsFixture adds to the fixture a public-security department (公安)
// with a published person entry (the one source of 姓名), the civil
// affairs department's (民政) published entry that carries 姓名 too, and
// one records.write + data.read app per department. The server runs on
// a settable clock.
type recordsFixture struct {
	*fixture
	clock        *testclock.Clock
	cal          *calendar.Calendar
	gaID, mzID   int64
	gaKey, mzKey string
	gaCatalogKey string // an app of 公安 with catalog.read only
	opReadKey    string // an app of the operator's department with data.read
	entryA       int64  // 公安: 居住登记信息 (daily)
	entryB       int64  // 民政: 低保对象信息 (monthly)
}

// personResource is a conditional-share person entry; items are
// "name:TypeLength" with "*" marking the identifying item.
func personResource(name, cat, catName, sub, subName, domain string, freq catalog.Frequency, items string) catalog.Resource {
	r := catalog.Resource{
		Name: name, Abstract: name + "，供各部门核验使用", Format: "database", ShareType: catalog.Conditional,
		ShareConditions: "仅向依法履行相关职责的政务部门共享", ShareScope: "南海区各政务部门",
		Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: cat, CategoryName: catName,
			SubcategoryCode: sub, SubcategoryName: subName},
		ShareMethods:  []catalog.ShareMethod{"query", "verify"},
		OpenAttribute: catalog.NotOpen, UpdateFrequency: freq, SecurityLevel: 3, NetworkZone: "egov_extranet",
		Domain: domain, SubjectKind: catalog.Person, Timeliness: "业务办结后2个工作日内更新",
	}
	for _, f := range strings.Split(items, ";") {
		n, spec, _ := strings.Cut(f, ":")
		it := catalog.Item{Name: strings.TrimSuffix(n, "*"), Type: catalog.DataType(spec[:1]), IdentifiesSubject: strings.HasSuffix(n, "*")}
		it.Length, _ = strconv.Atoi(spec[1:])
		r.Items = append(r.Items, it)
	}
	return r
}

// publishEntry compiles, submits and approves an entry through the catalog
// lifecycle, naming the earlier entry as the one source of shared items.
func publishEntry(t *testing.T, db *sqldb.DB, dept, operatorDept int64, r catalog.Resource, now time.Time) int64 {
	t.Helper()
	ctx := context.Background()
	by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: dept}, Editor: true}
	op := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test-op", Name: "test", DepartmentID: operatorDept}, Operator: true}
	id, err := demo.PublishEntry(ctx, db, by, op, r, now)
	if err != nil {
		t.Fatalf("publish %s: %v", r.Name, err)
	}
	return id
}

func newRecordsFixture(t *testing.T, db *sqldb.DB) *recordsFixture {
	t.Helper()
	rf := &recordsFixture{fixture: newFixture(t, db), clock: testclock.New(t0), cal: calendar.Default()}
	rf.mzID = rf.otherID
	ctx := context.Background()
	by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		d := org.Department{Name: "佛山市公安局南海分局", USCC: demo.USCC("440605", 77), RegionCode: "440605"}
		if err := org.CreateDepartment(ctx, tx, by, &d, t0); err != nil {
			return err
		}
		rf.gaID = d.ID
		var err error
		scopes := []string{"records.write", "data.read"}
		if _, rf.gaKey, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "公安推送", DepartmentID: rf.gaID, Scopes: scopes}, t0); err != nil {
			return err
		}
		if _, rf.mzKey, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "民政推送", DepartmentID: rf.mzID, Scopes: scopes}, t0); err != nil {
			return err
		}
		if _, rf.gaCatalogKey, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "公安目录", DepartmentID: rf.gaID,
			Scopes: []string{"catalog.read"}}, t0); err != nil {
			return err
		}
		_, rf.opReadKey, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "数据查询", DepartmentID: rf.deptID, Scopes: []string{"data.read"}}, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	pub := t0.Add(-2 * time.Hour)
	rf.entryA = publishEntry(t, db, rf.gaID, rf.deptID, personResource("居住登记信息", "01", "公安", "002", "流动人口管理", "18",
		"daily", "公民身份号码*:C18;姓名:C50;居住地址:C200;登记日期:D"), pub)
	rf.entryB = publishEntry(t, db, rf.mzID, rf.deptID, personResource("低保对象信息", "03", "民政", "002", "社会救助", "03",
		"monthly", "公民身份号码*:C18;姓名:C50;家庭人口数:I;纳入保障日期:D"), pub.Add(time.Minute))

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	authn := &auth.Authenticator{DB: db, Log: log, Now: rf.clock.Now}
	a := &api.API{DB: db, Log: log, Now: rf.clock.Now, Auth: authn, Calendar: rf.cal}
	mux := http.NewServeMux()
	a.Register(mux)
	rf.srv = httptest.NewServer(authn.Middleware(a.Error)(mux))
	t.Cleanup(rf.srv.Close)
	return rf
}

func (rf *recordsFixture) countWhere(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := rf.db.Read().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// opLine is one JSON-lines operation.
func opLine(op, subject, producedAt string, values map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"op":%q,"subject_id":%q,"produced_at":%q`, op, subject, producedAt)
	if len(values) > 0 {
		b.WriteString(`,"values":{`)
		first := true
		for k, v := range values {
			if !first {
				b.WriteString(",")
			}
			first = false
			fmt.Fprintf(&b, "%q:%q", k, v)
		}
		b.WriteString("}")
	}
	b.WriteString("}")
	return b.String()
}

// beijing formats t as an RFC 3339 time in Beijing.
func beijing(t time.Time) string { return t.In(calendar.Location()).Format(time.RFC3339) }

func TestRecordsScenario(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		expect := func(what string, r response, status int) response {
			t.Helper()
			if r.status != status {
				t.Fatalf("%s: got %d %v, want %d", what, r.status, r.body, status)
			}
			return r
		}
		ndjson := []string{"Content-Type", "application/x-ndjson"}
		csvType := []string{"Content-Type", "text/csv"}
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		b := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryB, 10)
		p := make([]string, 10)
		for i := range p {
			p[i] = recordstest.CitizenID(1000 + i)
		}
		versions := func() int {
			return rf.countWhere(t, `SELECT count(*) FROM record_versions WHERE entry_id = $1`, rf.entryA)
		}

		// Single operations in real time, with produced_at.
		produced := beijing(rf.clock.Now().Add(-time.Hour))
		add := opLine("add", p[0], produced, map[string]string{"姓名": "张三", "居住地址": "桂城街道南海大道1号", "登记日期": "2026-03-01"})
		r := expect("add", rf.do(t, "POST", a+"/ops", rf.gaKey, add, "Idempotency-Key", "op-1"), 201)
		if r.body["applied"] != 1.0 || r.body["late"] != 0.0 {
			t.Errorf("add: %v", r.body)
		}
		r = expect("add again, same key", rf.do(t, "POST", a+"/ops", rf.gaKey, add, "Idempotency-Key", "op-1"), 200)
		if r.body["applied"] != 0.0 {
			t.Errorf("repeated add applied: %v", r.body)
		}
		if n := versions(); n != 1 {
			t.Fatalf("after a repeated op: %d versions, want 1", n)
		}
		beforeChange := rf.clock.Now()
		rf.clock.Add(time.Hour)
		change := opLine("change", p[0], beijing(rf.clock.Now().Add(-10*time.Minute)), map[string]string{"居住地址": "大沥镇广佛路8号"})
		expect("change", rf.do(t, "POST", a+"/ops", rf.gaKey, change), 201)

		// Pushes by a department that is not the source, and for records that do not exist.
		r = expect("non-provider", rf.do(t, "POST", a+"/ops", rf.mzKey, opLine("add", p[9], produced, map[string]string{"姓名": "某"})), 403)
		if r.body["code"] != "not_provider" {
			t.Errorf("non-provider code %v", r.body["code"])
		}
		expect("read-only app pushes", rf.do(t, "POST", a+"/ops", rf.readKey, add), 403)
		// Bodies that are not one operation: refused like any JSON body, nothing applied.
		for _, c := range []struct{ name, body, code string }{
			{"empty body", "", "empty_body"},
			{"two objects", add + add, "malformed_json"},
			{"unknown field", `{"op":"add","subject_id":"` + p[9] + `","valus":{}}`, "unknown_field"},
			{"values of another type", `{"op":"add","subject_id":"` + p[9] + `","values":["张三"]}`, "invalid_type"},
			{"an array", `[` + strings.TrimSpace(add) + `]`, "invalid_type"},
			{"op of another type", `{"op":1,"subject_id":"` + p[9] + `"}`, "invalid_type"},
			{"bad produced_at", `{"op":"add","subject_id":"` + p[9] + `","produced_at":"昨天","values":{"姓名":"某"}}`, "invalid_produced_at"},
			// Offsets time.Parse takes but are none: minute 60, more than 24 hours.
			{"produced_at offset +08:60", `{"op":"add","subject_id":"` + p[9] + `","produced_at":"2026-03-01T10:00:00+08:60","values":{"姓名":"某"}}`, "invalid_produced_at"},
			{"produced_at offset +24:01", `{"op":"add","subject_id":"` + p[9] + `","produced_at":"2026-03-01T10:00:00+24:01","values":{"姓名":"某"}}`, "invalid_produced_at"},
			{"produced_at offset -24:60", `{"op":"add","subject_id":"` + p[9] + `","produced_at":"2026-03-01T10:00:00-24:60","values":{"姓名":"某"}}`, "invalid_produced_at"},
		} {
			r := expect(c.name, rf.do(t, "POST", a+"/ops", rf.gaKey, c.body), 400)
			if r.body["code"] != c.code {
				t.Errorf("%s: code %v, want %s", c.name, r.body["code"], c.code)
			}
			// The detail is for people: no Go type, none of encoding/json's English.
			d, _ := r.body["detail"].(string)
			if c.code == "invalid_produced_at" && !strings.Contains(d, "数据产生时间（produced_at）应为时间") {
				t.Errorf("%s: detail %q", c.name, d)
			}
			for _, leak := range []string{"records.", "WireOp", "json", "Go ", "string", "unmarshal", "invalid character"} {
				if strings.Contains(d, leak) {
					t.Errorf("%s: detail %q names %q", c.name, d, leak)
				}
			}
		}
		if n := versions(); n != 2 {
			t.Fatalf("after refused bodies: %d versions, want 2", n)
		}
		for op, vals := range map[string]map[string]string{"change": {"姓名": "某"}, "cancel": nil} {
			r = expect(op+" of a missing record", rf.do(t, "POST", a+"/ops", rf.gaKey, opLine(op, p[9], produced, vals)), 409)
			if r.body["code"] != "record_not_found" {
				t.Errorf("%s missing: code %v", op, r.body["code"])
			}
		}

		// A good JSON-lines batch, and its retry with the same key.
		rf.clock.Add(time.Hour)
		produced = beijing(rf.clock.Now().Add(-time.Hour))
		batch := strings.Join([]string{
			opLine("add", p[1], produced, map[string]string{"姓名": "李四", "居住地址": "里水镇1号"}),
			opLine("add", p[2], produced, map[string]string{"姓名": "王五"}),
			"",
			opLine("add", p[3], produced, map[string]string{"姓名": "赵六", "登记日期": "2026-02-28"}),
			opLine("change", p[0], produced, map[string]string{"登记日期": "2026-03-02"}),
		}, "\n")
		hdr := append([]string{"Idempotency-Key", "batch-1"}, ndjson...)
		r = expect("good batch", rf.do(t, "POST", a+"/batches", rf.gaKey, batch, hdr...), 201)
		if r.body["applied"] != 4.0 || r.body["rejected_count"] != 0.0 {
			t.Errorf("good batch: %v", r.body)
		}
		batchID := r.body["batch_id"]
		n := versions()
		r = expect("retried batch", rf.do(t, "POST", a+"/batches", rf.gaKey, batch, hdr...), 200)
		if r.header.Get("Idempotent-Replayed") != "true" || r.body["batch_id"] != batchID {
			t.Errorf("retry: replayed %q, batch %v want %v", r.header.Get("Idempotent-Replayed"), r.body["batch_id"], batchID)
		}
		if got := versions(); got != n {
			t.Errorf("retry duplicated: %d versions, want %d", got, n)
		}
		expect("batch result", rf.do(t, "GET", "/api/v1/records/batches/"+jsonNumber(batchID), rf.gaKey, ""), 200)
		expect("batch of another department", rf.do(t, "GET", "/api/v1/records/batches/"+jsonNumber(batchID), rf.mzKey, ""), 404)
		// The department's batches, newest first and page by page; another
		// department does not see them; a malformed filter is refused.
		r = expect("batches", rf.do(t, "GET", "/api/v1/records/batches?limit=1", rf.gaKey, ""), 200)
		if l, _ := r.body["batches"].([]any); len(l) != 1 || l[0].(map[string]any)["batch_id"] != batchID ||
			l[0].(map[string]any)["key"] != "batch-1" || r.body["next_cursor"] != batchID {
			t.Errorf("newest batch: %v", r.body)
		}
		r = expect("older batches", rf.do(t, "GET", "/api/v1/records/batches?entry_id="+strconv.FormatInt(rf.entryA, 10)+
			"&before="+jsonNumber(batchID), rf.gaKey, ""), 200)
		if l, _ := r.body["batches"].([]any); len(l) != 3 || l[1].(map[string]any)["duplicates"] != 1.0 {
			t.Errorf("older batches (add, the add again — a duplicate — and change): %v", r.body)
		}
		r = expect("another department's batches", rf.do(t, "GET", "/api/v1/records/batches", rf.mzKey, ""), 200)
		if l, _ := r.body["batches"].([]any); len(l) != 0 {
			t.Errorf("民政 sees 公安's batches: %v", r.body)
		}
		for _, u := range []string{"/api/v1/records/batches?entry_id=abc", a + "/changes?purpose=核验&after=-1", "/api/v1/records/discrepancies?purpose=核验&limit=x",
			"/api/v1/records/quality?entry_id=1.5", "/api/v1/records/stale?department_id=x"} {
			r = expect("malformed "+u, rf.do(t, "GET", u, rf.gaKey, ""), 400)
			if r.body["code"] != "invalid_number" {
				t.Errorf("malformed %s: %v", u, r.body)
			}
		}
		if r = expect("quality by a bad grouping", rf.do(t, "GET", "/api/v1/records/quality?by=departments", rf.gaKey, ""), 400); r.body["code"] != "invalid_by" {
			t.Errorf("quality?by=departments: %v", r.body)
		}

		// A good CSV batch.
		csvBatch := "op,subject_id,produced_at,姓名,居住地址\n" +
			"add," + p[4] + "," + produced + ",孙七,丹灶镇2号\n" +
			"add," + p[5] + "," + produced + ",周八,\n"
		r = expect("good CSV", rf.do(t, "POST", a+"/batches", rf.gaKey, csvBatch, csvType...), 201)
		if r.body["applied"] != 2.0 {
			t.Errorf("good CSV: %v", r.body)
		}

		// Bad batches: every bad line is listed with its number and reason, nothing is applied.
		n = versions()
		bad := strings.Join([]string{
			opLine("add", p[6], produced, map[string]string{"姓名": "吴九"}),
			opLine("add", "44060519900101123X", produced, map[string]string{"姓名": "错号"}),
			opLine("add", p[7], produced, map[string]string{"学历": "本科"}),
			opLine("change", p[8], produced, map[string]string{"姓名": "无此人"}),
			opLine("add", p[7], produced, map[string]string{"登记日期": "2026-13-40"}),
			`{"op":"add",`,
		}, "\n")
		r = expect("bad batch", rf.do(t, "POST", a+"/batches", rf.gaKey, bad, ndjson...), 422)
		rejected, _ := r.body["rejected"].([]any)
		var lines []int
		for _, x := range rejected {
			le := x.(map[string]any)
			lines = append(lines, int(le["line"].(float64)))
			if reason, _ := le["reason"].(string); reason == "" || reason[0] < 0x80 && !strings.Contains(reason, "JSON") {
				t.Errorf("line %v: reason %q", le["line"], reason)
			}
		}
		if fmt.Sprint(lines) != "[2 3 4 5 6]" || r.body["rejected_count"] != 5.0 || r.body["applied"] != 0.0 {
			t.Errorf("bad batch: lines %v, body %v", lines, r.body)
		}
		if got := versions(); got != n {
			t.Errorf("bad batch applied something: %d versions, want %d", got, n)
		}
		expect("good line of a rejected batch", rf.do(t, "GET", a+"/subjects/"+p[6]+"?purpose=核验", rf.gaKey, ""), 404)
		badCSV := "op,subject_id,produced_at,姓名\nadd," + p[6] + "," + produced + ",吴九\ncancel," + p[8] + "," + produced + ",\n"
		r = expect("bad CSV", rf.do(t, "POST", a+"/batches", rf.gaKey, badCSV, csvType...), 422)
		if rj := r.body["rejected"].([]any); len(rj) != 1 || rj[0].(map[string]any)["line"] != 3.0 ||
			rj[0].(map[string]any)["code"] != "record_not_found" {
			t.Errorf("bad CSV: %v", r.body)
		}
		expect("batch by non-provider", rf.do(t, "POST", a+"/batches", rf.mzKey, csvBatch, csvType...), 403)
		if got := versions(); got != n {
			t.Errorf("refused batches applied something: %d versions, want %d", got, n)
		}

		// Cancel marks the record cancelled; nothing is deleted.
		rf.clock.Add(time.Hour)
		expect("cancel", rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("cancel", p[5], beijing(rf.clock.Now()), nil)), 201)
		r = expect("cancelled record", rf.do(t, "GET", a+"/subjects/"+p[5]+"?purpose=核验", rf.gaKey, ""), 200)
		if r.body["status"] != "cancelled" || r.body["values"].(map[string]any)["姓名"] != "周八" {
			t.Errorf("cancelled record: %v", r.body)
		}

		// Reads: now, at a past time, history; each read is audited with the subject.
		r = expect("current", rf.do(t, "GET", a+"/subjects/"+p[0]+"?purpose=核验", rf.gaKey, ""), 200)
		vals := r.body["values"].(map[string]any)
		if vals["居住地址"] != "大沥镇广佛路8号" || vals["姓名"] != "张三" || vals["登记日期"] != "2026-03-02" || r.body["version"] != 3.0 {
			t.Errorf("current: %v", r.body)
		}
		r = expect("at a past time", rf.do(t, "GET", a+"/subjects/"+p[0]+"?purpose=核验&at="+url.QueryEscape(beijing(beforeChange.Add(time.Minute))), rf.opReadKey, ""), 200)
		if v := r.body["values"].(map[string]any); v["居住地址"] != "桂城街道南海大道1号" || r.body["version"] != 1.0 {
			t.Errorf("at: %v", r.body)
		}
		expect("before the record existed", rf.do(t, "GET", a+"/subjects/"+p[0]+"?purpose=核验&at="+url.QueryEscape(beijing(t0.Add(-time.Hour))), rf.gaKey, ""), 404)
		expect("bad time", rf.do(t, "GET", a+"/subjects/"+p[0]+"?purpose=核验&at=yesterday", rf.gaKey, ""), 400)
		r = expect("history", rf.do(t, "GET", a+"/subjects/"+p[0]+"/history?purpose=核验", rf.gaKey, ""), 200)
		hist := r.body["versions"].([]any)
		var ops []string
		for _, v := range hist {
			ops = append(ops, v.(map[string]any)["op"].(string))
		}
		if len(hist) != 3 || !strings.Contains(strings.Join(ops, " "), "add") {
			t.Errorf("history: %v", ops)
		}
		expect("read without data.read", rf.do(t, "GET", a+"/subjects/"+p[0]+"?purpose=核验", rf.readKey, ""), 403)
		audited := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action IN ('records.read', 'records.history')
			AND outcome = 'ok' AND fields LIKE '%姓名%'`, p[0])
		if audited != 3 {
			t.Errorf("audited reads of %s naming the items served: %d, want 3", p[0], audited)
		}
		// Asking for a record that did not exist then leaves a trace too.
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action = 'records.read'
			AND outcome = 'failed'`, p[0]); n != 1 {
			t.Errorf("audited misses of %s: %d, want 1", p[0], n)
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action = 'records.read' AND actor_id = $2`,
			p[0], "0"); n != 0 {
			t.Errorf("reads audited without an actor: %d", n)
		}

		// The change feed, resumed from its cursor while more follow; then
		// a follower polls after the last change it has.
		total := versions()
		var seqs []float64
		after := "0"
		for range 10 {
			r = expect("feed page", rf.do(t, "GET", a+"/changes?purpose=核验&limit=3&after="+after, rf.gaKey, ""), 200)
			page := r.body["changes"].([]any)
			for _, c := range page {
				seqs = append(seqs, c.(map[string]any)["seq"].(float64))
			}
			next, more := r.body["next_cursor"]
			if !more {
				break
			}
			after = jsonNumber(next)
		}
		if len(seqs) != total {
			t.Errorf("feed: %d changes, want %d", len(seqs), total)
		}
		r = expect("feed polled at its end", rf.do(t, "GET", a+"/changes?purpose=核验&after="+strconv.FormatFloat(seqs[len(seqs)-1], 'f', -1, 64), rf.gaKey, ""), 200)
		if page, _ := r.body["changes"].([]any); page == nil || len(page) != 0 || r.body["next_cursor"] != nil {
			t.Errorf("feed after its last change: %v, want no changes and no next_cursor", r.body)
		}
		// Every subject a feed page served is audited by name.
		subjects := rf.countWhere(t, `SELECT count(DISTINCT subject_id) FROM record_versions WHERE entry_id = $1`, rf.entryA)
		if n := rf.countWhere(t, `SELECT count(DISTINCT subject_id) FROM audit_log WHERE action = 'records.feed'`); n != subjects || n < 2 {
			t.Errorf("subjects audited by the feed: %d, want %d", n, subjects)
		}
		for i := 1; i < len(seqs); i++ {
			if seqs[i] <= seqs[i-1] {
				t.Errorf("feed out of order: %v", seqs)
				break
			}
		}

		// A late push: produced 8 working days ago, the rule allows 2.
		late := opLine("add", p[8], beijing(rf.cal.AddWorkingDays(rf.clock.Now(), -8)), map[string]string{"姓名": "郑十"})
		r = expect("late push", rf.do(t, "POST", a+"/ops", rf.gaKey, late), 201)
		if r.body["late"] != 1.0 {
			t.Errorf("late push: %v", r.body)
		}

		// Quality per entry and per department.
		r = expect("quality", rf.do(t, "GET", "/api/v1/records/quality?entry_id="+strconv.FormatInt(rf.entryA, 10), rf.gaKey, ""), 200)
		qs := r.body["quality"].([]any)
		if len(qs) != 1 {
			t.Fatalf("quality: %v", r.body)
		}
		q := qs[0].(map[string]any)
		if q["late_ops"] != 1.0 || q["rejected_lines"].(float64) < 5 || q["live_records"] != 6.0 {
			t.Errorf("quality counters: %v", q)
		}
		for _, k := range []string{"completeness", "validity", "timeliness"} {
			if v := q[k].(float64); v <= 0 || v >= 1 {
				t.Errorf("quality %s = %v, want strictly between 0 and 1", k, v)
			}
		}
		if q["freshness"] != 1.0 || q["consistency"] != 1.0 {
			t.Errorf("freshness %v consistency %v, want 1", q["freshness"], q["consistency"])
		}
		r = expect("department quality", rf.do(t, "GET", "/api/v1/records/quality?by=department&department_id="+strconv.FormatInt(rf.gaID, 10), rf.gaKey, ""), 200)
		if dq := r.body["quality"].([]any); len(dq) != 1 || dq[0].(map[string]any)["entries"] != 1.0 {
			t.Errorf("department quality: %v", r.body)
		}
		r = expect("stale now", rf.do(t, "GET", "/api/v1/records/stale?department_id="+strconv.FormatInt(rf.gaID, 10), rf.gaKey, ""), 200)
		if len(r.body["entries"].([]any)) != 0 {
			t.Errorf("fresh entry listed as stale: %v", r.body)
		}

		// Cross-check: 民政 says 张叁 where 公安 (the one source of 姓名) says 张三.
		rf.clock.Add(time.Hour)
		found := rf.clock.Now()
		expect("push to B", rf.do(t, "POST", b+"/ops", rf.mzKey, opLine("add", p[0], beijing(found), map[string]string{"姓名": "张叁", "家庭人口数": "3"})), 201)
		r = expect("list discrepancies", rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=核验", rf.mzKey, ""), 200)
		ds := r.body["discrepancies"].([]any)
		if len(ds) != 1 {
			t.Fatalf("discrepancies: %v", r.body)
		}
		d := ds[0].(map[string]any)
		due := rf.cal.AddWorkingDays(found, 5).UTC().Format(time.RFC3339)
		// 民政 reads its own value, not 公安's, shared on conditions it
		// has no consent for; the operator reads both.
		if d["subject_id"] != p[0] || d["value_a"] != nil || d["value_a_withheld"] != true || d["value_b"] != "张叁" ||
			d["status"] != "open" || d["overdue"] != false {
			t.Errorf("discrepancy: %v", d)
		}
		r = expect("the operator lists discrepancies", rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=核验", "", "", rf.session(t, "nh.op")...), 200)
		if ds := r.body["discrepancies"].([]any); len(ds) != 1 || ds[0].(map[string]any)["value_a"] != "张三" || ds[0].(map[string]any)["value_b"] != "张叁" {
			t.Errorf("the operator's discrepancies: %v", r.body)
		}
		if got, _ := time.Parse(time.RFC3339Nano, d["due_at"].(string)); got.UTC().Format(time.RFC3339) != due {
			t.Errorf("due_at %v, want %s (5 working days)", d["due_at"], due)
		}
		did := jsonNumber(d["id"])
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.discrepancy.read' AND subject_id = $1
			AND object_id = $2`, p[0], did); n != 2 {
			t.Errorf("audited discrepancy reads: %d, want 2 (民政's and the operator's)", n)
		}
		r = expect("list without data.read", rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=核验", rf.gaCatalogKey, ""), 403)
		if want := "无权查看多源校核差异（需要权限 data.read：查询、核验共享数据，或权限 records.write：推送归集数据）"; r.body["detail"] != want {
			t.Errorf("list without data.read: %v, want %s", r.body["detail"], want)
		}
		r = expect("resolve without records.write", rf.do(t, "POST", "/api/v1/records/discrepancies/"+did+"/resolve", rf.gaCatalogKey,
			`{"note":"x"}`), 403)
		if want := "无权处理多源校核差异（需要权限 records.write：推送归集数据，或为平台管理员）"; r.body["detail"] != want {
			t.Errorf("resolve without records.write: %v, want %s", r.body["detail"], want)
		}
		r = expect("other side lists it", rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=核验", rf.gaKey, ""), 200)
		if len(r.body["discrepancies"].([]any)) != 1 {
			t.Errorf("公安 does not see the discrepancy: %v", r.body)
		}
		entryA := strconv.FormatInt(rf.entryA, 10)
		disputed := func(name, status string) {
			t.Helper()
			r := expect(name, rf.do(t, "GET", b+"/subjects/"+p[0]+"?purpose=核验", rf.mzKey, ""), 200)
			dis, _ := r.body["disputed"].([]any)
			if status == "" {
				if len(dis) != 0 {
					t.Errorf("%s: disputed %v, want none", name, dis)
				}
				return
			}
			// 公安's value is withheld from 民政 (conditional, no consent);
			// the discrepancy is 民政's own, its other side named.
			if len(dis) != 1 || dis[0].(map[string]any)["other_value"] != nil || dis[0].(map[string]any)["other_value_withheld"] != true ||
				dis[0].(map[string]any)["status"] != status || jsonNumber(dis[0].(map[string]any)["other_entry_id"]) != entryA ||
				dis[0].(map[string]any)["authority_known"] != true || jsonNumber(dis[0].(map[string]any)["authoritative_entry_id"]) != entryA {
				t.Errorf("%s: disputed %v, want entry %s's value withheld, %s", name, dis, entryA, status)
			}
		}
		disputed("disputed read", "open")
		disc := "/api/v1/records/discrepancies/" + did
		expect("feedback by a third department", rf.do(t, "POST", disc+"/feedback", rf.opReadKey, `{"feedback":"无关"}`), 403)
		expect("empty feedback", rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":" "}`), 400)
		r = expect("feedback", rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"经核实，低保系统录入有误"}`), 200)
		if r.body["feedback_b"] != "经核实，低保系统录入有误" {
			t.Errorf("feedback: %v", r.body)
		}
		// A write answers the discrepancy without its two values, which
		// only the list, for a purpose and audited, serves.
		noValues := func(name string, body map[string]any) {
			t.Helper()
			for _, k := range []string{"value_a", "value_b"} {
				if _, ok := body[k]; ok {
					t.Errorf("%s answered %s: %v", name, k, body)
				}
			}
		}
		noValues("feedback", r.body)
		// After the deadline without 公安's feedback the discrepancy is
		// overdue for 公安, not for 民政, which answered.
		rf.clock.Add(10 * 24 * time.Hour)
		for _, c := range []struct {
			name, key string
			overdue   bool
		}{{"公安", rf.gaKey, true}, {"民政", rf.mzKey, false}} {
			r = expect("overdue", rf.do(t, "GET", "/api/v1/records/discrepancies?status=open&purpose=核验", c.key, ""), 200)
			if ds := r.body["discrepancies"].([]any); len(ds) != 1 || ds[0].(map[string]any)["overdue"] != c.overdue {
				t.Errorf("overdue for %s: %v, want %v", c.name, r.body, c.overdue)
			}
		}
		r = expect("resolve by the other source", rf.do(t, "POST", disc+"/resolve", rf.mzKey, `{"note":"以民政为准"}`), 403)
		if r.body["code"] != "not_authoritative" {
			t.Errorf("resolve by 民政: %v", r.body)
		}
		// 民政 answered that its own value is wrong: no dispute, so 公安,
		// the authoritative source, resolves it.
		r = expect("resolve", rf.do(t, "POST", disc+"/resolve", rf.gaKey, `{"note":"以户籍登记为准"}`), 200)
		if r.body["status"] != "awaiting_correction" || jsonNumber(r.body["authoritative_entry_id"]) != entryA {
			t.Errorf("resolve: %v", r.body)
		}
		noValues("resolve", r.body)
		expect("resolve twice", rf.do(t, "POST", disc+"/resolve", rf.gaKey, `{}`), 409)
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action IN
			('records.discrepancy.feedback', 'records.discrepancy.resolve')`, p[0]); n != 2 {
			t.Errorf("audited discrepancy actions: %d, want 2", n)
		}
		// 民政's value was decided wrong: its read stays marked until 民政
		// pushes the correction, which closes the discrepancy.
		disputed("read awaiting the correction", "awaiting_correction")
		// 民政 may explain while it corrects, not once the correction closed it.
		expect("feedback awaiting the correction", rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"正在更正"}`), 200)
		list := func(status string) []any {
			t.Helper()
			r := expect("list "+status, rf.do(t, "GET", "/api/v1/records/discrepancies?purpose=核验&status="+status, rf.mzKey, ""), 200)
			return r.body["discrepancies"].([]any)
		}
		if l := list("awaiting_correction"); len(l) != 1 || jsonNumber(l[0].(map[string]any)["id"]) != did {
			t.Errorf("awaiting correction: %v, want discrepancy %s", l, did)
		}
		expect("correction", rf.do(t, "POST", b+"/ops", rf.mzKey, opLine("change", p[0], beijing(rf.clock.Now()), map[string]string{"姓名": "张三"})), 201)
		if l := list("resolved"); len(l) != 1 || jsonNumber(l[0].(map[string]any)["id"]) != did {
			t.Errorf("resolved after the correction: %v, want discrepancy %s", l, did)
		}
		disputed("read after the correction", "")
		r = expect("feedback on a resolved discrepancy", rf.do(t, "POST", disc+"/feedback", rf.mzKey, `{"feedback":"已更正"}`), 409)
		if r.body["code"] != "discrepancy_resolved" || !strings.Contains(fmt.Sprint(r.body["detail"]), "已办结") {
			t.Errorf("feedback on a resolved discrepancy: %v", r.body)
		}

		// Ten days without pushes: the daily entry is stale.
		r = expect("stale", rf.do(t, "GET", "/api/v1/records/stale", rf.gaKey, ""), 200)
		var stale []string
		for _, s := range r.body["entries"].([]any) {
			stale = append(stale, jsonNumber(s.(map[string]any)["entry_id"]))
		}
		if !strings.Contains(strings.Join(stale, ","), strconv.FormatInt(rf.entryA, 10)) {
			t.Errorf("stale: %v, want entry %d", stale, rf.entryA)
		}
	})
}

// TestSlowBatchHoldsNoWriter: a batch whose sender stalls halfway does not
// hold the database while it is sent (on SQLite a transaction would hold
// the one writer): an operation pushed meanwhile is answered, and the
// batch is applied once it has arrived.
func TestSlowBatchHoldsNoWriter(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		at := beijing(t0.Add(-time.Hour))
		entry := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		pr, pw := io.Pipe()
		req, err := http.NewRequest("POST", rf.srv.URL+entry+"/batches", pr)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+rf.gaKey)
		req.Header.Set("Content-Type", "application/x-ndjson")
		type answer struct {
			status int
			err    error
		}
		done := make(chan answer, 1)
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				done <- answer{err: err}
				return
			}
			resp.Body.Close()
			done <- answer{status: resp.StatusCode}
		}()
		// A write to the pipe returns once the server has read it.
		if _, err := io.WriteString(pw, opLine("add", recordstest.CitizenID(1), at, map[string]string{"姓名": "张三"})+"\n"); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		op, err := http.NewRequestWithContext(ctx, "POST", rf.srv.URL+entry+"/ops",
			strings.NewReader(opLine("add", recordstest.CitizenID(2), at, map[string]string{"姓名": "李四"})))
		if err != nil {
			t.Fatal(err)
		}
		op.Header.Set("Authorization", "Bearer "+rf.gaKey)
		op.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(op)
		if err != nil {
			t.Fatalf("push while a batch is being sent: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != 201 {
			t.Errorf("push while a batch is being sent: %d", resp.StatusCode)
		}
		if _, err := io.WriteString(pw, opLine("add", recordstest.CitizenID(3), at, map[string]string{"姓名": "王五"})+"\n"); err != nil {
			t.Fatal(err)
		}
		pw.Close()
		if a := <-done; a.err != nil || a.status != 201 {
			t.Fatalf("batch: %+v", a)
		}
		if n := rf.countWhere(t, `SELECT count(DISTINCT subject_id) FROM record_versions WHERE entry_id = $1`, rf.entryA); n != 3 {
			t.Errorf("records = %d, want 3", n)
		}
	})
}

// sharingEntries publishes two more person entries, each of the
// identifying 公民身份号码 and one other item: 律师执业信息 of 公安, shared
// unconditionally, and 社区矫正档案 of the department closedBy, not shared.
func (rf *recordsFixture) sharingEntries(t *testing.T, closedBy int64, openItem, closedItem string) (open, closed int64) {
	t.Helper()
	pub := t0.Add(-time.Hour)
	o := personResource("律师执业信息", "11", "司法", "001", "律师管理", "21", "weekly", "公民身份号码*:C18;"+openItem)
	o.ShareType, o.ShareConditions = catalog.Unconditional, ""
	open = publishEntry(t, rf.db, rf.gaID, rf.deptID, o, pub)
	c := personResource("社区矫正档案", "11", "司法", "005", "社区矫正", "21", "daily", "公民身份号码*:C18;"+closedItem)
	c.ShareType, c.ShareConditions, c.ShareMethods, c.ShareScope = catalog.NotShared, "", nil, ""
	c.LegalBasis = "《社区矫正法》第二十三条"
	return open, publishEntry(t, rf.db, closedBy, rf.deptID, c, pub.Add(time.Minute))
}

// TestReadBySharing: outside its source department and the platform
// operator's, an entry's records are read only when it is shared
// unconditionally; conditional data waits for the source's consent. Data
// not shared is read by its source department only: the operator's
// department is refused it too, and the refusal is audited.
func TestReadBySharing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		open, closed := rf.sharingEntries(t, rf.gaID, "执业证号:C30", "矫正类别:C20")
		entries := map[string]int64{"conditional": rf.entryA, "unconditional": open, "none": closed}
		subject := recordstest.CitizenID(1)
		at := beijing(t0.Add(-time.Minute))
		for share, id := range entries {
			path := "/api/v1/records/entries/" + strconv.FormatInt(id, 10)
			var item string
			switch share {
			case "conditional":
				item = "姓名"
			case "unconditional":
				item = "执业证号"
			default:
				item = "矫正类别"
			}
			if r := rf.do(t, "POST", path+"/ops", rf.gaKey, opLine("add", subject, at, map[string]string{item: "x"})); r.status != 201 {
				t.Fatalf("push to %s entry: %d %v", share, r.status, r.body)
			}
			want := map[string]struct {
				status int
				code   string
			}{"unconditional": {200, ""}, "conditional": {403, "share_consent_required"}, "none": {403, "not_shared"}}[share]
			r := rf.do(t, "GET", path+"/subjects/"+subject+"?purpose=核验", rf.mzKey, "")
			if r.status != want.status || want.code != "" && r.body["code"] != want.code {
				t.Errorf("民政 reads the %s entry: %d %v, want %d %s", share, r.status, r.body, want.status, want.code)
			}
			if r := rf.do(t, "GET", path+"/changes?purpose=核验", rf.gaCatalogKey, ""); r.status != 403 {
				t.Errorf("the source's app without data.read reads the %s entry's changes: %d %v", share, r.status, r.body)
			}
			if r := rf.do(t, "GET", path+"/subjects/"+subject+"/history?purpose=核验", rf.gaKey, ""); r.status != 200 {
				t.Errorf("the source reads the %s entry's history: %d %v", share, r.status, r.body)
			}
			want.status, want.code = 200, ""
			if share == "none" {
				want.status, want.code = 403, "not_shared"
			}
			for _, u := range []string{path + "/subjects/" + subject + "/history?purpose=核验", path + "/changes?limit=1000&purpose=核验"} {
				r := rf.do(t, "GET", u, rf.opReadKey, "")
				if r.status != want.status || want.code != "" && r.body["code"] != want.code {
					t.Errorf("the operator's department reads %s of the %s entry: %d %v, want %d %s", u, share, r.status, r.body, want.status, want.code)
				}
			}
		}
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE object_id = $1 AND outcome = 'denied'
			AND detail = $2`, strconv.FormatInt(closed, 10), `{"reason":"not_shared"}`); n != 3 {
			t.Errorf("audited refusals of the entry not shared: %d, want 3 (民政's read, the operator's history and feed)", n)
		}
	})
}

// TestDisputeValuesFollowSharing: a record read shows the other source's
// value of a disputed item only to whom may read that other entry, and
// audits it as a read of that entry; anyone else who is no party is not
// told of the dispute (before: 姓名 other_value_withheld); a party to the
// dispute sees the discrepancy and its other side but not a value of an
// entry not shared, where it was shown the value only its source
// department may read.
func TestDisputeValuesFollowSharing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		ctx := context.Background()
		by := audit.Actor{Kind: audit.ActorSystem, ID: "test"}
		var thirdKey string
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			d := org.Department{Name: "南海区人力资源和社会保障局", USCC: demo.USCC("440605", 78), RegionCode: "440605"}
			if err := org.CreateDepartment(ctx, tx, by, &d, t0); err != nil {
				return err
			}
			var err error
			_, thirdKey, err = org.CreateApp(ctx, tx, by, org.NewApp{Name: "人社查询", DepartmentID: d.ID, Scopes: []string{"data.read"}}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		open, closed := rf.sharingEntries(t, rf.mzID, "姓名:C50", "姓名:C50")
		a := "/api/v1/records/entries/" + strconv.FormatInt(open, 10)
		b := "/api/v1/records/entries/" + strconv.FormatInt(closed, 10)
		subject, at := recordstest.CitizenID(7), beijing(t0.Add(-time.Minute))
		for _, push := range []struct{ path, key, name string }{{a, rf.gaKey, "张三"}, {b, rf.mzKey, "张叁"}} {
			if r := rf.do(t, "POST", push.path+"/ops", push.key, opLine("add", subject, at, map[string]string{"姓名": push.name})); r.status != 201 {
				t.Fatalf("push: %d %v", r.status, r.body)
			}
		}
		read := func(key string) []any {
			t.Helper()
			r := rf.do(t, "GET", a+"/subjects/"+subject+"?purpose=核验", key, "")
			if r.status != 200 {
				t.Fatalf("read: %d %v", r.status, r.body)
			}
			d, _ := r.body["disputed"].([]any)
			return d
		}
		disputed := func(key string) map[string]any {
			t.Helper()
			d := read(key)
			if len(d) != 1 {
				t.Fatalf("disputed: %v, want one", d)
			}
			return d[0].(map[string]any)
		}
		for who, key := range map[string]string{"another department": thirdKey, "the operator's department": rf.opReadKey} {
			// Not even that 姓名 is disputed: that the subject has a
			// record in the entry not shared is that entry's data.
			if d := read(key); len(d) != 0 {
				t.Errorf("%s: disputed %v, want none (the other entry is not shared)", who, d)
			}
		}
		// The source, a party, sees the discrepancy and its other side,
		// not the value of an entry not shared, which 民政 alone reads.
		if d := disputed(rf.gaKey); d["other_value"] != nil || d["other_value_withheld"] != true || d["discrepancy_id"] == nil ||
			d["other_entry_id"] != float64(closed) || d["other_item"] != "姓名" {
			t.Errorf("the source, a party: %v", d)
		}
		bID := strings.TrimPrefix(b, "/api/v1/records/entries/")
		if n := rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE action = 'records.read' AND object_id = $1
			AND subject_id = $2 AND fields = '姓名'`, bID, subject); n != 0 {
			t.Errorf("reads of the other entry's value audited: %d, want none (none served)", n)
		}
	})
}

// TestRecordsPushesQA: over HTTP, single operations and batches (JSON
// lines and CSV) alike: a change without values is refused; a change to
// the values the record holds is acknowledged and writes no version; a
// produced_at in the future is refused; an identifying item must hold
// the subject's citizen ID; an Idempotency-Key (operation key) applied
// before to the record is refused with another operation, as a batch's
// key is with another body.
func TestRecordsPushesQA(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		versions := func() int {
			return rf.countWhere(t, `SELECT count(*) FROM record_versions WHERE entry_id = $1`, rf.entryA)
		}
		expect := func(what string, r response, status int, code string) response {
			t.Helper()
			if r.status != status || code != "" && r.body["code"] != code {
				t.Errorf("%s: got %d %v, want %d %s", what, r.status, r.body, status, code)
			}
			return r
		}
		p1, p2 := recordstest.CitizenID(2001), recordstest.CitizenID(2002)
		produced := beijing(rf.clock.Now().Add(-time.Hour))
		vals := map[string]string{"姓名": "张三", "居住地址": "桂城街道1号"}
		expect("add", rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", p1, produced, vals), "Idempotency-Key", "qa-1"), 201, "")
		expect("add p2", rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", p2, produced, vals)), 201, "")
		n := versions()

		// 1. Changes that change nothing.
		for _, body := range []string{opLine("change", p1, produced, nil),
			`{"op":"change","subject_id":"` + p1 + `","produced_at":"` + produced + `","values":{}}`} {
			expect("change without values", rf.do(t, "POST", a+"/ops", rf.gaKey, body), 400, "missing_values")
		}
		r := expect("identical change", rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("change", p1, produced, map[string]string{"姓名": "张三"})), 200, "")
		if r.body["unchanged"] != 1.0 || r.body["applied"] != 0.0 {
			t.Errorf("identical change: %v, want unchanged 1", r.body)
		}
		ndjson := []string{"Content-Type", "application/x-ndjson"}
		r = expect("batch with an identical change", rf.do(t, "POST", a+"/batches", rf.gaKey,
			opLine("change", p1, produced, vals)+"\n"+opLine("change", p2, produced, map[string]string{"姓名": "李四"}), ndjson...), 201, "")
		if r.body["unchanged"] != 1.0 || r.body["applied"] != 1.0 {
			t.Errorf("batch: %v, want applied 1, unchanged 1", r.body)
		}
		// The identical change sent again is the same operation (the key
		// derived from its content was kept): a duplicate.
		r = expect("identical change again", rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("change", p1, produced, map[string]string{"姓名": "张三"})), 200, "")
		if r.body["duplicates"] != 1.0 || r.body["unchanged"] != 0.0 {
			t.Errorf("identical change again: %v, want duplicates 1", r.body)
		}
		r = expect("CSV batch with an identical change", rf.do(t, "POST", a+"/batches", rf.gaKey,
			"op,subject_id,produced_at,姓名\nchange,"+p1+","+beijing(rf.clock.Now().Add(-30*time.Minute))+",张三\n", "Content-Type", "text/csv"), 200, "")
		if r.body["unchanged"] != 1.0 || r.body["applied"] != 0.0 {
			t.Errorf("CSV batch: %v, want unchanged 1", r.body)
		}
		r = expect("batch with a change without values", rf.do(t, "POST", a+"/batches", rf.gaKey, opLine("change", p1, produced, nil), ndjson...), 422, "")
		if rj, _ := r.body["rejected"].([]any); len(rj) != 1 || rj[0].(map[string]any)["code"] != "missing_values" {
			t.Errorf("batch change without values: %v", r.body)
		}
		if got := versions(); got != n+1 {
			t.Errorf("versions = %d, want %d", got, n+1)
		}
		n = versions()

		// 2. Data produced in the future.
		future := beijing(rf.clock.Now().Add(time.Hour))
		expect("future op", rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("change", p1, future, map[string]string{"姓名": "未来"})), 400, "produced_at_in_future")
		r = expect("future batch", rf.do(t, "POST", a+"/batches", rf.gaKey, opLine("change", p1, future, map[string]string{"姓名": "未来"}), ndjson...), 422, "")
		if rj, _ := r.body["rejected"].([]any); len(rj) != 1 || rj[0].(map[string]any)["code"] != "produced_at_in_future" {
			t.Errorf("future batch: %v", r.body)
		}
		expect("clock a minute ahead", rf.do(t, "POST", a+"/ops", rf.gaKey,
			opLine("change", p1, beijing(rf.clock.Now().Add(time.Minute)), map[string]string{"姓名": "张叁"})), 201, "")
		if got := versions(); got != n+1 {
			t.Errorf("versions = %d, want %d", got, n+1)
		}
		n = versions()

		// 4. Identifying items agree with subject_id and hold a citizen ID.
		p3 := recordstest.CitizenID(2003)
		expect("another's citizen ID", rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", p3, produced, map[string]string{"公民身份号码": p1, "姓名": "丙"})),
			400, "subject_mismatch")
		expect("a credit code", rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", p3, produced, map[string]string{"公民身份号码": recordstest.USCC(1)})),
			400, "invalid_citizen_id")
		expect("its own citizen ID", rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", p3, produced, map[string]string{"公民身份号码": p3, "姓名": "丙"})),
			201, "")
		n++

		// 5. The Idempotency-Key of a single operation, reused.
		add := opLine("add", p1, produced, vals)
		r = expect("same op, same key", rf.do(t, "POST", a+"/ops", rf.gaKey, add, "Idempotency-Key", "qa-1"), 200, "")
		if r.body["duplicates"] != 1.0 {
			t.Errorf("same op again: %v", r.body)
		}
		expect("other op, same key", rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("change", p1, produced, map[string]string{"姓名": "王五"}),
			"Idempotency-Key", "qa-1"), 409, "idempotency_key_reused")
		expect("other values, same key", rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", p1, produced, map[string]string{"姓名": "王五"}),
			"Idempotency-Key", "qa-1"), 409, "idempotency_key_reused")
		batchKey := append([]string{"Idempotency-Key", "qa-b"}, ndjson...)
		batch := opLine("change", p2, produced, map[string]string{"姓名": "赵六"})
		expect("batch key", rf.do(t, "POST", a+"/batches", rf.gaKey, batch, batchKey...), 201, "")
		expect("batch key, same body", rf.do(t, "POST", a+"/batches", rf.gaKey, batch, batchKey...), 200, "")
		expect("batch key, other body", rf.do(t, "POST", a+"/batches", rf.gaKey, opLine("change", p1, produced, map[string]string{"姓名": "王五"}),
			batchKey...), 409, "idempotency_key_reused")
		if got := versions(); got != n+1 {
			t.Errorf("versions = %d, want %d", got, n+1)
		}
	})
}

// TestRecordsReadsQA: a read's purpose is one line of at most 200
// characters (refused otherwise, and nothing read or audited); quality,
// stale entries and a record's history come a page at a time.
func TestRecordsReadsQA(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		b := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryB, 10)
		p1 := recordstest.CitizenID(3001)
		for i, name := range []string{"甲", "乙", "丙"} {
			op := "change"
			if i == 0 {
				op = "add"
			}
			produced := beijing(rf.clock.Now().Add(time.Duration(i-10) * time.Minute))
			if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine(op, p1, produced, map[string]string{"姓名": name})); r.status != 201 {
				t.Fatalf("push %s: %d %v", name, r.status, r.body)
			}
		}
		if r := rf.do(t, "POST", b+"/ops", rf.mzKey, opLine("add", p1, beijing(rf.clock.Now()), map[string]string{"家庭人口数": "3"})); r.status != 201 {
			t.Fatalf("push 民政: %d %v", r.status, r.body)
		}

		// 3. Purpose.
		audited := func() int { return rf.countWhere(t, `SELECT count(*) FROM audit_log WHERE subject_id = $1`, p1) }
		before := audited()
		long := strings.Repeat("办", 201)
		for _, c := range []struct{ purpose, code string }{
			{long, "too_long"}, {"核验%0A伪造的第二行", "invalid_characters"}, {"核%09验", "invalid_characters"}, {"%07", "invalid_characters"},
		} {
			for _, u := range []string{a + "/subjects/" + p1, a + "/subjects/" + p1 + "/history", a + "/changes", "/api/v1/records/discrepancies"} {
				q := url.QueryEscape(c.purpose)
				if strings.Contains(c.purpose, "%") { // escaped already
					q = c.purpose
				}
				r := rf.do(t, "GET", u+"?purpose="+q, rf.gaKey, "")
				if r.status != 400 || r.body["code"] != c.code || r.body["field"] != "purpose" {
					t.Errorf("%s purpose %.12q: %d %v, want 400 %s", u, c.purpose, r.status, r.body, c.code)
				}
			}
		}
		if n := audited(); n != before {
			t.Errorf("refused purposes audited %d rows", n-before)
		}
		if r := rf.do(t, "GET", a+"/subjects/"+p1+"?purpose="+url.QueryEscape(strings.Repeat("办", 200)), rf.gaKey, ""); r.status != 200 {
			t.Errorf("purpose of 200 characters: %d %v", r.status, r.body)
		}

		// 6. Pages.
		walk := func(what, u, list string, limit int) []any {
			t.Helper()
			var all []any
			cursor := ""
			for i := 0; i < 10; i++ {
				sep := "?"
				if strings.Contains(u, "?") {
					sep = "&"
				}
				r := rf.do(t, "GET", u+sep+"limit="+strconv.Itoa(limit)+cursor, rf.gaKey, "")
				if r.status != 200 {
					t.Fatalf("%s: %d %v", what, r.status, r.body)
				}
				items, _ := r.body[list].([]any)
				all = append(all, items...)
				next, more := r.body["next_cursor"]
				if !more {
					return all
				}
				if len(items) != limit {
					t.Errorf("%s: a page of %d before the last, want %d", what, len(items), limit)
				}
				cursor = "&cursor=" + jsonNumber(next)
			}
			t.Fatalf("%s: no last page", what)
			return nil
		}
		if h := walk("history", a+"/subjects/"+p1+"/history?purpose=核验", "versions", 2); len(h) != 3 || h[2].(map[string]any)["values"].(map[string]any)["姓名"] != "丙" {
			t.Errorf("history pages: %v", h)
		}
		if q := walk("quality", "/api/v1/records/quality", "quality", 1); len(q) != 2 {
			t.Errorf("quality pages: %v", q)
		}
		r := rf.do(t, "GET", "/api/v1/records/quality", rf.gaKey, "")
		if _, more := r.body["next_cursor"]; r.status != 200 || more {
			t.Errorf("quality on one page: %d %v, want no next_cursor", r.status, r.body)
		}
		if q := walk("quality by department", "/api/v1/records/quality?by=department", "quality", 1); len(q) != 2 {
			t.Errorf("department quality pages: %v", q)
		}
		rf.clock.Add(40 * 24 * time.Hour)
		if s := walk("stale", "/api/v1/records/stale", "entries", 1); len(s) != 2 {
			t.Errorf("stale pages: %v", s)
		}
		for _, u := range []string{"/api/v1/records/quality?cursor=x", "/api/v1/records/stale?cursor=-1", "/api/v1/records/stale?limit=ten",
			a + "/subjects/" + p1 + "/history?purpose=核验&cursor=1.5", a + "/subjects/" + p1 + "/history?purpose=核验&limit=-3"} {
			if r := rf.do(t, "GET", u, rf.gaKey, ""); r.status != 400 || r.body["code"] != "invalid_number" {
				t.Errorf("%s: %d %v, want 400 invalid_number", u, r.status, r.body)
			}
		}
	})
}

package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchesShowWarnings: the list of batches gives each batch's warning
// count, linking a batch with warnings to them (?batch=), which lists them
// by line, the operation's key and masked subject, item and reason (those
// stored before warnings named their operation without the two); a
// department sees only its own batches'.
func TestBatchesShowWarnings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		line := func(id, sex, key string) string {
			return `{"op":"add","subject_id":"` + id + `","produced_at":"` + produced + `","values":{"性别":"` + sex + `"},"key":"` +
				key + `"}` + "\n"
		}
		police := f.client(t)
		tok := police.login("police.admin")
		// CitizenID(1)'s 17th digit is even: a woman.
		woman := recordstest.CitizenID(1)
		r := police.upload("/records/upload", tok, "people.jsonl", []byte(line(recordstest.CitizenID(2), "女", "")+
			line(woman, "男", "hj-0007")), "entry", strconv.FormatInt(people, 10))
		wantStatus(t, "upload", r, http.StatusOK)
		r = police.upload("/records/upload", tok, "more.jsonl", []byte(line(recordstest.CitizenID(3), "女", "")), "entry",
			strconv.FormatInt(people, 10))
		wantStatus(t, "upload", r, http.StatusOK)

		r = police.get("/records/batches")
		wantStatus(t, "batches", r, http.StatusOK)
		wantBody(t, "batches", r, "<th class=\"num\">注意事项</th>", `<a href="/records/batches?batch=1#batch-warnings">1</a></td>`)
		wantNoBody(t, "batches", r, `batch=2#batch-warnings`, `id="batch-warnings"`)
		r = police.get("/records/batches?batch=1")
		wantStatus(t, "a batch's warnings", r, http.StatusOK)
		named := `<td class="num">2</td><td class="mono small">hj-0007</td><td class="mono small">` + woman[:6] + "**********" +
			woman[16:] + `</td><td>性别</td><td class="mono small">subject_id_mismatch</td>`
		wantBody(t, "a batch's warnings", r, `id="batch-warnings"`, "批次 1 的注意事项", "共 1 条注意事项",
			"<th>操作键</th><th>主体标识（部分隐去）</th>", named, "所载性别（第17位")
		wantNoBody(t, "a batch's warnings", r, woman)
		r = police.get("/records/batches?batch=2")
		wantBody(t, "a batch without warnings", r, "该批次没有注意事项")

		market := f.loggedIn(t, "market.admin")
		wantStatus(t, "another department's batch", market.get("/records/batches?batch=1"), http.StatusNotFound)
		op := f.loggedIn(t, "operator")
		r = op.get("/records/batches?batch=1")
		wantBody(t, "operator", r, named)
		wantNoBody(t, "operator", r, woman)

		// A warning stored before warnings named their operation shows as it did.
		if _, err := db.Write().ExecContext(t.Context(), `UPDATE record_batches SET warnings = $1 WHERE id = 1`,
			`[{"line":2,"code":"subject_id_mismatch","field":"性别","reason":"旧的注意事项"}]`); err != nil {
			t.Fatal(err)
		}
		r = police.get("/records/batches?batch=1")
		wantBody(t, "an old warning", r, `<td class="num">2</td><td>性别</td><td class="mono small">subject_id_mismatch</td><td>旧的注意事项</td>`)
		wantNoBody(t, "an old warning", r, "操作键")
	})
}

// TestBatchesLastPageFull: a list of exactly one page of batches has no
// next page, and one batch more makes one (the link led to an empty page).
func TestBatchesLastPageFull(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		pusher := recordstest.Pusher(f.depts["公安分局"].ID)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		push := func(n int) {
			t.Helper()
			line := `{"op":"add","subject_id":"` + recordstest.CitizenID(n) + `","produced_at":"` + produced + `","values":{"性别":"女"}}`
			res, err := records.Ingest(t.Context(), db, pusher, people, records.JSONLines(strings.NewReader(line)), f.clock.Now(), records.Options{})
			if err != nil || res.Applied != 1 {
				t.Fatalf("push %d: %+v %v", n, res, err)
			}
		}
		for n := range 50 {
			push(n + 1)
		}
		police := f.loggedIn(t, "police.admin")
		wantNoBody(t, "one full page", police.get("/records/batches"), `id="next-page"`)
		push(51)
		wantBody(t, "a page and one", police.get("/records/batches"), `id="next-page"`)
	})
}

// peopleEntry publishes 公安分局's 户籍人口信息 of f, its items a citizen ID
// and 性别, and returns its id.
func peopleEntry(t *testing.T, f *fixture) int64 {
	return recordstest.Entry(t, f.db, f.depts["公安分局"].ID, recordstest.Spec{Code: "101001/000001", Name: "户籍人口信息",
		SubjectKind: "person", Items: []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
			{Name: "性别", Type: "C", Length: 2}}})
}

// TestBatchesNameActors: a batch pushed by an app is shown by the app's
// name, one by an account by its username, one by the demo data by the
// name the audit log gives it (演示数据), one by hutong import records as
// 命令行导入 (where it showed 系统 cli), the key id, account id or system id
// kept beside it; an actor the platform does not know (a test's app
// without key) keeps its id alone.
func TestBatchesNameActors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		people := peopleEntry(t, f)
		police := f.depts["公安分局"].ID
		var app org.App
		err := db.Tx(t.Context(), func(tx *sqldb.Tx) error {
			var err error
			app, _, err = org.CreateApp(t.Context(), tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"},
				org.NewApp{Name: "人口信息推送系统", DepartmentID: police, Scopes: []string{"records.write"}}, f.clock.Now())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		keyID := app.Keys[0].ID
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		push := func(by audit.Actor, n int) {
			t.Helper()
			line := `{"op":"add","subject_id":"` + recordstest.CitizenID(n) + `","produced_at":"` + produced + `","values":{"性别":"女"}}`
			res, err := records.Ingest(t.Context(), db, records.Pusher{Actor: by, DepartmentID: police}, people,
				records.JSONLines(strings.NewReader(line)), f.clock.Now(), records.Options{})
			if err != nil || res.Applied != 1 {
				t.Fatalf("push %d: %+v %v", n, res, err)
			}
		}
		push(org.AppActor(app, keyID, ""), 1)
		push(recordstest.Pusher(police).Actor, 2)
		admin := f.users["police.admin"]
		push(audit.Actor{Kind: audit.ActorUser, ID: strconv.FormatInt(admin.ID, 10), DepartmentID: police}, 3)
		push(audit.Actor{Kind: audit.ActorSystem, ID: "demo", Name: "演示数据", DepartmentID: police}, 4)
		push(audit.Actor{Kind: audit.ActorSystem, ID: "cli", Name: "cli:root", DepartmentID: police}, 5)

		c := f.loggedIn(t, "police.admin")
		r := c.get("/records/batches")
		wantStatus(t, "batches", r, http.StatusOK)
		wantBody(t, "batches", r,
			`<td>人口信息推送系统<div class="mono small muted">应用 `+keyID+`</div></td>`,
			`<td>police.admin<div class="mono small muted">工作人员 `+strconv.FormatInt(admin.ID, 10)+`</div></td>`,
			`<td>演示数据<div class="mono small muted">系统 demo</div></td>`,
			`<td>命令行导入<div class="mono small muted">系统 cli</div></td>`,
			`<td>应用 <span class="mono small">app-`+strconv.FormatInt(police, 10)+`</span></td>`)
	})
}

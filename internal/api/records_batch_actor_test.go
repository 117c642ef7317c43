package api_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchActorName: the list of batches names who pushed each one
// (actor_name) beside its actor: an app by its name, an account by its
// username, hutong import records (system:cli) as 命令行导入; an actor it
// cannot name has none.
func TestBatchActorName(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		a := "/api/v1/records/entries/" + strconv.FormatInt(rf.entryA, 10)
		at := beijing(t0.Add(-time.Minute))
		if r := rf.do(t, "POST", a+"/ops", rf.gaKey, opLine("add", recordstest.CitizenID(1), at, map[string]string{"姓名": "张三"})); r.status != 201 {
			t.Fatalf("push: %d %v", r.status, r.body)
		}
		var admin int64
		if err := db.Read().QueryRowContext(t.Context(), `SELECT id FROM users WHERE username = 'mz.admin'`).Scan(&admin); err != nil {
			t.Fatal(err)
		}
		for i, by := range []audit.Actor{
			{Kind: audit.ActorUser, ID: strconv.FormatInt(admin, 10)},
			{Kind: audit.ActorSystem, ID: "cli", Name: "cli:root"},
		} {
			line := opLine("add", recordstest.CitizenID(2+i), at, map[string]string{"姓名": "李四"})
			res, err := records.Ingest(t.Context(), db, records.Pusher{Actor: by, DepartmentID: rf.gaID}, rf.entryA,
				records.JSONLines(strings.NewReader(line)), rf.clock.Now(), records.Options{})
			if err != nil || res.Applied != 1 {
				t.Fatalf("push by %v: %+v %v", by, res, err)
			}
		}
		r := rf.do(t, "GET", "/api/v1/records/batches", rf.gaKey, "")
		if r.status != 200 {
			t.Fatalf("batches: %d %v", r.status, r.body)
		}
		bs, _ := r.body["batches"].([]any)
		if len(bs) != 3 {
			t.Fatalf("batches: %v", r.body)
		}
		keyID := strings.Split(rf.gaKey, "_")[1]
		for i, want := range []struct{ actor, name string }{
			{"system:cli", "命令行导入"}, {"user:" + strconv.FormatInt(admin, 10), "mz.admin"}, {"app:" + keyID, "公安推送"},
		} {
			b := bs[i].(map[string]any)
			name, has := b["actor_name"]
			if b["actor"] != want.actor || (want.name == "" && has) || (want.name != "" && name != want.name) {
				t.Errorf("batch %d: actor %v, actor_name %v, want %s named %q", i, b["actor"], name, want.actor, want.name)
			}
		}
	})
}

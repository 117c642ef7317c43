package api_test

import (
	"bytes"
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

// rawDo is fixture.do answering the status and the body's bytes as served.
func (f *fixture) rawDo(t *testing.T, method, path, key, body string, hdr ...string) (int, []byte) {
	t.Helper()
	resp, b, err := f.send(t, method, path, key, body, hdr...)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// absentID is an id of the same number of digits as id that names no row
// of table, so that an answer naming it is as long as one naming id.
func absentID(t *testing.T, db *sqldb.DB, table string, id int64) int64 {
	t.Helper()
	for n := id + 1; len(strconv.FormatInt(n, 10)) == len(strconv.FormatInt(id, 10)); n++ {
		var found int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM `+table+` WHERE id = $1`, n).Scan(&found); err != nil {
			t.Fatal(err)
		}
		if found == 0 {
			return n
		}
	}
	t.Fatalf("no absent id of %s as long as %d", table, id)
	return 0
}

// sameAsMissing checks that a request about hidden, a row the caller may
// not see, is answered byte for byte as the same request about missing,
// an id that names no row, but for the id the caller gave: the answer
// about missing is status, code and detail, detail naming the id given
// ({id}).
func sameAsMissing(t *testing.T, f *fixture, what, method, path, key, body string, hidden, missing int64, status int, code, detail string,
	hdr ...string) {
	t.Helper()
	h, m := strconv.FormatInt(hidden, 10), strconv.FormatInt(missing, 10)
	hs, hb := f.rawDo(t, method, strings.Replace(path, "{id}", h, 1), key, body, hdr...)
	ms, mb := f.rawDo(t, method, strings.Replace(path, "{id}", m, 1), key, body, hdr...)
	hd, md := []byte(`"detail":"`+strings.Replace(detail, "{id}", h, 1)+`"`), []byte(`"detail":"`+strings.Replace(detail, "{id}", m, 1)+`"`)
	if ms != status || !bytes.Contains(mb, []byte(`"code":"`+code+`"`)) || !bytes.Contains(mb, md) {
		t.Fatalf("%s, missing %s: %d %s, want %d %s %s", what, m, ms, mb, status, code, md)
	}
	if hs != ms || !bytes.Equal(bytes.Replace(hb, hd, md, 1), mb) {
		t.Errorf("%s: hidden %s answers %d %s, missing %s %d %s: they differ", what, h, hs, hb, m, ms, mb)
	}
}

// TestRecordsHideAnotherDepartmentsDraft: the records routes that name an
// entry by id (a push, a batch, a record, its history, the change feed,
// reading and setting the timeliness rule) answer a caller who may not see
// the entry in the catalog (another department's draft, which GET
// /catalog/entries/{id} does not find) exactly as they answer an id that
// names no entry: 404 entry_not_found, the same body but for the id, so
// that neither the draft's existence nor its resource code shows. The
// entry's own department, and the operator, who see it in the catalog,
// are still refused 409 entry_not_published. On both engines.
func TestRecordsHideAnotherDepartmentsDraft(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rf := newRecordsFixture(t, db)
		ctx := context.Background()
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: rf.mzID}, Editor: true}
		var draft catalog.Entry
		if err := db.Tx(ctx, func(tx *sqldb.Tx) (err error) {
			draft, err = catalog.Create(ctx, tx, by, rf.mzID, personResource("临时救助申请信息", "03", "民政", "002", "社会救助", "03",
				"monthly", "公民身份号码*:C18;姓名:C50;申请日期:D"), t0)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		missing := absentID(t, db, "catalog_entries", draft.ID)
		p1 := recordstest.CitizenID(41)
		push := opLine("add", p1, beijing(rf.clock.Now().Add(-time.Hour)), map[string]string{"姓名": "张三"})
		ndjson := []string{"Content-Type", "application/x-ndjson"}
		e := "/api/v1/records/entries/{id}"
		operator := rf.session(t, "nh.op")
		for _, c := range []struct {
			what, method, path, body string
			detail                   string // the answer's, for an id that names no entry
			hdr                      []string
			other                    string   // a key of a department that does not see the draft
			own                      string   // a key of the draft's department, "" for none that may call the route
			ownHdr                   []string // or the operator's session
		}{
			{"the catalog", "GET", "/api/v1/catalog/entries/{id}", "", "数据资源不存在", nil, rf.gaCatalogKey, "", nil},
			{"a push", "POST", e + "/ops", push, "数据资源 {id} 不存在", nil, rf.gaKey, rf.mzKey, nil},
			{"a batch", "POST", e + "/batches", push + "\n", "数据资源 {id} 不存在", ndjson, rf.gaKey, rf.mzKey, nil},
			{"a record", "GET", e + "/subjects/" + p1 + "?purpose=核查", "", "数据资源 {id} 不存在", nil, rf.gaKey, rf.mzKey, nil},
			{"a record's history", "GET", e + "/subjects/" + p1 + "/history?purpose=核查", "", "数据资源 {id} 不存在", nil, rf.gaKey, rf.mzKey, nil},
			{"the change feed", "GET", e + "/changes?purpose=核查", "", "数据资源 {id} 不存在", nil, rf.gaKey, rf.mzKey, nil},
			{"reading the rule", "GET", e + "/rule", "", "数据资源 {id} 不存在", nil, rf.gaCatalogKey, rf.mzKey, nil},
			{"setting the rule", "PUT", e + "/rule", `{"rule":"within2"}`, "数据资源 {id} 不存在", nil, rf.opKey, "", operator},
		} {
			sameAsMissing(t, rf.fixture, c.what, c.method, c.path, c.other, c.body, draft.ID, missing, 404, "entry_not_found", c.detail, c.hdr...)
			if c.own == "" && c.ownHdr == nil {
				continue
			}
			path := strings.Replace(c.path, "{id}", strconv.FormatInt(draft.ID, 10), 1)
			r := rf.do(t, c.method, path, c.own, c.body, append(append([]string{}, c.hdr...), c.ownHdr...)...)
			if msg, _ := r.body["detail"].(string); r.status != 409 || r.body["code"] != "entry_not_published" || !strings.Contains(msg, draft.Code+" 未发布") {
				t.Errorf("%s by whoever sees the draft: %d %v, want 409 entry_not_published naming %s", c.what, r.status, r.body, draft.Code)
			}
		}
	})
}

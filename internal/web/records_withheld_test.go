package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// publishShared publishes a person entry of dept as publish does, shared
// as share says.
func publishShared(t *testing.T, f *fixture, dept, name, cat, sub string, share catalog.ShareType, items ...catalog.Item) int64 {
	t.Helper()
	ctx, now := context.Background(), f.clock.Now().Add(-time.Hour)
	by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: f.depts[dept].ID}, Editor: true}
	op := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "op", Name: "test", DepartmentID: f.depts["数管局"].ID}, Operator: true}
	r := catalog.Resource{Name: name, Abstract: name + "，供各部门核验使用", Format: "database", ShareType: share,
		ShareScope:     "全区政务部门",
		Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: cat, CategoryName: "部门", SubcategoryCode: sub, SubcategoryName: "业务"},
		ShareMethods:   []catalog.ShareMethod{"query"}, OpenAttribute: catalog.NotOpen, UpdateFrequency: "daily", SecurityLevel: 3,
		NetworkZone: "egov_extranet", Domain: "18", SubjectKind: catalog.Person, Timeliness: "2个工作日内", Items: items}
	if share == catalog.Conditional {
		r.ShareConditions = "仅向依法履行职责的政务部门共享"
	}
	id, err := demo.PublishEntry(ctx, f.db, by, op, r, now)
	if err != nil {
		t.Fatalf("publish %s: %v", name, err)
	}
	return id
}

// TestRecordOpenDisputeWithheld: a reader who may read an entry but not
// the other side of its open discrepancy is not told of it (that the
// item is disputed told that the subject has a record in the other
// entry, where the page said 与另一数源的取值不一致); the operator, who may
// read both sides, sees the other value. On both engines.
func TestRecordOpenDisputeWithheld(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}
		name := catalog.Item{Name: "姓名", Type: "C", Length: 50}
		a := publishShared(t, f, "公安分局", "居住登记信息", "01", "002", catalog.Unconditional, id, name)
		c := publishShared(t, f, "数管局", "人口综合信息", "03", "001", catalog.Conditional, id, name)
		p1 := recordstest.CitizenID(11)
		produced := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
		add := func(value string) []byte {
			return []byte(`{"op":"add","subject_id":"` + p1 + `","produced_at":"` + produced + `","values":{"姓名":"` + value + `"}}`)
		}
		police := f.client(t)
		ptok := police.login("police.admin")
		wantStatus(t, "police upload", police.upload("/records/upload", ptok, "a.jsonl", add("张三"), "entry", strconv.FormatInt(a, 10)), http.StatusOK)
		// 数管局's data, pushed by the department (the operator pushes none).
		if _, err := records.Ingest(t.Context(), db, recordstest.Pusher(f.depts["数管局"].ID), c,
			records.JSONLines(bytes.NewReader(add("张叁"))), f.clock.Now(), records.Options{}); err != nil {
			t.Fatal(err)
		}
		op := f.loggedIn(t, "operator")
		if n := count(t, db, `SELECT count(*) FROM record_discrepancies WHERE status = 'open'`); n != 1 {
			t.Fatalf("open discrepancies: %d, want 1", n)
		}
		page := "/records/entries/" + strconv.FormatInt(a, 10) + "/subjects/" + p1 + "?purpose=" + url.QueryEscape("核查")

		market := f.loggedIn(t, "market.admin")
		r := market.get(page)
		wantStatus(t, "market reads the unconditional entry", r, http.StatusOK)
		wantNoBody(t, "a dispute of an entry it may not read", r, "差异待处理", "另一数源", "张叁")

		// The operator may read both sides, and sees the other value.
		r = op.get(page)
		wantStatus(t, "operator reads the entry", r, http.StatusOK)
		wantBody(t, "other value shown", r, `<span class="tag tag-warn">差异待处理</span> 另一数源为“张叁”，本数据资源为权威数源`)
	})
}

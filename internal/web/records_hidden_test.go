package web_test

import (
	"net/http"
	"net/url"
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

// absentID is an id of the same number of digits as id that names no row
// of table.
func absentID(t *testing.T, db *sqldb.DB, table string, id int64) int64 {
	t.Helper()
	for n := id + 1; len(strconv.FormatInt(n, 10)) == len(strconv.FormatInt(id, 10)); n++ {
		if count(t, db, `SELECT count(*) FROM `+table+` WHERE id = $1`, n) == 0 {
			return n
		}
	}
	t.Fatalf("no absent id of %s as long as %d", table, id)
	return 0
}

// sameAsMissing checks that the page of path with hidden, a row c may not
// see, is answered as the page with missing, an id that names no row:
// the same status and the same page but for its message, want naming the
// id given ({id}).
func sameAsMissing(t *testing.T, c *client, what, path string, hidden, missing int64, status int, want string) {
	t.Helper()
	h, m := strconv.FormatInt(hidden, 10), strconv.FormatInt(missing, 10)
	hr, mr := c.get(strings.Replace(path, "{id}", h, 1)), c.get(strings.Replace(path, "{id}", m, 1))
	wantStatus(t, what+", missing", mr, status)
	wantBody(t, what+", missing", mr, strings.Replace(want, "{id}", m, 1))
	if hr.Status != mr.Status || strings.Replace(hr.Body, strings.Replace(want, "{id}", h, 1), strings.Replace(want, "{id}", m, 1), 1) != mr.Body {
		t.Errorf("%s: hidden %s answers %d %s\nmissing %s %d %s: they differ", what, h, hr.Status, hr.Body, m, mr.Status, mr.Body)
	}
}

// marketDraft creates a draft of 市场监管局, never submitted.
func marketDraft(t *testing.T, f *fixture) catalog.Entry {
	t.Helper()
	market := f.depts["市场监管局"].ID
	by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: market}, Editor: true}
	var draft catalog.Entry
	if err := f.db.Tx(t.Context(), func(tx *sqldb.Tx) (err error) {
		draft, err = catalog.Create(t.Context(), tx, by, market, catalog.Resource{Name: "个体工商户经营者信息", Abstract: "个体工商户经营者信息，供核验",
			Format: "database", ShareType: catalog.Conditional, ShareConditions: "仅向依法履行职责的政务部门共享", ShareScope: "全区政务部门",
			Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: "02", CategoryName: "部门", SubcategoryCode: "001",
				SubcategoryName: "业务"}, ShareMethods: []catalog.ShareMethod{"query"}, OpenAttribute: catalog.NotOpen, UpdateFrequency: "daily",
			SecurityLevel: 3, NetworkZone: "egov_extranet", Domain: "18", SubjectKind: catalog.Person, Timeliness: "2个工作日内",
			Items: []catalog.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}}}, f.clock.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return draft
}

// TestConsoleHidesAnotherDepartmentsDraft: the console's record page of
// an entry another department's draft, which its catalog pages do not
// show, answers as for an id that names no entry (数据资源 {id} 不存在),
// not 未发布 with the draft's resource code; the draft's department still
// sees 未发布. On both engines.
func TestConsoleHidesAnotherDepartmentsDraft(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		draft := marketDraft(t, f)
		path := "/records/entries/{id}/subjects/" + recordstest.CitizenID(3) + "?purpose=" + url.QueryEscape("核查")
		police := f.loggedIn(t, "police.admin")
		sameAsMissing(t, police, "another department's draft", path, draft.ID, absentID(t, db, "catalog_entries", draft.ID),
			http.StatusNotFound, "数据资源 {id} 不存在")
		r := f.loggedIn(t, "market.admin").get(strings.Replace(path, "{id}", strconv.FormatInt(draft.ID, 10), 1))
		wantStatus(t, "the draft's department", r, http.StatusConflict)
		wantBody(t, "the draft's department", r, draft.Code+" 未发布")
	})
}

// TestConsoleUploadHidesAnotherDepartmentsDraft: an upload to another
// department's draft, typed by its id or its resource code, is refused as
// an id or a code that names no entry (没有资源代码或名称为“…”的已发布数据
// 资源, beside the entry field), not 未发布 with the draft's code or id;
// the draft's department is still told 未发布. On both engines.
func TestConsoleUploadHidesAnotherDepartmentsDraft(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		draft := marketDraft(t, f)
		line := []byte(`{"op":"add","subject_id":"` + recordstest.CitizenID(5) + `","produced_at":"` +
			f.clock.Now().Add(-time.Hour).Format(time.RFC3339) + `"}`)
		police := f.loggedIn(t, "police.admin")
		tok := police.csrf()
		missingCode := strings.Replace(draft.Code, "/0", "/9", 1)
		if count(t, db, `SELECT count(*) FROM catalog_entries WHERE code = $1`, missingCode) != 0 || missingCode == draft.Code {
			t.Fatalf("%s names an entry", missingCode)
		}
		for _, c := range []struct{ what, hidden, missing string }{
			{"by id", strconv.FormatInt(draft.ID, 10), strconv.FormatInt(absentID(t, db, "catalog_entries", draft.ID), 10)},
			{"by code", draft.Code, missingCode},
		} {
			hr := police.upload("/records/upload", tok, "a.jsonl", line, "entry", c.hidden)
			mr := police.upload("/records/upload", tok, "a.jsonl", line, "entry", c.missing)
			wantStatus(t, c.what+", missing", mr, http.StatusUnprocessableEntity)
			wantBody(t, c.what+", missing", mr, noPublished(c.missing))
			typed := strings.NewReplacer(noPublished(c.hidden), noPublished(c.missing), `value="`+c.hidden+`"`, `value="`+c.missing+`"`)
			if hr.Status != mr.Status || typed.Replace(hr.Body) != mr.Body {
				t.Errorf("upload %s: hidden %s answers %d %s\nmissing %s %d %s: they differ", c.what, c.hidden, hr.Status, hr.Body, c.missing, mr.Status, mr.Body)
			}
		}
		market := f.loggedIn(t, "market.admin")
		r := market.upload("/records/upload", market.csrf(), "a.jsonl", line, "entry", strconv.FormatInt(draft.ID, 10))
		wantStatus(t, "the draft's department", r, http.StatusConflict)
		wantBody(t, "the draft's department", r, draft.Code+" 未发布")
	})
}

// noPublished is the upload form's refusal of an entry typed as s that
// names no published entry.
func noPublished(s string) string {
	return "没有资源代码或名称为“" + s + "”的已发布数据资源"
}

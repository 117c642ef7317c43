package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestMappingSaveNoSilentReplace: a new column mapping saved under a name
// the department already had silently replaced that mapping, and two
// editors of one mapping overwrote each other. A new mapping (or an edit
// saved under another name) of a taken name is now refused 409
// mapping_exists beside the name, nothing written; an edit carries the tag
// of the version opened (edit_tag, also through 用文件补充列) and is refused
// 409 concurrent_update once someone else saved it; the same form sent
// again is answered as saved. On both engines.
func TestMappingSaveNoSilentReplace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := f.client(t), f.client(t)
		tokA, tokB := a.login("police.admin"), b.login("police.admin")
		first := mappingForm(tokA, "开放目录", [][3]string{{"目录名称", "name", ""}}, map[string]string{"network_zone": "政务外网"})
		postOK(t, a, "/catalog/import-mappings", first, "/catalog/import-mappings?saved="+url.QueryEscape("开放目录"))
		postOK(t, a, "/catalog/import-mappings", first, "/catalog/import-mappings?saved="+url.QueryEscape("开放目录"))
		saved := savedMapping(t, f, "公安分局", "开放目录")

		// Another new mapping of the name: refused, the first kept.
		other := mappingForm(tokB, "开放目录", [][3]string{{"数源单位", "provider", ""}}, nil)
		r := b.post("/catalog/import-mappings", other)
		wantStatus(t, "a new mapping of a taken name", r, http.StatusConflict)
		wantBody(t, "a new mapping of a taken name", r, `id="name-error"`, "本部门已有名为“开放目录”的列映射", `value="开放目录"`)
		if got := savedMapping(t, f, "公安分局", "开放目录"); !cmp.Equal(got, saved) {
			t.Fatalf("the refused new mapping changed it: %+v", got)
		}

		// Two editors open it; the second save from the old version is refused.
		edit := "/catalog/import-mappings/edit?name=" + url.QueryEscape("开放目录")
		tagRE := regexp.MustCompile(`name="opened" value="开放目录"><input type="hidden" name="edit_tag" value="([0-9a-f]+)">`)
		tagOf := func(what, body string) string {
			t.Helper()
			m := tagRE.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("%s: no edit_tag in the editor:\n%s", what, body)
			}
			return m[1]
		}
		opened := tagOf("opened", a.get(edit).Body)
		if tagOf("opened by the other", b.get(edit).Body) != opened {
			t.Fatal("one version opened with two tags")
		}
		// Reading a file into the editor keeps the version opened.
		r = b.upload("/catalog/import-mappings/new", tokB, "more.csv", []byte("更新频率,目录名称\n"), "name", "开放目录", "edit_tag", opened)
		if tagOf("a file read into the editor", r.Body) != opened {
			t.Error("reading a file into the editor changed its tag")
		}
		editA := mappingForm(tokA, "开放目录", [][3]string{{"目录名称", "name", ""}}, map[string]string{"network_zone": "互联网"})
		editA.Set("existing", "yes")
		editA.Set("opened", "开放目录")
		editA.Set("edit_tag", opened)
		postOK(t, a, "/catalog/import-mappings", editA, "/catalog/import-mappings?saved="+url.QueryEscape("开放目录"))
		postOK(t, a, "/catalog/import-mappings", editA, "/catalog/import-mappings?saved="+url.QueryEscape("开放目录"))
		saved = savedMapping(t, f, "公安分局", "开放目录")
		editB := mappingForm(tokB, "开放目录", [][3]string{{"目录名称", "name", ""}, {"更新频率", "update_frequency", ""}}, nil)
		editB.Set("existing", "yes")
		editB.Set("opened", "开放目录")
		editB.Set("edit_tag", opened)
		r = b.post("/catalog/import-mappings", editB)
		wantStatus(t, "the second edit from the old version", r, http.StatusConflict)
		wantBody(t, "the second edit from the old version", r, "在您打开后已被他人修改", `name="edit_tag" value="`+opened+`"`)
		if got := savedMapping(t, f, "公安分局", "开放目录"); !cmp.Equal(got, saved) {
			t.Fatalf("the refused edit changed it: %+v", got)
		}
		// Saved under a new name it is another mapping; under a taken one, refused.
		editB.Set("name", "开放目录（乙）")
		postOK(t, b, "/catalog/import-mappings", editB, "/catalog/import-mappings?saved="+url.QueryEscape("开放目录（乙）"))
		editB.Set("default_network_zone", "互联网")
		r = b.post("/catalog/import-mappings", editB)
		wantStatus(t, "an edit saved under another mapping's name", r, http.StatusConflict)
		wantBody(t, "an edit saved under another mapping's name", r, "本部门已有名为“开放目录（乙）”的列映射")
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'catalog.import_mapping.save'`); n != 3 {
			t.Errorf("audit rows of saves: %d, want 3 (the first, the edit, the copy)", n)
		}
	})
}

package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var (
	formControlRE = regexp.MustCompile(`(?s)<input\s[^>]*>|<textarea\s[^>]*>.*?</textarea>|<select\s[^>]*>.*?</select>`)
	formAttrRE    = regexp.MustCompile(`\s([a-z_-]+)(?:="([^"]*)")?`)
	formOptionRE  = regexp.MustCompile(`<option\s[^>]*>`)
	textareaRE    = regexp.MustCompile(`(?s)^<textarea\s[^>]*>(.*)</textarea>$`)
)

// tagAttrs returns the attributes of the start tag that opens s, unescaped.
func tagAttrs(s string) map[string]string {
	start := s[:strings.IndexByte(s, '>')]
	attrs := map[string]string{}
	for _, m := range formAttrRE.FindAllStringSubmatch(start, -1) {
		attrs[m[1]] = html.UnescapeString(m[2])
	}
	return attrs
}

// browserSubmit returns what a browser posts for the form of page as
// served, unchanged by its user: a text input's value without its line
// breaks (the value sanitization of <input type=text>), a textarea's text
// without the line feed that may follow its start tag and with every line
// break sent as CR LF, the selected options, the checked boxes, and no
// disabled control.
func browserSubmit(t *testing.T, page string) url.Values {
	t.Helper()
	i := strings.Index(page, `id="entry-form"`)
	if i < 0 {
		t.Fatalf("no entry form in the page:\n%s", page)
	}
	page = page[i:]
	page = page[:strings.Index(page, "</form>")]
	v := url.Values{}
	lines := strings.NewReplacer("\r\n", "\n", "\r", "\n")
	for _, c := range formControlRE.FindAllString(page, -1) {
		a := tagAttrs(c)
		name := a["name"]
		_, disabled := a["disabled"]
		if name == "" || disabled {
			continue
		}
		switch {
		case strings.HasPrefix(c, "<textarea"):
			text := html.UnescapeString(textareaRE.FindStringSubmatch(c)[1])
			text = lines.Replace(strings.TrimPrefix(text, "\n"))
			v.Add(name, strings.ReplaceAll(text, "\n", "\r\n"))
		case strings.HasPrefix(c, "<select"):
			for _, o := range formOptionRE.FindAllString(c, -1) {
				if oa := tagAttrs(o); strings.Contains(o, " selected") {
					v.Add(name, oa["value"])
				}
			}
		case a["type"] == "checkbox" || a["type"] == "radio":
			if _, ok := a["checked"]; ok {
				v.Add(name, a["value"])
			}
		case a["type"] == "hidden":
			v.Add(name, a["value"])
		default:
			v.Add(name, strings.NewReplacer("\r", "", "\n", "").Replace(a["value"]))
		}
	}
	return v
}

// TestEditFormKeepsLineBreaks: the free texts that may hold line breaks
// and tabs (摘要, 共享条件, 共享范围, 开放条件, 时效要求, an item's 说明) are
// shown in textareas, which keep them, where an <input type=text> lost
// them; saving the edit form as served, unchanged, changes nothing, of a
// draft or of a published entry (no revision), a text stored with CR LF
// too (a browser posts its line breaks as CR LF).
func TestEditFormKeepsLineBreaks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police, op := f.client(t), f.client(t)
		ptok, otok := police.login("police.admin"), op.login("operator")
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test",
			DepartmentID: f.depts["公安分局"].ID}, Editor: true}
		ctx := context.Background()
		texts := map[string]string{
			"share_conditions": "仅限\n核验\t用途", "share_scope": "全区\n政务部门", "open_conditions": "申请\n后开放",
			"timeliness": "办结后\n2个工作日内\t更新",
		}
		ids := map[string]string{"share_conditions": "f-share-cond", "share_scope": "f-scope",
			"open_conditions": "f-open-cond", "timeliness": "f-timeliness"}
		form := entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no")
		form.Set("share_type", "conditional")
		form.Set("open_attribute", "conditional")
		for k, s := range texts {
			form.Set(k, s)
		}
		form.Set("item_desc_r1", "多行\n说明\t含制表")
		published := createEntry(t, police, form)
		form.Set("name", "户籍人口变动信息")
		draft := createEntry(t, police, form)
		postOK(t, police, published+"/submit", url.Values{"csrf_token": {ptok}}, published+"?msg=submitted")
		postOK(t, op, published+"/approve", url.Values{"csrf_token": {otok}}, published+"?msg=approved")
		// An abstract stored with CR LF, as the console stored a browser's
		// line breaks.
		draftID, _ := strconv.ParseInt(strings.TrimPrefix(draft, "/catalog/"), 10, 64)
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			e, err := catalog.Working(ctx, tx, by, draftID)
			if err != nil {
				return err
			}
			e.Abstract = "第一行 第二行"
			if _, err = catalog.Update(ctx, tx, by, draftID, e.Resource, f.clock.Now()); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET data = REPLACE(data, '第一行 第二行', '第一行\r\n第二行'),
				abstract = $2 WHERE id = $1`, draftID, "第一行\r\n第二行"); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE catalog_entry_versions SET data = REPLACE(data, '第一行 第二行', '第一行\r\n第二行')
				WHERE entry_id = $1`, draftID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if e, err := catalog.Working(ctx, db.Read(), by, draftID); err != nil || e.Abstract != "第一行\r\n第二行" {
			t.Fatalf("abstract stored with CR LF: %q, %v", e.Abstract, err)
		}

		for _, path := range []string{published, draft} {
			id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/catalog/"), 10, 64)
			before, err := catalog.Working(ctx, db.Read(), by, id)
			if err != nil {
				t.Fatal(err)
			}
			r := police.get(path + "/edit")
			wantStatus(t, path+" edit form", r, http.StatusOK)
			for k, s := range texts {
				want := `<textarea id="` + ids[k] + `" name="` + k + `"`
				if i := strings.Index(r.Body, want); i < 0 || !strings.HasPrefix(r.Body[strings.Index(r.Body[i:], ">")+i+1:], html.EscapeString(s)+"</textarea>") {
					t.Errorf("%s edit form: %s is not a textarea holding %q", path, k, s)
				}
			}
			if !regexp.MustCompile(`<textarea id="item-desc-r[0-9]+(?:t[0-9a-f]{6})?" name="item_desc_r[0-9]+(?:t[0-9a-f]{6})?"[^>]*>` +
				regexp.QuoteMeta(html.EscapeString("多行\n说明\t含制表")) + `</textarea>`).MatchString(r.Body) {
				t.Errorf("%s edit form: no item description textarea holding its line break", path)
			}
			updates := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'catalog.update' AND object_id = $1`, strconv.FormatInt(id, 10))
			sent := browserSubmit(t, r.Body)
			r = police.post(path+"/edit", sent)
			if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, path) {
				t.Fatalf("%s saved unchanged: got %d to %q\n%s", path, r.Status, r.Location, r.Body)
			}
			wantBody(t, path+" saved unchanged", police.get(r.Location), "未作修改：所填内容与原来相同，没有保存。")
			after, err := catalog.Working(ctx, db.Read(), by, id)
			if err != nil {
				t.Fatal(err)
			}
			if after.WorkingVersion != before.WorkingVersion || after.PublishedVersion != before.PublishedVersion {
				t.Errorf("%s saved unchanged: versions working %d published %d, were %d and %d", path,
					after.WorkingVersion, after.PublishedVersion, before.WorkingVersion, before.PublishedVersion)
			}
			if !reflect.DeepEqual(after.Resource, before.Resource) {
				t.Errorf("%s saved unchanged: metadata\n%+v\nwas\n%+v", path, after.Resource, before.Resource)
			}
			if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'catalog.update' AND object_id = $1`,
				strconv.FormatInt(id, 10)); n != updates {
				t.Errorf("%s saved unchanged: %d catalog.update records, were %d", path, n, updates)
			}
		}

		// A change saved from the form stores its line breaks as line feeds.
		r := police.get(draft + "/edit")
		sent := browserSubmit(t, r.Body)
		sent.Set("timeliness", "实时\r\n更新")
		postOK(t, police, draft+"/edit", sent, draft+"?msg=saved")
		e, err := catalog.Working(ctx, db.Read(), by, draftID)
		if err != nil {
			t.Fatal(err)
		}
		if e.Timeliness != "实时\n更新" || e.Abstract != "第一行\n第二行" || e.Items[1].Description != "多行\n说明\t含制表" {
			t.Errorf("draft saved with a change: timeliness %q, abstract %q, item description %q", e.Timeliness, e.Abstract,
				e.Items[1].Description)
		}
	})
}

// TestShareMethodsOrderUnchanged saves the edit form unchanged of entries
// whose share methods are stored in another order than the form's
// checkboxes post them (vocabulary order), and whose 目名称 was stored with
// a trailing CR LF that a browser's text input drops: nothing is saved.
func TestShareMethodsOrderUnchanged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		ptok := police.login("police.admin")
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test", DepartmentID: f.depts["公安分局"].ID}, Editor: true}
		ctx := context.Background()
		q := `SELECT count(*) FROM audit_log WHERE action = 'catalog.update' AND object_id = $1`

		// Stored through catalog.Update, which stores vocabulary order.
		path := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no"))
		id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/catalog/"), 10, 64)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			e, err := catalog.Working(ctx, tx, by, id)
			if err != nil {
				return err
			}
			e.ShareMethods = catalog.ShareMethods{"file", "query"}
			_, err = catalog.Update(ctx, tx, by, id, e.Resource, f.clock.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if e, err := catalog.Working(ctx, db.Read(), by, id); err != nil || !reflect.DeepEqual(e.ShareMethods, catalog.ShareMethods{"query", "file"}) {
			t.Errorf("share methods stored as %q (%v), want [query file]", e.ShareMethods, err)
		}
		before := count(t, db, q, strconv.FormatInt(id, 10))
		r := police.get(path + "/edit")
		r = police.post(path+"/edit", browserSubmit(t, r.Body))
		if n := count(t, db, q, strconv.FormatInt(id, 10)); n != before {
			t.Errorf("unchanged form saved: %d rows, were %d (%s)", n, before, r.Location)
		}

		// Stored in another order, and with a CR LF, before the catalog
		// normalised them.
		path = createEntry(t, police, entryForm(ptok, "户籍人口变动信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no"))
		id, _ = strconv.ParseInt(strings.TrimPrefix(path, "/catalog/"), 10, 64)
		if err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for _, s := range []string{`UPDATE catalog_entries SET data = REPLACE(REPLACE(data, '["query","verify"]', '["verify","query"]'),
				'"户籍信息"', '"户籍信息\r\n"') WHERE id = $1`,
				`UPDATE catalog_entry_versions SET data = REPLACE(REPLACE(data, '["query","verify"]', '["verify","query"]'),
				'"户籍信息"', '"户籍信息\r\n"') WHERE entry_id = $1`} {
				if _, err := tx.ExecContext(ctx, s, id); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		e, err := catalog.Working(ctx, db.Read(), by, id)
		if err != nil || !reflect.DeepEqual(e.ShareMethods, catalog.ShareMethods{"verify", "query"}) || e.Classification.SubcategoryName != "户籍信息\r\n" {
			t.Fatalf("stored: %q %q (%v)", e.ShareMethods, e.Classification.SubcategoryName, err)
		}
		before = count(t, db, q, strconv.FormatInt(id, 10))
		r = police.get(path + "/edit")
		r = police.post(path+"/edit", browserSubmit(t, r.Body))
		if n := count(t, db, q, strconv.FormatInt(id, 10)); n != before || !strings.Contains(r.Location, "msg=unchanged") {
			t.Errorf("unchanged form of old order saved: %d rows, were %d (%s)", n, before, r.Location)
		}
	})
}

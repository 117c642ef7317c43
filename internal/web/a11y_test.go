package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// pageTag is a start tag of a rendered page.
type pageTag struct {
	Name    string
	Attrs   map[string]string
	Text    string // the text after the tag, up to the next tag
	InLabel bool   // the tag is inside a <label>
}

func (t pageTag) has(attr, token string) bool {
	return slices.Contains(strings.Fields(t.Attrs[attr]), token)
}

func (t pageTag) String() string {
	if n := t.Attrs["name"]; n != "" {
		return "<" + t.Name + ` name="` + n + `">`
	}
	return "<" + t.Name + ` id="` + t.Attrs["id"] + `">`
}

var (
	tagRE  = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*/?>([^<]*)`)
	attrRE = regexp.MustCompile(`([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?`)
)

// pageTags reads the start tags of body, in order.
func pageTags(body string) []pageTag {
	var tags []pageTag
	labels := 0
	for _, m := range tagRE.FindAllStringSubmatch(body, -1) {
		name := strings.ToLower(m[2])
		if m[1] == "/" {
			if name == "label" && labels > 0 {
				labels--
			}
			continue
		}
		t := pageTag{Name: name, Attrs: map[string]string{}, Text: strings.TrimSpace(html.UnescapeString(m[4])), InLabel: labels > 0}
		for _, a := range attrRE.FindAllStringSubmatch(m[3], -1) {
			t.Attrs[strings.ToLower(a[1])] = html.UnescapeString(a[2] + a[3] + a[4])
		}
		if name == "label" {
			labels++
		}
		tags = append(tags, t)
	}
	return tags
}

// wantFormMessage checks that a form page shows msg (or a message that
// begins with it) in its summary, linked to a field, and beside the field.
func wantFormMessage(t *testing.T, what string, r response, msg string) {
	t.Helper()
	for _, where := range []string{`<li><a href="#[^"]+">`, `<span class="field-error" id="[^"]+">`} {
		if !regexp.MustCompile(where + regexp.QuoteMeta(msg)).MatchString(r.Body) {
			t.Errorf("%s: body lacks %s%s", what, where, msg)
		}
	}
}

// checkErrorsDescribed checks the refusals of a form page: each message
// beside a field (class field-error) has an id that a field marked
// aria-invalid names in its aria-describedby; each field marked invalid
// is described by something on the page; the summary (#form-errors), when
// there is one, is announced and links each message to its field.
func checkErrorsDescribed(t *testing.T, what, body string) {
	t.Helper()
	tags := pageTags(body)
	ids := map[string]pageTag{}
	for _, tag := range tags {
		if id := tag.Attrs["id"]; id != "" {
			if _, dup := ids[id]; dup {
				t.Errorf("%s: id %q used twice", what, id)
			}
			ids[id] = tag
		}
	}
	var summary []pageTag // the links of the summary's items
	inSummary, hasSummary := false, false
	for _, tag := range tags {
		switch {
		case tag.Attrs["id"] == "form-errors":
			inSummary, hasSummary = true, true
			if tag.Attrs["role"] != "alert" && tag.Attrs["tabindex"] != "-1" {
				t.Errorf("%s: the summary is neither role=alert nor focusable", what)
			}
		case inSummary && (tag.Name == "div" || tag.Name == "form" || tag.Name == "section"):
			inSummary = false
		case inSummary && tag.Name == "a":
			summary = append(summary, tag)
		}
	}
	invalid := 0
	for _, tag := range tags {
		if tag.Attrs["aria-invalid"] != "true" {
			continue
		}
		invalid++
		refs := strings.Fields(tag.Attrs["aria-describedby"])
		if len(refs) == 0 {
			t.Errorf("%s: %s is marked invalid but describedby nothing", what, tag)
		}
		for _, ref := range refs {
			if _, ok := ids[ref]; !ok {
				t.Errorf("%s: %s is described by %q, which the page lacks", what, tag, ref)
			}
		}
	}
	if invalid == 0 {
		t.Errorf("%s: no field marked invalid:\n%s", what, body)
	}
	for _, msg := range tags {
		if !msg.has("class", "field-error") {
			continue
		}
		id := msg.Attrs["id"]
		if id == "" {
			t.Errorf("%s: message %q has no id", what, msg.Text)
			continue
		}
		var field *pageTag
		for i, tag := range tags {
			if tag.has("aria-describedby", id) && tag.Attrs["aria-invalid"] == "true" {
				field = &tags[i]
			}
		}
		if field == nil {
			t.Errorf("%s: no field marked invalid is described by message %q (%s)", what, msg.Text, id)
			continue
		}
		if fid := field.Attrs["id"]; fid != "" && hasSummary &&
			!slices.ContainsFunc(summary, func(a pageTag) bool { return a.Attrs["href"] == "#"+fid && a.Text == msg.Text }) {
			t.Errorf("%s: the summary does not link %q to #%s", what, msg.Text, fid)
		}
	}
	for _, a := range summary {
		if _, ok := ids[strings.TrimPrefix(a.Attrs["href"], "#")]; !ok {
			t.Errorf("%s: the summary links %q to %s, which the page lacks", what, a.Text, a.Attrs["href"])
		}
	}
}

// TestFormErrorsDescribed posts each console form with problems and checks
// that each refusal is tied to its field for assistive technology
// (checkErrorsDescribed): WCAG 2.1 3.3.1 and 4.1.2, GB/T 37668.
func TestFormErrorsDescribed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		op := f.client(t)
		otok := op.login("operator")
		police := f.client(t)
		ptok := police.login("police.admin")
		entry := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		postOK(t, police, entry+"/submit", url.Values{"csrf_token": {ptok}}, entry+"?msg=submitted")
		account := "/org/users/" + strconv.FormatInt(f.users["reviewer"].ID, 10)
		edit := "/org/departments/" + strconv.FormatInt(f.depts["公安分局"].ID, 10) + "/edit"

		for _, c := range []struct {
			what string
			c    *client
			path string
			form url.Values // nil: GET
		}{
			{"new app", op, "/apps", url.Values{"csrf_token": {otok}, "name": {""}, "department": {"无此部门"}, "description": {"说明\x00"}}},
			{"new account", op, "/org/users/new", url.Values{"csrf_token": {otok}, "username": {"张三"}, "display_name": {" "},
				"department": {"无此部门"}, "password": {"short-P"}, "password_confirm": {"other"}}},
			{"new department", op, "/org/departments/new", url.Values{"csrf_token": {otok}, "name": {" "}, "short_name": {"简称\x00"},
				"uscc": {"114406051154099990"}, "region": {""}, "parent": {"无此部门"}}},
			{"department edit", op, edit, url.Values{"csrf_token": {otok}, "name": {" "}, "uscc": {"114406051154099991"}}},
			{"empty catalog entry", police, "/catalog/new", url.Values{"csrf_token": {ptok}}},
			{"catalog entry with a bad item", police, "/catalog/new", entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "", "yes", "", "C", "", "no")},
			{"column mapping", police, "/catalog/import-mappings", mappingForm(ptok, " ", [][3]string{{"目录名称", "name", ""}},
				map[string]string{"network_zone": "火星网"})},
			{"reject without reason", op, entry + "/reject", url.Values{"csrf_token": {otok}, "reason": {" "}}},
			{"security level", op, "/catalog/security-levels", url.Values{"csrf_token": {otok}, "level": {"2"}, "name": {" "}, "description": {""}}},
			{"password", op, "/account/password", url.Values{"csrf_token": {otok}, "current_password": {"wrong-Pass-1"},
				"password": {"Another-Pass-2026"}, "password_confirm": {"Another-Pass-2026"}}},
			{"account password reset", op, account + "/password", url.Values{"csrf_token": {otok}, "password": {"Another-Pass-2026"},
				"password_confirm": {"other"}}},
			{"record lookup", police, "/records/lookup?entry=&subject=x&purpose=", nil},
			{"discrepancies without a purpose", police, "/records/discrepancies?purpose=&subject=x", nil},
			{"audit filter", op, "/audit?since=yesterday", nil},
		} {
			var r response
			if c.form == nil {
				r = c.c.get(c.path)
			} else {
				r = c.c.post(c.path, c.form)
			}
			if r.Status < 400 || r.Status >= 500 {
				t.Errorf("%s: got %d, want a refusal\n%s", c.what, r.Status, r.Body)
				continue
			}
			checkErrorsDescribed(t, c.what, r.Body)
		}
	})
}

// TestFormFieldsLabelled checks that every field of the console's form
// pages has a label: a <label for> naming its id, or a <label> around it
// (WCAG 2.1 1.3.1, 3.3.2, 4.1.2).
func TestFormFieldsLabelled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		anon := f.client(t)
		op := f.loggedIn(t, "operator")
		police := f.client(t)
		ptok := police.login("police.admin")
		entry := createEntry(t, police, entryForm(ptok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes"))
		draft := createEntry(t, police, entryForm(ptok, "人口死亡信息", "公民身份号码", "C", "18", "yes"))
		postOK(t, police, entry+"/submit", url.Values{"csrf_token": {ptok}}, entry+"?msg=submitted")
		account := "/org/users/" + strconv.FormatInt(f.users["reviewer"].ID, 10)
		edit := "/org/departments/" + strconv.FormatInt(f.depts["公安分局"].ID, 10) + "/edit"

		pages := []struct {
			c      *client
			path   string
			header []string
		}{
			{anon, "/login", nil}, {anon, "/public/catalog", nil},
			{op, "/org", nil}, {op, "/org/departments/new", nil}, {op, edit, nil}, {police, "/org/users", nil},
			{op, "/org/users/new", nil}, {op, account, nil}, {op, "/account/password", nil}, {op, "/apps", nil},
			{op, "/audit", nil}, {op, "/calendar", nil}, {op, "/catalog", nil}, {op, entry, nil},
			{op, "/catalog/security-levels", nil}, {op, "/records/discrepancies", nil}, {op, "/records/discrepancies?" + checking, nil},
			{police, "/catalog/new", nil}, {police, draft + "/edit", nil},
			{police, "/catalog/item-row", []string{"HX-Request", "true"}}, {police, "/catalog/import", nil},
			{police, "/catalog/import-mappings/new", nil},
		}
		for _, p := range pages {
			r := p.c.get(p.path, p.header...)
			wantStatus(t, p.path, r, http.StatusOK)
			tags := pageTags(r.Body)
			labelled := map[string]bool{}
			for _, tag := range tags {
				if tag.Name == "label" && tag.Attrs["for"] != "" {
					labelled[tag.Attrs["for"]] = true
				}
			}
			byID := map[string]int{} // the index in tags of the first tag with an id, which a label's for names
			for i, tag := range tags {
				if _, ok := byID[tag.Attrs["id"]]; !ok {
					byID[tag.Attrs["id"]] = i
				}
			}
			fields := 0
			for _, tag := range tags {
				switch tag.Name {
				case "input":
					if slices.Contains([]string{"hidden", "submit", "button", "reset", "image"}, tag.Attrs["type"]) {
						continue
					}
				case "select", "textarea":
				default:
					continue
				}
				fields++
				if id := tag.Attrs["id"]; !tag.InLabel && (!labelled[id] || tags[byID[id]].Attrs["name"] != tag.Attrs["name"]) {
					t.Errorf("%s: %s has no label", p.path, tag)
				}
			}
			if fields == 0 {
				t.Errorf("%s: no fields found", p.path)
			}
		}
	})
}

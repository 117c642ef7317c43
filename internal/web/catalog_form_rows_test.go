package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

var itemKeysRE = regexp.MustCompile(`<input type="hidden" name="item" value="([^"]*)">`)

// itemNamesOf returns the data item rows of a compile form page: their
// keys, and their names by key.
func itemNamesOf(t *testing.T, r response) ([]string, map[string]string) {
	t.Helper()
	var keys []string
	names := map[string]string{}
	for _, m := range itemKeysRE.FindAllStringSubmatch(r.Body, -1) {
		keys = append(keys, m[1])
		n := regexp.MustCompile(`name="item_name_` + m[1] + `" value="([^"]*)"`).FindStringSubmatch(r.Body)
		if n == nil {
			t.Fatalf("row %s without its name input\n%s", m[1], r.Body)
		}
		names[m[1]] = n[1]
	}
	return keys, names
}

// wantFocus checks that the page puts the focus in the name of the row
// key, and nowhere else.
func wantFocus(t *testing.T, what string, r response, key string) {
	t.Helper()
	got := regexp.MustCompile(`name="item_name_(\w+)"[^>]* autofocus`).FindAllStringSubmatch(r.Body, -1)
	if len(got) != 1 || got[0][1] != key {
		t.Errorf("%s: autofocus on %q, want on the name of row %s alone", what, got, key)
	}
}

// TestCatalogFormRows: the compile form's data item rows are keyed by
// their position (r1, r2…), the same on each render, so that a browser
// going back to the form puts what was typed back in them; they were
// keyed at random on each render. 添加信息项 and 删除 are submit buttons
// (add_item, remove_item=<key>), for browsers without scripts: the form's
// POST shows the form again, 200, with a blank row more or without the
// row named, keeping what was typed and its blank rows, and saves
// nothing, neither an entry nor an audit row, on the new form and on an
// entry's. Before, the POST saved the form (or refused it, 422). On both
// engines.
func TestCatalogFormRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.client(t)
		tok := c.login("police.admin")
		for i := range 2 {
			r := c.get("/catalog/new")
			wantStatus(t, "GET /catalog/new", r, http.StatusOK)
			if keys, _ := itemNamesOf(t, r); !slices.Equal(keys, []string{"r1", "r2"}) {
				t.Errorf("blank form, render %d: rows %q, want r1 r2", i+1, keys)
			}
			wantBody(t, "blank form", r, `name="add_item"`, `name="remove_item" value="r2"`)
		}

		form := entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no")
		form.Add("item", "a1b2c3d4") // a row added in the browser, left blank
		post := func(what, path string, form url.Values, button, value string) response {
			t.Helper()
			form = maps.Clone(form)
			form.Set(button, value)
			r := c.post(path, form)
			wantStatus(t, what, r, http.StatusOK)
			wantNoBody(t, what, r, `id="form-errors"`)
			return r
		}
		entries, audited := countEntries(t, db), count(t, db, `SELECT count(*) FROM audit_log`)
		saved := func(what string) {
			t.Helper()
			if n := countEntries(t, db); n != entries {
				t.Errorf("%s: %d entries, want %d", what, n, entries)
			}
			if n := count(t, db, `SELECT count(*) FROM audit_log`); n != audited {
				t.Errorf("%s wrote %d audit rows, want none", what, n-audited)
			}
		}

		r := post("添加信息项", "/catalog/new", form, "add_item", "1")
		keys, names := itemNamesOf(t, r)
		if want := map[string]string{"r1": "公民身份号码", "r2": "姓名", "r3": "", "r4": ""}; !slices.Equal(keys, []string{"r1", "r2", "r3", "r4"}) || !maps.Equal(names, want) {
			t.Errorf("添加信息项: rows %q named %q, want %q", keys, names, want)
		}
		wantBody(t, "添加信息项", r, `value="户籍人口基本信息"`)
		wantFocus(t, "添加信息项", r, "r4")
		saved("添加信息项")

		r = post("删除", "/catalog/new", form, "remove_item", "r0")
		keys, names = itemNamesOf(t, r)
		if want := map[string]string{"r1": "姓名", "r2": ""}; !slices.Equal(keys, []string{"r1", "r2"}) || !maps.Equal(names, want) {
			t.Errorf("删除: rows %q named %q, want %q", keys, names, want)
		}
		wantFocus(t, "删除", r, "r1")
		saved("删除")

		// An entry's form: its stored rows keyed by position and by the
		// version shown (a hash of its edit_tag), so that a value put back
		// by a field's name cannot land on another version's item.
		form = entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes", "姓名", "C", "50", "no")
		path := createEntry(t, c, form)
		r = c.get(path + "/edit")
		tag := editTagRE.FindStringSubmatch(r.Body)
		if tag == nil {
			t.Fatalf("edit form without edit_tag\n%s", r.Body)
		}
		sum := sha256.Sum256([]byte(html.UnescapeString(tag[1])))
		r1, r2 := "r1t"+hex.EncodeToString(sum[:3]), "r2t"+hex.EncodeToString(sum[:3])
		keys, names = itemNamesOf(t, r)
		if want := map[string]string{r1: "公民身份号码", r2: "姓名"}; !slices.Equal(keys, []string{r1, r2}) || !maps.Equal(names, want) {
			t.Errorf("edit form: rows %q named %q, want %q", keys, names, want)
		}
		if again, _ := itemNamesOf(t, c.get(path+"/edit")); !slices.Equal(again, keys) {
			t.Errorf("edit form rendered again: rows %q, want %q", again, keys)
		}
		form.Set("edit_tag", tag[1])
		form.Set("item_name_r1", "姓名（曾用名）")
		entries, audited = countEntries(t, db), count(t, db, `SELECT count(*) FROM audit_log`)
		r = post("添加信息项 on an entry's form", path+"/edit", form, "add_item", "1")
		if keys, _ := itemNamesOf(t, r); len(keys) != 3 {
			t.Errorf("添加信息项 on an entry's form: rows %q, want 3", keys)
		}
		wantBody(t, "添加信息项 on an entry's form", r, `value="姓名（曾用名）"`, tag[0])
		r = post("删除 on an entry's form", path+"/edit", form, "remove_item", "r0")
		if keys, names := itemNamesOf(t, r); len(keys) != 1 || names[r1] != "姓名（曾用名）" {
			t.Errorf("删除 on an entry's form: rows %q named %q, want the renamed second alone", keys, names)
		}
		saved("添加信息项 and 删除 on an entry's form")
		wantBody(t, "the entry after 添加信息项 and 删除", c.get(path), "公民身份号码", "<td>姓名</td>")
		wantNoBody(t, "the entry after 添加信息项 and 删除", c.get(path), "曾用名")

		// Once the entry changed, its form's rows are keyed anew: what was
		// typed in the 2nd row of the form before cannot be put back into
		// the 2nd row of the one after, which may hold another item.
		r = c.post(path+"/edit", form)
		wantStatus(t, "save", r, http.StatusSeeOther)
		changed, _ := itemNamesOf(t, c.get(path+"/edit"))
		if len(changed) != 2 || slices.Contains([]string{r1, r2}, changed[0]) || slices.Contains([]string{r1, r2}, changed[1]) {
			t.Errorf("edit form after a save: rows %q, want none keyed as before the save (%q %q)", changed, r1, r2)
		}
	})
}

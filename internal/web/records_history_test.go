package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestRecordHistoryChanges: a record's history shows, per version, what it
// changed (old → new, items filled in and cleared), the values in full
// only for the add, and the items in the catalog's order (曾用名 before
// 婚姻状况, though 婚 sorts before 曾 by code point).
func TestRecordHistoryChanges(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		e := publish(t, f, "公安分局", "户籍人口基本信息", "01", "002",
			catalog.Item{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true},
			catalog.Item{Name: "姓名", Type: "C", Length: 50}, catalog.Item{Name: "曾用名", Type: "C", Length: 50},
			catalog.Item{Name: "婚姻状况", Type: "C", Length: 10})
		es, p := strconv.FormatInt(e, 10), recordstest.CitizenID(31)
		police := f.client(t)
		tok := police.login("police.admin")
		for i, op := range []string{
			`"op":"add","values":{"姓名":"张三","曾用名":"张小三","婚姻状况":"未婚"}`,
			`"op":"change","values":{"婚姻状况":"已婚"}`,
			`"op":"change","values":{"姓名":"张叁","曾用名":""}`,
			`"op":"change","values":{"婚姻状况":"离婚","曾用名":"张小叁"}`,
			`"op":"cancel"`,
		} {
			produced := f.clock.Now().Add(time.Duration(i-5) * time.Hour).Format(time.RFC3339)
			line := `{"subject_id":"` + p + `","produced_at":"` + produced + `",` + op + "}\n"
			r := police.upload("/records/upload", tok, fmt.Sprintf("v%d.jsonl", i+1), []byte(line), "entry", es)
			wantStatus(t, fmt.Sprintf("upload of version %d", i+1), r, http.StatusOK)
		}

		r := police.get("/records/entries/" + es + "/subjects/" + p + "?purpose=" + url.QueryEscape("核查"))
		wantStatus(t, "record page", r, http.StatusOK)
		row := func(v int) string {
			t.Helper()
			m := regexp.MustCompile(`(?s)<tr id="version-` + strconv.Itoa(v) + `">(.*?)</tr>`).FindStringSubmatch(r.Body)
			if m == nil {
				t.Fatalf("no row of version %d:\n%s", v, r.Body)
			}
			return m[1]
		}
		inOrder := func(what, body string, subs ...string) {
			t.Helper()
			at := 0
			for _, s := range subs {
				i := strings.Index(body[at:], s)
				if i < 0 {
					t.Errorf("%s: lacks %q after the preceding ones\n%s", what, s, body)
					return
				}
				at += i + len(s)
			}
		}
		changed := func(item, old, new string) string {
			return item + `：<span class="diff-old">` + old + `</span> → <span class="diff-new">` + new + `</span>`
		}

		v1 := row(1)
		inOrder("the add", v1, "姓名：张三", "曾用名：张小三", "婚姻状况：未婚")
		wantNoBody(t, "the add", response{Body: v1}, "；</td>", "diff-old")

		v2 := row(2)
		inOrder("a change of one item", v2, changed("婚姻状况", "未婚", "已婚"))
		wantNoBody(t, "a change of one item", response{Body: v2}, "姓名", "曾用名", "张三")

		v3 := row(3)
		inOrder("a change and a clearing", v3, changed("姓名", "张三", "张叁"),
			`曾用名：<span class="tag tag-rest">清空</span> <span class="diff-old">张小三</span>`)
		wantNoBody(t, "a change and a clearing", response{Body: v3}, "婚姻状况")

		v4 := row(4)
		inOrder("an item filled in and one changed", v4,
			`曾用名：<span class="tag tag-ok">新填</span> <span class="diff-new">张小叁</span>`, changed("婚姻状况", "已婚", "离婚"))
		wantNoBody(t, "an item filled in and one changed", response{Body: v4}, "姓名")

		v5 := row(5)
		inOrder("the cancel", v5, "注销", "信息项未变")
		wantNoBody(t, "the cancel", response{Body: v5}, "张叁", "离婚")

		// Newest first.
		inOrder("history", r.Body, `id="version-5"`, `id="version-4"`, `id="version-3"`, `id="version-2"`, `id="version-1"`)
	})
}

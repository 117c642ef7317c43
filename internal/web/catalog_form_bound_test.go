package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/web"
)

// postAllocated posts body, an encoded form, to path and returns the
// answer and the bytes allocated while it was sent and answered (client
// and server together; the body is encoded before).
func postAllocated(c *client, path, body string) (response, uint64) {
	c.t.Helper()
	req, err := http.NewRequest("POST", c.f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := c.do(req)
	runtime.ReadMemStats(&after)
	return r, after.TotalAlloc - before.TotalAlloc
}

// postBounded posts the compile form build makes with a form token of
// police.admin to /catalog/new, checks that it is shown again (422) with
// the too_many_items message msg and that the request allocates at most
// times MaxEntryFormBody, and answers the form shown.
func postBounded(t *testing.T, db *sqldb.DB, build func(tok string) string, msg string, times uint64) response {
	t.Helper()
	f := newFixture(t, db)
	police := f.client(t)
	tok := police.login("police.admin")
	r, n := postAllocated(police, "/catalog/new", build(tok))
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("got status %d, want the form again (422)", r.Status)
	}
	if !strings.Contains(r.Body, msg) {
		t.Errorf("the form lacks too_many_items")
	}
	t.Logf("allocated %d MiB", n>>20)
	if n > times*web.MaxEntryFormBody {
		t.Errorf("the request allocated %d MiB, want at most %d times the form's %d MiB", n>>20, times, web.MaxEntryFormBody>>20)
	}
	return r
}

// shownCut checks that the form in r shows the start of the text posted
// as name in textarea re, and says how much of it, and of what, it shows.
func shownCut(t *testing.T, r response, re *regexp.Regexp, posted, label string) {
	t.Helper()
	m := re.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("the form lacks the %s", label)
	}
	shown := html.UnescapeString(m[1])
	if shown == "" || !strings.HasPrefix(posted, shown) || len(shown) == len(posted) {
		t.Fatalf("the form shows %d bytes of the %s, want the start of the %d posted", len(shown), label, len(posted))
	}
	note := fmt.Sprintf("表单只保留了%s的前 %d 个字符，其后的 %d 个字符未显示", label,
		utf8.RuneCountInString(shown), utf8.RuneCountInString(posted)-utf8.RuneCountInString(shown))
	if !strings.Contains(r.Body, note) {
		t.Errorf("the form lacks the note %s", note)
	}
}

// textBounded posts, as postBounded does, a compile form of about
// MaxEntryFormBody whose field name holds unit over and over, and checks
// that the form shown holds the start of that text in textarea re, as
// shownCut does.
func textBounded(t *testing.T, db *sqldb.DB, name, unit, msg string, times uint64, re *regexp.Regexp, label string) {
	t.Helper()
	var form url.Values
	r := postBounded(t, db, func(tok string) string {
		form = entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		form.Set(name, strings.Repeat(unit, (web.MaxEntryFormBody-len(form.Encode())-64)/len(url.QueryEscape(unit))))
		return form.Encode()
	}, msg, times)
	shownCut(t, r, re, form.Get(name), label)
}

// TestEntryFormTooManyRelatedCodesBounded: a compile form of
// MaxEntryFormBody holding 8 million related codes (1 1 1 …) is refused
// with too_many_items, shown again with the start of its text and a note
// of how much of it, and the request allocates a small multiple of the
// form: 67 MiB, where the whole text shown again cost 181 MiB (1,146 MiB
// with the codes split one by one, 2 GiB more validated one by one,
// before tooMany). Both engines.
func TestEntryFormTooManyRelatedCodesBounded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		textBounded(t, db, "related_codes", "1 ", "关联资源代码不能超过 100 个", 6, relatedTextRE, "关联资源代码")
	})
}

// TestEntryFormTooManyItemsBounded: a compile form of MaxEntryFormBody
// holding 4,900 data item rows (net/url reads 10,000 fields at most),
// each with a description of 3 kB, is refused with too_many_items and
// shown again with 600 rows and a note of the others, allocating 86 MiB,
// where every row was made an item and shown again (324 MiB). Both
// engines.
func TestEntryFormTooManyItemsBounded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		const rows = 4900
		r := postBounded(t, db, func(tok string) string {
			form := entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes").Encode()
			desc := strings.Repeat("a", (web.MaxEntryFormBody-len(form))/rows-40)
			var b strings.Builder
			b.WriteString(form)
			for n := range rows {
				k := "k" + strconv.Itoa(n)
				b.WriteString("&item=" + k + "&item_desc_" + k + "=" + desc)
			}
			return b.String()
		}, "信息项不能超过 500 个", 6)
		shown := strings.Count(r.Body, `name="item" value=`)
		if shown <= catalog.MaxItems || shown >= rows {
			t.Errorf("the form shows %d item rows again, want some over %d and fewer than %d", shown, catalog.MaxItems, rows)
		}
		// The rows posted and the one of entryForm.
		if note := fmt.Sprintf("表单只保留了前 %d 个信息项，其后的 %d 个未显示", shown, rows+1-shown); !strings.Contains(r.Body, note) {
			t.Errorf("the form lacks the note %s", note)
		}
	})
}

// TestEntryFormTooManyServiceItemsBounded: a compile form of
// MaxEntryFormBody holding 4 million service items (a;a;a…) is refused
// with too_many_items and shown again with the start of its text and a
// note of how much of it, allocating 131 MiB, where every one was made an
// item and the text shown again whole (1,912 MiB). Both engines.
func TestEntryFormTooManyServiceItemsBounded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		textBounded(t, db, "service_items", "a;", "关联政务服务事项不能超过 50 个", 12, servicesTextRE, "关联政务服务事项")
	})
}

var relatedTextRE = regexp.MustCompile(`(?s)<textarea id="f-related" name="related_codes"[^>]*>(.*?)</textarea>`)

// TestEntryFormJustOverShownAsTyped: a compile form a few over each limit
// (505 data item rows, 53 service items, 103 related codes) is refused
// with too_many_items and shown again with every row, and with the two
// texts as typed, where the rows and items past the one after the limit
// were dropped without a word and the service items shown re-formatted
// (事项（甲\；乙）). Cut to the limits as shown, it is saved whole. Both
// engines.
func TestEntryFormJustOverShownAsTyped(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		tok := police.login("police.admin")
		rows := []string{"公民身份号码", "C", "18", "yes"}
		for i := 1; i < catalog.MaxItems+5; i++ {
			rows = append(rows, fmt.Sprintf("信息项%03d", i), "C", "20", "no")
		}
		form := entryForm(tok, "户籍人口基本信息", rows...)
		for i := 1; i < catalog.MaxItems+5; i++ {
			form.Set(fmt.Sprintf("item_desc_r%d", i), fmt.Sprintf("说明%03d", i))
		}
		services := []string{"事项（甲；乙）", "户口迁移(11440605MB2C001)"}
		for i := 3; i <= catalog.MaxServiceItems+3; i++ {
			services = append(services, fmt.Sprintf("事项%02d", i))
		}
		var codes []string
		for i := 1; i <= catalog.MaxRelatedCodes+3; i++ {
			codes = append(codes, fmt.Sprintf("101001/%06d", i))
		}
		typed := func(services, codes []string) {
			form.Set("service_items", strings.Join(services[:2], "；")+"\n"+strings.Join(services[2:], ";"))
			form.Set("related_codes", strings.Join(codes, "、 "))
		}
		typed(services, codes)
		r := police.post("/catalog/new", form)
		wantStatus(t, "a few over", r, http.StatusUnprocessableEntity)
		wantBody(t, "a few over", r, "信息项不能超过 500 个", "关联政务服务事项不能超过 50 个", "关联资源代码不能超过 100 个")
		for _, c := range []struct {
			re   *regexp.Regexp
			name string
		}{{servicesTextRE, "service_items"}, {relatedTextRE, "related_codes"}} {
			if m := c.re.FindStringSubmatch(r.Body); m == nil || html.UnescapeString(m[1]) != form.Get(c.name) {
				t.Errorf("the %s are not shown as typed: %q, want %q", c.name, m, form.Get(c.name))
			}
		}
		if shown := strings.Count(r.Body, `name="item" value=`); shown != catalog.MaxItems+5 {
			t.Errorf("the form shows %d item rows again, want %d", shown, catalog.MaxItems+5)
		}
		for i := 1; i < catalog.MaxItems+5; i++ {
			if want := fmt.Sprintf(`value="信息项%03d"`, i); !strings.Contains(r.Body, want) {
				t.Errorf("the form lacks the row %s", want)
			}
			if want := fmt.Sprintf(`>说明%03d</textarea>`, i); !strings.Contains(r.Body, want) {
				t.Errorf("the form lacks the description %s", want)
			}
		}
		if strings.Contains(r.Body, "未显示") {
			t.Errorf("the form says rows were left out, where all are shown")
		}

		form["item"] = form["item"][:catalog.MaxItems]
		typed(services[:catalog.MaxServiceItems], codes[:catalog.MaxRelatedCodes])
		path := createEntry(t, police, form)
		id, _ := strconv.ParseInt(strings.TrimPrefix(path, "/catalog/"), 10, 64)
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "test", Name: "test",
			DepartmentID: f.depts["公安分局"].ID}, Editor: true}
		e, err := catalog.Get(context.Background(), db.Read(), by, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Items) != catalog.MaxItems || e.Items[catalog.MaxItems-1].Name != fmt.Sprintf("信息项%03d", catalog.MaxItems-1) {
			t.Errorf("saved %d items, want %d up to 信息项%03d", len(e.Items), catalog.MaxItems, catalog.MaxItems-1)
		}
		if len(e.ServiceItems) != catalog.MaxServiceItems || e.ServiceItems[0].Name != "事项（甲；乙）" ||
			e.ServiceItems[catalog.MaxServiceItems-1].Name != services[catalog.MaxServiceItems-1] {
			t.Errorf("saved service items %+v, want the first %d typed", e.ServiceItems, catalog.MaxServiceItems)
		}
		if !slices.Equal(e.RelatedCodes, codes[:catalog.MaxRelatedCodes]) {
			t.Errorf("saved related codes %v, want the first %d typed", e.RelatedCodes, catalog.MaxRelatedCodes)
		}
	})
}

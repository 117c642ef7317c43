package web_test

import (
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"

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

// TestEntryFormTooManyRelatedCodesBounded: a compile form of
// MaxEntryFormBody holding 8 million related codes (1 1 1 …) is refused
// with too_many_items, shown again with its first 101 codes, and the
// request allocates a small multiple of the form: 67 MiB, where the
// whole text shown again cost 181 MiB (1,146 MiB with the codes split
// one by one, 2 GiB more validated one by one, before tooMany). Both
// engines.
func TestEntryFormTooManyRelatedCodesBounded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		tok := police.login("police.admin")
		form := entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		form.Set("related_codes", strings.Repeat("1 ", (web.MaxEntryFormBody-len(form.Encode())-64)/2))
		r, n := postAllocated(police, "/catalog/new", form.Encode())
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("got status %d, want the form again (422)", r.Status)
		}
		if !strings.Contains(r.Body, "关联资源代码不能超过 100 个") {
			t.Errorf("the form lacks too_many_items")
		}
		if !strings.Contains(r.Body, strings.TrimSpace(strings.Repeat("1 ", 101))+"</textarea>") {
			t.Errorf("the form does not show the first 101 codes again")
		}
		t.Logf("allocated %d MiB", n>>20)
		if n > 6*web.MaxEntryFormBody {
			t.Errorf("the request allocated %d MiB, want at most 6 times the form's %d MiB", n>>20, web.MaxEntryFormBody>>20)
		}
	})
}

// TestEntryFormTooManyItemsBounded: a compile form of MaxEntryFormBody
// holding 4,900 data item rows (net/url reads 10,000 fields at most),
// each with a description of 3 kB, is refused with too_many_items and
// shown again with catalog.MaxItems+1 rows, allocating 81 MiB, where
// every row was made an item and shown again (324 MiB). Both engines.
func TestEntryFormTooManyItemsBounded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		tok := police.login("police.admin")
		form := entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes").Encode()
		const rows = 4900
		desc := strings.Repeat("a", (web.MaxEntryFormBody-len(form))/rows-40)
		var b strings.Builder
		b.WriteString(form)
		for n := range rows {
			k := "k" + strconv.Itoa(n)
			b.WriteString("&item=" + k + "&item_desc_" + k + "=" + desc)
		}
		r, n := postAllocated(police, "/catalog/new", b.String())
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("got status %d, want the form again (422)", r.Status)
		}
		if !strings.Contains(r.Body, "信息项不能超过 500 个") {
			t.Errorf("the form lacks too_many_items")
		}
		if shown := strings.Count(r.Body, `name="item" value=`); shown != 501 {
			t.Errorf("the form shows %d item rows again, want 501", shown)
		}
		t.Logf("allocated %d MiB", n>>20)
		if n > 6*web.MaxEntryFormBody {
			t.Errorf("the request allocated %d MiB, want at most 6 times the form's %d MiB", n>>20, web.MaxEntryFormBody>>20)
		}
	})
}

// TestEntryFormTooManyServiceItemsBounded: a compile form of
// MaxEntryFormBody holding 4 million service items (a;a;a…) is refused
// with too_many_items and shown again with catalog.MaxServiceItems+1 of
// them, allocating 131 MiB, where every one was made an item and the
// text shown again whole (1,912 MiB). Both engines.
func TestEntryFormTooManyServiceItemsBounded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		tok := police.login("police.admin")
		form := entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		form.Set("service_items", strings.Repeat("a;", (web.MaxEntryFormBody-len(form.Encode())-64)/4))
		r, n := postAllocated(police, "/catalog/new", form.Encode())
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("got status %d, want the form again (422)", r.Status)
		}
		if !strings.Contains(r.Body, "关联政务服务事项不能超过 50 个") {
			t.Errorf("the form lacks too_many_items")
		}
		if !strings.Contains(r.Body, strings.Repeat("a\n", 50)+"a</textarea>") {
			t.Errorf("the form does not show the first 51 service items again")
		}
		t.Logf("allocated %d MiB", n>>20)
		if n > 12*web.MaxEntryFormBody {
			t.Errorf("the request allocated %d MiB, want at most 12 times the form's %d MiB", n>>20, web.MaxEntryFormBody>>20)
		}
	})
}

package web_test

import (
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/web"
)

// TestEntryFormTooManyRelatedCodesBounded: a compile form of
// MaxEntryFormBody holding 8 million related codes (1 1 1 …) is refused
// with too_many_items, and the request allocates a small multiple of the
// form (client and server together, the form shown again with its codes):
// 229 MiB, where the codes split one by one cost 1,146 MiB (and validated
// one by one 2 GiB more, before tooMany). Both engines.
func TestEntryFormTooManyRelatedCodesBounded(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		police := f.client(t)
		tok := police.login("police.admin")
		form := entryForm(tok, "户籍人口基本信息", "公民身份号码", "C", "18", "yes")
		form.Set("related_codes", strings.Repeat("1 ", (web.MaxEntryFormBody-len(form.Encode())-64)/2))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r := police.post("/catalog/new", form)
		runtime.ReadMemStats(&after)
		if r.Status == http.StatusSeeOther || r.Status == http.StatusRequestEntityTooLarge {
			t.Fatalf("got status %d, want the form again", r.Status)
		}
		if !strings.Contains(r.Body, "关联资源代码不能超过 100 个") {
			t.Errorf("the form lacks too_many_items (status %d)", r.Status)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 24*web.MaxEntryFormBody {
			t.Errorf("the request allocated %d MiB, want at most 24 times the form's %d MiB", n>>20, web.MaxEntryFormBody>>20)
		}
	})
}

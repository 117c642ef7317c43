package api

import (
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/text"
)

// FuzzKeysetCursor feeds arbitrary ?cursor= and ?limit= values to the
// organisation lists' page parameters: they never panic; a refusal is a 400
// with a stable code; an accepted cursor holds a key a database can compare,
// and a page's next_cursor for that key reads back as the same key.
func FuzzKeysetCursor(f *testing.F) {
	p := keysetPage{list: "import-mappings"}
	for _, s := range []string{
		p.items(nil, "民政局婚姻登记")["next_cursor"].(string), p.items(nil, "12")["next_cursor"].(string),
		"aW1wb3J0LW1hcHBpbmdzOmEAYg", "aW1wb3J0LW1hcHBpbmdzOv_-", "ZGVwYXJ0bWVudHM6MQ", "%%", "",
	} {
		f.Add(s, "")
		f.Add(s, "5")
	}
	f.Add("", "99999999999999999999")
	f.Add("", "-1")
	f.Fuzz(func(t *testing.T, cursor, limit string) {
		q := url.Values{"cursor": {cursor}, "limit": {limit}}
		r := httptest.NewRequest("GET", "/api/v1/catalog/import-mappings?"+q.Encode(), nil)
		pg, err := keysetParams(r, "import-mappings")
		if err != nil {
			if e := errs.As(err); e == nil || e.Kind != errs.Invalid || (e.Code != "invalid_cursor" && e.Code != "invalid_number") {
				t.Fatalf("cursor %q, limit %q: %v, want 400 invalid_cursor or invalid_number", cursor, limit, err)
			}
			return
		}
		if pg.Limit < 1 || pg.Limit > keysetMaxLimit {
			t.Fatalf("limit %q read as %d", limit, pg.Limit)
		}
		if cursor == "" {
			if pg.After != "" {
				t.Fatalf("no cursor read as key %q", pg.After)
			}
			return
		}
		if pg.After == "" || !text.Storable(pg.After) {
			t.Fatalf("cursor %q accepted with key %q", cursor, pg.After)
		}
		next := pg.items(nil, pg.After)["next_cursor"].(string)
		r = httptest.NewRequest("GET", "/?cursor="+url.QueryEscape(next), nil)
		if back, err := keysetParams(r, "import-mappings"); err != nil || back.After != pg.After {
			t.Fatalf("key %q: next_cursor %q reads back as %q, %v", pg.After, next, back.After, err)
		}
	})
}

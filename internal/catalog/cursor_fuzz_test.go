package catalog

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/text"
)

// FuzzCursor feeds arbitrary ?cursor= values to the catalog search's cursor
// decoder: it never panics; it refuses with 400 invalid_cursor, or accepts a
// cursor of the sort asked for whose name a database can compare, and which
// encodes to a cursor that decodes to the same.
func FuzzCursor(f *testing.F) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, s := range []string{
		cursor{Sort: ByName, Name: "南海区居民户籍信息", ID: 42}.encode(),
		cursor{Sort: ByRelevance, Rank: 3, Updated: time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC), ID: 7}.encode(),
		enc(`{"s":"name","n":"a\u0000","i":1}`), enc(`{"s":"name","n":"\xff","i":-1}`), enc(`{"s":"updated","u":"x"}`),
		enc(`[]`), enc(`{"s":"name"} trailing`), "!!", "",
	} {
		f.Add(s, "name")
		f.Add(s, "relevance")
	}
	f.Fuzz(func(t *testing.T, s, sort string) {
		c, err := decodeCursor(s, Sort(sort))
		if err != nil {
			if e := errs.As(err); e == nil || e.Kind != errs.Invalid || e.Code != "invalid_cursor" || e.Field != "cursor" {
				t.Fatalf("decodeCursor(%q) = %v, want 400 invalid_cursor", s, err)
			}
			return
		}
		if c == nil {
			if s != "" {
				t.Fatalf("decodeCursor(%q) = nil without an error", s)
			}
			return
		}
		if c.Sort != Sort(sort) || !text.Storable(c.Name) {
			t.Fatalf("decodeCursor(%q, %q) accepted %+v", s, sort, c)
		}
		again, err := decodeCursor(c.encode(), c.Sort)
		if err != nil || again.Sort != c.Sort || again.Rank != c.Rank || !again.Updated.Equal(c.Updated) ||
			again.Name != c.Name || again.ID != c.ID {
			t.Fatalf("cursor %+v encodes to one that decodes to %+v, %v", c, again, err)
		}
	})
}

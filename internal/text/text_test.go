package text_test

import (
	"net/url"
	"testing"

	"github.com/hutong-gov/hutong/internal/text"
)

func TestPlain(t *testing.T) {
	for _, c := range []struct {
		s            string
		plain, lines bool
	}{
		{"", true, true},
		{"张三 Zhang", true, true},
		{"第一行\n第二行\t（续）\r\n", false, true},
		{"a\x00b", false, false},
		{"a\x1bb", false, false},
		{"a\x7fb", false, false},
		{"a\u0085b", false, false}, // C1 next line
		{"a\xffb", false, false},
		{"\xe5\xbc", false, false}, // cut off
		{"\ufffd", true, true},     // a replacement character sent as such
		{"\u2028", true, true},
		{"\ufffe", false, false}, // noncharacters, which excelize writes to XLSX as U+FFFD
		{"a\uffffb", false, false},
		{"\ufdd0", false, false},
		{"\ufdef", false, false},
		{"\U0001fffe", false, false},
		{"\U0010ffff", false, false},
		{"\ufdcf\ufdf0\ufffd\ufffc\U0001fffd\U0010fffd", true, true}, // next to them
	} {
		if got := text.Plain(c.s, false); got != c.plain {
			t.Errorf("Plain(%q, false) = %v, want %v", c.s, got, c.plain)
		}
		if got := text.Plain(c.s, true); got != c.lines {
			t.Errorf("Plain(%q, true) = %v, want %v", c.s, got, c.lines)
		}
	}
}

func TestLineFeeds(t *testing.T) {
	for s, want := range map[string]string{"": "", "一\n二": "一\n二", "一\r\n二": "一\n二", "一\r二": "一\n二",
		"一\r\r\n二\n\r": "一\n\n二\n\n", "\t一 ": "\t一 "} {
		if got := text.LineFeeds(s); got != want {
			t.Errorf("LineFeeds(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestStorable(t *testing.T) {
	for s, want := range map[string]bool{"": true, "用途\t说明\x01": true, "a\x00": false, "\xff": false, "\ufffd": true} {
		if got := text.Storable(s); got != want {
			t.Errorf("Storable(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestStorableURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"/api/v1/records/entries/1/subjects/110101199003070011?purpose=%E5%8A%9E%E4%BB%B6": true,
		"/api/v1/public/catalog/%FF%FE":                         false,
		"/api/v1/audit?subject_id=%FF":                          false,
		"/api/v1/audit?subject_id=a%00b":                        false,
		"/api/v1/audit?%FF=1":                                   false,
		"/api/v1/records/entries/1/subjects/%E4%B8%80%E5%8F%B7": true,
		"/api/v1/audit?subject_id=%E4%B8%80+%E5%8F%B7&purpose=": true,
		"/api/v1/audit?purpose=%zz":                             true, // refused before (auth's invalid_query), not here
		"/api/v1/audit?purpose=%zz&subject_id=%FF":              false,
		"/api/v1/audit?a=%E4%B8&b=%80":                          false, // a character cut in two by '&'
		"/api/v1/audit?a%E4=%B8%80":                             false, // or by '='
		"/api/v1/audit?a=1;b=%FF":                               false,
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := text.StorableURL(u); got != want {
			t.Errorf("StorableURL(%s) = %v, want %v", raw, got, want)
		}
	}
}

func TestHasFormat(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"", false},
		{"核验 case-1", false},
		{"办件受理号 2026-0001（低保复核）", false},
		{"\u2028", false}, // a line separator is Zl, not Cf (Plain's business)
		{"\u200b", true},  // zero-width space
		{"\ufeff", true},  // byte order mark
		{"\u202e123", true},
		{"核验\u2066", true}, // left-to-right isolate
		{"核验\u200d", true}, // zero-width joiner
		{"\u00ad", true},   // soft hyphen
		{"a\u200cb", true}, // zero-width non-joiner
		{"\U000e0001", true},
	} {
		if got := text.HasFormat(c.s); got != c.want {
			t.Errorf("HasFormat(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

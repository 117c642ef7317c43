package api_test

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/hutong-gov/hutong/internal/api"
	"github.com/hutong-gov/hutong/internal/records"
)

// TestOpenAPIRecordOpProducedAt: RecordOp.produced_at is described by the
// forms the platform reads (records.ParseTime), where it was format
// date-time, which refuses the documented YYYY-MM-DD HH:MM:SS; and the
// pattern takes what records.ParseTime takes, where it took a second of
// 60, hour 24 or month 13, which the server refuses; the white space
// around the time it trims (unicode.IsSpace, U+0085 too, U+FEFF not) and
// a run of spaces between date and time, spelt out in classes without
// \s, which Go's regexp here and a client's ECMA-262 read differently,
// where the pattern took \s around it and one space between; and the
// batch route lists every JSON-lines media type the handler accepts
// (application/jsonl among them), where it listed application/x-ndjson
// alone.
func TestOpenAPIRecordOpProducedAt(t *testing.T) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	schema := doc["components"].(map[string]any)["schemas"].(map[string]any)["RecordOp"].(map[string]any)
	pa := schema["properties"].(map[string]any)["produced_at"].(map[string]any)
	if pa["format"] != nil {
		t.Errorf("produced_at has format %v, which refuses YYYY-MM-DD HH:MM:SS", pa["format"])
	}
	pattern, _ := pa["pattern"].(string)
	re, err := regexp.Compile(pattern)
	if err != nil || pattern == "" {
		t.Fatalf("produced_at pattern %q: %v", pattern, err)
	}
	// Go's regexp checks the pattern here, ECMA-262's regular expressions
	// a client's validator: their \s differ (Go's is [\t\n\f\r ],
	// ECMA-262's adds \v, U+00A0, U+FEFF and the other space separators),
	// so the pattern spells out its white space in classes both read alike.
	if strings.Contains(pattern, `\s`) || strings.Contains(pattern, `\S`) {
		t.Errorf("produced_at pattern %q uses \\s, which Go and ECMA-262 read differently", pattern)
	}
	cases := []string{"2026-03-02T10:00:00+08:00", "2026-03-02T02:00:00Z", "2026-03-02T10:00:00.5+08:00", "2026-03-02 10:00:00",
		"2026-03-02T10:00:00", "2026-03-02 10:00", "2026-03-02", "2026/3/2 10:00", "2026-3-2", "10:00", "2026-03-02 10",
		"2026-03-02T10:00", "2026-03-02 10:00:00+08:00", "2026-03-02 10:00:00.5", " 2026-03-02 10:00:00 ", "2026-03-02T10:00:00+0800",
		// What time.Parse refuses: a second of 60 (no leap second), hour
		// 24, minute 60, month 13, day 32 (a day the month lacks, 02-29 in
		// 2026, the pattern leaves to the description); and what it takes:
		// a one-digit hour, a comma before the fraction; an offset of at
		// most 24 hours with minutes 00 to 59 (calendar.ParseRFC3339
		// refuses +08:60 and +24:01, which time.Parse takes).
		"2026-03-02T10:00:60Z", "2026-03-02 10:00:60", "2026-03-02T23:59:60+08:00", "2026-03-02T24:00:00Z", "2026-03-02 24:00",
		"2026-03-02 10:60", "2026-13-02", "2026-00-02", "2026-03-00", "2026-03-32", "2024-02-29",
		"2026-03-02 9:05", "2026-03-02T9:05:00Z", "2026-03-02 10:5", "2026-03-02 10:00:00,5", "2026-03-02T10:00:00,5Z",
		"2026-03-02T10:00:00+24:00", "2026-03-02T10:00:00+25:00", "2026-03-02T10:00:00+08:60", "2026-03-02T10:00:00+08:99",
		"2026-03-02T10:00:00-23:59", "2026-03-02T10:00:00+24:01", "2026-03-02T10:00:00-24:60", "2026-03-02T10:00:00-24:00",
		// Spaces between the date and the time: a run of them, as
		// time.Parse takes it, but no other white space.
		"2026-03-02  10:00:00", "2026-03-02   10:00", "2026-03-02  10:00:00.5", "2026-03-02\t10:00", "2026-03-02\u00a010:00",
		"2026-03-02 \u300010:00", "2026-03-02T10:00:00 Z",
		// Around it, what strings.TrimSpace trims (unicode.IsSpace) and
		// no more: U+FEFF, which an ECMA-262 \s matches, is refused, and
		// U+0085, which it does not match, trimmed.
		"\ufeff2026-03-02", "2026-03-02\ufeff", "2026-03-02\u180e", "\u200b2026-03-02"}
	for r := rune(0); r <= 0x3000; r++ {
		if unicode.IsSpace(r) {
			cases = append(cases, string(r)+"2026-03-02 10:00"+string(r), "2026-03-02"+string(r)+string(r))
		}
	}
	for _, s := range cases {
		_, perr := records.ParseTime(s)
		if re.MatchString(s) != (perr == nil) {
			t.Errorf("%q: pattern matches %v, ParseTime reads it %v", s, re.MatchString(s), perr == nil)
		}
	}
	if desc, _ := pa["description"].(string); !strings.Contains(desc, ":60") || !strings.Contains(desc, "2026-02-29") {
		t.Errorf("produced_at's description does not say a second of 60 and a day the month lacks are refused: %q", desc)
	}
	body := doc["paths"].(map[string]any)["/api/v1/records/entries/{id}/batches"].(map[string]any)["post"].(map[string]any)["requestBody"].(map[string]any)
	content := body["content"].(map[string]any)
	for _, ct := range []string{"application/x-ndjson", "application/jsonl", "application/jsonlines", "application/x-jsonlines", "text/csv"} {
		if content[ct] == nil {
			t.Errorf("batch request body does not list %s", ct)
		}
	}
}

package text_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/text"
)

func TestBadJSON(t *testing.T) {
	for _, c := range []struct {
		doc   string
		bad   bool
		field string
	}{
		{`{"name":"张三"}`, false, ""},
		{`{"name":"\ud83d\ude00 \u00e9 \\ud800 \"\\\ud83d\ude00"}`, false, ""}, // a pair; an escaped backslash before "ud800"
		{`{"name":"\ufffd"}`, false, ""},                                       // a replacement character sent as such
		{"{\"name\":\"abc\xff\"}", true, "name"},
		{"{\"op\":\"add\",\"values\":{\"签发机关\":\"\xc3\x28\"}}", true, "values.签发机关"},
		{`{"values":{"a":"x","签发机关":"\ud800"}}`, true, "values.签发机关"},
		{`{"name":"\udc00\ud800"}`, true, "name"},
		{`{"name":"\ud800\u0041"}`, true, "name"},
		{`{"name":"\ud800`, true, "name"},
		{`{"items":[{"name":"a"},{"name":"b"},{"x":1,"name":"\ud83d"}]}`, true, "items[2].name"},
		{`{"items":[[],"\udfff"]}`, true, "items[1]"},
		{"{\"values\":{\"签发\xff\":\"x\"}}", true, "values"},
		{"{\"n\xff\":1}", true, ""},
		{"\"\xff\"", true, ""},
	} {
		field, bad := text.BadJSON([]byte(c.doc))
		if bad != c.bad || field != c.field {
			t.Errorf("BadJSON(%q) = %q, %v, want %q, %v", c.doc, field, bad, c.field, c.bad)
		}
		// What it refuses is what encoding/json would change.
		var v any
		if err := json.Unmarshal([]byte(c.doc), &v); err == nil && !c.bad {
			if b, _ := json.Marshal(v); strings.Contains(string(b), "\ufffd") != strings.Contains(c.doc, `\ufffd`) {
				t.Errorf("%q decodes to %s", c.doc, b)
			}
		}
	}
}

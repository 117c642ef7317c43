package errs_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
)

type keysInner struct {
	Name   string `json:"name"`
	Length int    `json:"length,omitempty"`
}

type keysBase struct {
	Abstract string `json:"abstract"`
	Name     string `json:"base_name"`
}

type keysSelf struct{ v string }

func (s *keysSelf) UnmarshalJSON(b []byte) error { s.v = string(b); return nil }

type keysDoc struct {
	keysBase
	Code     string            `json:"code"`
	Plain    string            // no tag: its Go name
	Skipped  string            `json:"-"`
	Items    []keysInner       `json:"items"`
	Ptr      *keysInner        `json:"ptr"`
	Values   map[string]string `json:"values"`
	Free     any               `json:"free"`
	Self     keysSelf          `json:"self"`
	Raw      json.RawMessage   `json:"raw"`
	At       time.Time         `json:"at"`
	internal string
}

// TestJSONKeys: the keys encoding/json would read into a field they do not
// name exactly (another case, escapes read as the text they encode) or a
// second time are listed in the document's order by path, in structs at
// any depth, embedded ones' fields included; repeated keys of maps and of
// values of no type too; the keys of a type that reads itself and of a
// value of an unknown key are not read; nothing is listed for a document
// that is not valid JSON.
func TestJSONKeys(t *testing.T) {
	doc := reflect.TypeFor[keysDoc]()
	for _, c := range []struct{ in, want string }{
		{`{"code":"a","abstract":"b","base_name":"c","Plain":"d","items":[{"name":"x","length":1}],"ptr":{"name":"y"},` +
			`"values":{"a":"1","A":"2"},"free":{"a":{"b":1}},"self":{"x":1,"x":2},"raw":{"y":1,"y":2},"at":"2026-01-01T00:00:00Z"}`, ""},
		{`{"Code":"a"}`, "unknown Code"},
		{`{"CODE":"a","code":"b"}`, "unknown CODE"},
		{`{"plain":"d"}`, "unknown plain"},
		{`{"Skipped":"x","internal":"y","keysBase":{}}`, "unknown Skipped, unknown internal, unknown keysBase"},
		{`{"code":"a","code":"b"}`, "repeated code"},
		{`{"code":"a","c\u006fde":"b"}`, "repeated code"},
		{`{"items":[{"name":"x"},{"Name":"y","length":1,"length":2}]}`, "unknown items[1].Name, repeated items[1].length"},
		{`{"ptr":{"NAME":"y"}}`, "unknown ptr.NAME"},
		{`{"values":{"姓名":"1","姓\u540d":"2"}}`, "repeated in map values.姓名"},
		{`{"free":[{"a":1,"a":2}]}`, "repeated in map free[0].a"},
		{`{"nope":{"Name":1,"Name":2},"code":"x"}`, "unknown nope"},
		{`{"code":"a","code":`, ""},
		{`{"code":"a"} {"code":"b"}`, ""},
		{`[{"name":"x"}]`, ""},
	} {
		var got []string
		issues, _ := errs.JSONKeys([]byte(c.in), doc)
		for _, k := range issues {
			switch {
			case k.Repeated && k.InMap:
				got = append(got, "repeated in map "+k.Path)
			case k.Repeated:
				got = append(got, "repeated "+k.Path)
			default:
				got = append(got, "unknown "+k.Path)
			}
		}
		if g := strings.Join(got, ", "); g != c.want {
			t.Errorf("%s: %q, want %q", c.in, g, c.want)
		}
	}
	// internal is listed as unknown because encoding/json leaves it unread.
	var d keysDoc
	if err := json.Unmarshal([]byte(`{"internal":"y"}`), &d); err != nil || d.internal != "" {
		t.Errorf("encoding/json read the unexported field: %q, %v", d.internal, err)
	}
	if got, _ := errs.JSONKeys([]byte(`[{"name":"x","Name":"y"}]`), reflect.TypeFor[[]keysInner]()); fmt.Sprint(got) != "[{[0].Name Name false false}]" {
		t.Errorf("array of structs: %v", got)
	}
}

// TestCheckJSONKeys: the first issue is refused, unknown_field as
// encoding/json's unknown field is, duplicate_field naming the key, in
// Chinese.
func TestCheckJSONKeys(t *testing.T) {
	doc := reflect.TypeFor[*keysDoc]()
	for in, want := range map[string]string{
		`{"Code":"a","code":"a","code":"b"}`: "unknown_field Code 未知字段：Code",
		`{"code":"a","code":"b","Code":"c"}`: "duplicate_field code 字段“code”出现了不止一次",
		`{"values":{"a":"1","a":"2"}}`:       "duplicate_field values.a 键“a”在同一个 JSON 对象中出现了不止一次",
	} {
		e := errs.As(errs.CheckJSONKeys([]byte(in), doc))
		if e == nil || !strings.HasPrefix(e.Code+" "+e.Field+" "+e.Message, want) {
			t.Errorf("%s: %+v, want %s", in, e, want)
		}
	}
	if err := errs.CheckJSONKeys([]byte(`{"code":"a"}`), doc); err != nil {
		t.Errorf("exact keys: %v", err)
	}
}

// TestJSONKeysMany: of an object of 100,000 keys its struct names none of,
// the first MaxKeyIssues are listed, in order, and the others counted, not
// made an issue each; in a map of 100,000 keys a key given again is found
// whether it repeats the first or a late one, and one given only once is
// not; in an object of more keys than keySet holds in its array, a key
// repeated from before the map took over and one from after are found.
func TestJSONKeysMany(t *testing.T) {
	issues, more := errs.JSONKeys(manyKeys(100000), reflect.TypeFor[keysInner]())
	if len(issues) != errs.MaxKeyIssues || more != 100000-errs.MaxKeyIssues ||
		issues[0].Path != "k0" || issues[len(issues)-1].Path != "k"+strconv.Itoa(errs.MaxKeyIssues-1) {
		t.Errorf("100k unknown keys: %d issues (%v … %v), %d more; want %d, k0 … k%d, %d more", len(issues), issues[0], issues[len(issues)-1], more,
			errs.MaxKeyIssues, errs.MaxKeyIssues-1, 100000-errs.MaxKeyIssues)
	}
	for _, c := range []struct {
		n     int
		extra []string
		want  string
	}{
		{100000, []string{"k0", "k99998", "x"}, "[{k0 k0 true true} {k99998 k99998 true true}] 0"},
		{100000, []string{"x", "y"}, "[] 0"},
		{9, []string{"k3", "k8", "k9", "k9"}, "[{k3 k3 true true} {k8 k8 true true} {k9 k9 true true}] 0"},
	} {
		issues, more := errs.JSONKeys(manyKeys(c.n, c.extra...), reflect.TypeFor[map[string]int]())
		if got := fmt.Sprint(issues, " ", more); got != c.want {
			t.Errorf("%d keys, then %v: %s, want %s", c.n, c.extra, got, c.want)
		}
	}
}

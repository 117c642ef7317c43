package errs

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

// TestJSON: the decoder's errors read in Chinese, with the codes the API
// documents, and never name a Go type or repeat encoding/json's English.
func TestJSON(t *testing.T) {
	type op struct {
		Op     string            `json:"op"`
		N      int64             `json:"n"`
		Values map[string]string `json:"values"`
	}
	for _, c := range []struct {
		in, code, field, msg string
	}{
		{`[]`, "invalid_type", "", "JSON 的类型应为对象，实为数组"},
		{`"x"`, "invalid_type", "", "JSON 的类型应为对象，实为字符串"},
		{`{"op":1}`, "invalid_type", "op", "字段 op 的类型应为字符串，实为数字"},
		{`{"n":"1"}`, "invalid_type", "n", "字段 n 的类型应为整数，实为字符串"},
		{`{"n":1.5}`, "invalid_type", "n", "字段 n 的类型应为整数，实为小数"},
		{`{"values":[]}`, "invalid_type", "values", "字段 values 的类型应为对象，实为数组"},
		{`{"op":"a",}`, "malformed_json", "", "JSON 格式错误（第 11 字节附近）"},
		{`garbage`, "malformed_json", "", "JSON 格式错误（第 1 字节附近）"},
		{`{"x":1}`, "unknown_field", "x", "未知字段：x"},
		{`{"op":`, "malformed_json", "", "JSON 格式错误"},
	} {
		dec := json.NewDecoder(strings.NewReader(c.in))
		dec.DisallowUnknownFields()
		var v op
		err := dec.Decode(&v)
		if err == nil {
			t.Fatalf("%s: decoded", c.in)
		}
		e := JSONIn(err, []byte(c.in))
		if e.Kind != Invalid || e.Code != c.code || e.Field != c.field || e.Message != c.msg {
			t.Errorf("%s: got %v %q %q %q, want invalid %q %q %q", c.in, e.Kind, e.Code, e.Field, e.Message, c.code, c.field, c.msg)
		}
		for _, leak := range []string{"Go", "json:", "errs.", "main.", "unmarshal", "invalid character"} {
			if strings.Contains(e.Message, leak) {
				t.Errorf("%s: message %q contains %q", c.in, e.Message, leak)
			}
		}
	}
}

// TestCSV: encoding/csv's errors read in Chinese.
func TestCSV(t *testing.T) {
	for in, want := range map[string]string{
		"a,b\n1,x\"y\n":   `未加引号的字段中有引号（"），含引号的字段应整个放在引号中，其中的引号写成两个（""）`,
		"a,b\n1,\"xy\n":   `引号（"）不成对：加引号的字段没有结束，或其中的引号没有写成两个（""）`,
		"a,b\n1,2,3\n":    "该行的列数与表头不同",
		"a,b\n1,\"x\"y\n": `引号（"）不成对：加引号的字段没有结束，或其中的引号没有写成两个（""）`,
	} {
		_, err := csv.NewReader(strings.NewReader(in)).ReadAll()
		if err == nil {
			t.Fatalf("%q: read", in)
		}
		if got := CSV(err); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// TestJSONEmbeddedField: the Go name of an embedded struct is not part of
// the field named.
func TestJSONEmbeddedField(t *testing.T) {
	type Resource struct {
		Name string `json:"name"`
	}
	type line struct {
		Resource
		Items []string `json:"items"`
	}
	var l line
	data := []byte(`{"name":1}`)
	err := json.Unmarshal(data, &l)
	if e := JSONIn(err, data); e.Field != "name" || e.Message != "字段 name 的类型应为字符串，实为数字" {
		t.Errorf("got %q %q", e.Field, e.Message)
	}
}

// TestJSONPath: a value of the wrong type is named by its JSON path, never
// with the Go name of an embedded struct, capitalised or not (entryPut, as
// the API's entryCreate embeds it), and JSONIn keeps the indices of arrays
// that encoding/json leaves out (items.length for items[1].length). A map's
// value is named by the map, as encoding/json names it.
func TestJSONPath(t *testing.T) {
	type item struct {
		Name   string `json:"name"`
		Length int    `json:"length"`
	}
	type Meta struct {
		Tags []string `json:"tags"`
	}
	type entryPut struct {
		Meta
		Name          string         `json:"name"`
		SecurityLevel int            `json:"security_level"`
		Items         []item         `json:"items"`
		Grid          [][]item       `json:"grid"`
		Values        map[string]int `json:"values"`
	}
	type entryCreate struct {
		entryPut
		DepartmentID int64 `json:"department_id"`
	}
	for _, c := range []struct {
		in, field, fieldNoData string
	}{
		{`{"security_level":"3"}`, "security_level", "security_level"},
		{`{"name":"a", "security_level": "3", "items":[]}`, "security_level", "security_level"},
		{`{"department_id":"1"}`, "department_id", "department_id"},
		{`{"items":[{"name":"a","length":1},{"name":"b","length":"18"}]}`, "items[1].length", "items.length"},
		{`{"items":[{"name":"a"}, {"name":"b"}, {"name":3}]}`, "items[2].name", "items.name"},
		{`{"items":[{"name":"a"},[]]}`, "items[1]", "items"},
		{`{"items":{"name":"a"}}`, "items", "items"},
		{`{"items":[{"name":"a","x":{"y":[1,2]}},{"length":true}]}`, "items[1].length", "items.length"},
		{`{"tags":["a",{"b":1},"c",2]}`, "tags[1]", "tags"},
		{`{"grid":[[],[{"name":"a"},{"length":"x"}]]}`, "grid[1][1].length", "grid.length"},
		{`{"ITEMS":[{},{"Length":"x"}]}`, "ITEMS[1].Length", "items.length"},
		{`{"values":{"a":1,"b":"2"}}`, "values", "values"},
		{`{"name":"x"}  {"name":1}`, "name", "name"},
		{`[1]`, "", ""},
	} {
		data := []byte(c.in)
		dec := json.NewDecoder(bytes.NewReader(data))
		var v entryCreate
		err := dec.Decode(&v)
		if err == nil && strings.Contains(c.in, "}  {") {
			err = dec.Decode(&v)
			data = data[len(`{"name":"x"}`):]
		}
		if err == nil {
			t.Fatalf("%s: decoded", c.in)
		}
		for _, got := range []struct {
			e    *Error
			want string
		}{{JSONIn(err, data), c.field}, {JSONIn(err, nil), c.fieldNoData}} {
			e := got.e
			if e.Code != "invalid_type" || e.Field != got.want {
				t.Errorf("%s: field %q code %s, want %q", c.in, e.Field, e.Code, got.want)
			}
			if strings.Contains(e.Message, "entryPut") || strings.Contains(e.Message, "Meta") ||
				(e.Field != "" && !strings.Contains(e.Message, "字段 "+e.Field+" ")) {
				t.Errorf("%s: message %q", c.in, e.Message)
			}
		}
	}
}

// TestJSONCapitalKey: a key holding a capital letter (userId) is named as
// data writes it, also beneath an embedded struct; encoding/json's path
// alone (no data) cannot tell it from a Go name and drops it.
func TestJSONCapitalKey(t *testing.T) {
	type Meta struct {
		OwnerID int `json:"ownerId"`
	}
	type req struct {
		Meta
		UserID int `json:"userId"`
		Items  []struct {
			MaxLen int `json:"maxLen"`
		} `json:"items"`
	}
	for _, c := range []struct{ in, field, fieldNoData string }{
		{`{"userId":"7"}`, "userId", ""},
		{`{"ownerId":true}`, "ownerId", ""},
		{`{"items":[{},{"maxLen":"x"}]}`, "items[1].maxLen", "items"},
	} {
		data := []byte(c.in)
		var v req
		err := json.Unmarshal(data, &v)
		if err == nil {
			t.Fatalf("%s: decoded", c.in)
		}
		if e := JSONIn(err, data); e.Code != "invalid_type" || e.Field != c.field || !strings.Contains(e.Message, "字段 "+c.field+" ") {
			t.Errorf("%s: got %q %q, want field %q", c.in, e.Field, e.Message, c.field)
		}
		if e := JSONIn(err, nil); e.Field != c.fieldNoData {
			t.Errorf("%s without data: field %q, want %q", c.in, e.Field, c.fieldNoData)
		}
	}
}

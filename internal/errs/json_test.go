package errs

import (
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
		e := JSON(err)
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
	err := json.Unmarshal([]byte(`{"name":1}`), &l)
	if e := JSON(err); e.Field != "name" || e.Message != "字段 name 的类型应为字符串，实为数字" {
		t.Errorf("got %q %q", e.Field, e.Message)
	}
}

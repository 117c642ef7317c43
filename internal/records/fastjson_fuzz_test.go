package records

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// decodeSlow is jsonLines.Next's encoding/json path for one line: one
// object, no unknown field, nothing after it, then WireOp.Parse.
func decodeSlow(b []byte) (Op, error) {
	var w WireOp
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Op{}, err
	}
	if dec.InputOffset() != int64(len(b)) {
		return Op{}, errTrailing
	}
	return w.Parse()
}

var errTrailing = &LineError{Code: "malformed_json"}

// FuzzDecodeFast is a differential check of the JSON lines fast path
// against encoding/json: whenever decodeFast takes a line (trimmed and not
// empty, as jsonLines.Next gives it), encoding/json reads the same
// operation, or refuses it with the same code and message; a line it
// declines is left to encoding/json, so nothing is asked of it then.
func FuzzDecodeFast(f *testing.F) {
	for _, s := range []string{
		`{"op":"add","subject_id":"110101199003070011","produced_at":"2026-03-02T10:00:00+08:00","key":"k1","values":{"姓名":"张三","地址":""}}`,
		`{"op":"change","subject_id":"91350100M000100Y43","produced_at":"2026-03-02 10:00:00","values":{"企业名称":"福州市鼓楼区某某贸易有限公司","注册资本":"100.50"}}`,
		` { "op" : "cancel" , "subject_id":"x", "values" : { } } `,
		`{"op":"add","produced_at":"yesterday"}`,
		`{"op":"add","op":"change","values":{"a":"1","a":"2"}}`,
		`{"op":"add","values":{"a":"1"},"values":{"b":"2"}}`,
		`{"op":"add","values":{"n":1,"b":true,"z":null}}`,
		`{"OP":"add","ſubject_id":"x"}`,
		`{"op":"a\"dd"} `,
		"{\"op\":\"a\xffdd\"}",
		"{\"op\":\"add\"}\t{}",
		`{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			return
		}
		var fast Op
		ok, ferr := decodeFast(b, &fast)
		if !ok {
			return
		}
		slow, serr := decodeSlow(b)
		switch {
		case serr == nil && ferr == nil:
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("%q: fast path read %+v, encoding/json %+v", b, fast, slow)
			}
		case serr == nil || ferr == nil:
			t.Fatalf("%q: fast path error %v, encoding/json error %v", b, ferr, serr)
		default:
			if fe, se := lineErr(1, ferr), lineErr(1, serr); fe != se {
				t.Fatalf("%q: fast path refused with %+v, encoding/json with %+v", b, fe, se)
			}
		}
	})
}

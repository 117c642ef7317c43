package records

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// decodeStd is the encoding/json path of jsonLines.Next.
func decodeStd(b []byte) (Op, error) {
	var w WireOp
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Op{}, err
	}
	return w.Parse()
}

func TestDecodeFastMatchesEncodingJSON(t *testing.T) {
	lines := []string{
		`{"op":"add","subject_id":"110101199003070011","produced_at":"2026-03-02T10:00:00+08:00","key":"k1","values":{"姓名":"张三","地址":""}}`,
		` { "op" : "change" , "subject_id":"x", "values" : { } } `,
		`{"op":"cancel","subject_id":"x","produced_at":"2026-03-02T10:00:00Z"}`,
		`{}`,
		`{"op":"add","produced_at":"yesterday"}`,
	}
	// A name repeated is left to encoding/json (WireOp.UnmarshalJSON),
	// which reads the whole line first.
	fallback := []string{
		`{"op":"add","op":"change"}`,
		`{"op":"add","values":{"a":"1","a":"2"}}`,
		`{"op":"add","values":{"a":"1"},"values":{"b":"2"}}`,
		`{"produced_at":"","produced_at":`,
		`{"op":"add","values":{"n":1}}`,
		`{"op":"add","values":{"b":true}}`,
		`{"op":"add","values":null}`,
		`{"OP":"add"}`,
		`{"op":"a\"dd"}`,
		`{"op":"add","extra":"x"}`,
		`{"op":"add"} trailing`,
		"{\"op\":\"a\xffdd\"}",
		"{\"op\":\"a\x01dd\"}",
		`{"op":"add"`,
		`[1]`,
	}
	for _, l := range lines {
		var fast Op
		ok, ferr := decodeFast([]byte(l), &fast)
		if !ok {
			t.Errorf("%s: fast path declined", l)
			continue
		}
		std, serr := decodeStd([]byte(l))
		if (ferr == nil) != (serr == nil) || (ferr != nil && ferr.Error() != serr.Error()) {
			t.Errorf("%s: errors differ: %v / %v", l, ferr, serr)
		}
		if ferr == nil && !reflect.DeepEqual(fast, std) {
			t.Errorf("%s: %+v, encoding/json %+v", l, fast, std)
		}
	}
	for _, l := range fallback {
		var op Op
		if ok, _ := decodeFast([]byte(l), &op); ok {
			t.Errorf("%s: fast path should decline", l)
		}
	}
}

// TestEncodeVals: the direct encoding is byte for byte encoding/json's.
func TestEncodeVals(t *testing.T) {
	for _, v := range []map[string]string{
		nil,
		{"姓名": "张三"},
		{"姓名": "张三", "出生日期": "1990-01-01", "户籍地址": "佛山市南海区桂城街道1号", "a": "", "Z": "x"},
		{"引号": `他说"是"`, "反斜杠": `C:\dir`, "换行": "一\n二", "制表": "\t", "控制": "\x01"},
		{"html": "<b>&</b>", "分隔": "行\u2028段\u2029", "e2": "\xe2\x80", "坏": "\xff\xfe", "半个": "\xe4\xb8"},
		{"<键>": "值", "键\"": "值"},
	} {
		got, err := encodeVals(v)
		if err != nil {
			t.Fatal(err)
		}
		want := "{}"
		if len(v) > 0 {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			want = string(b)
		}
		if got != want {
			t.Errorf("encodeVals(%q) = %s, want %s", v, got, want)
		}
	}
}

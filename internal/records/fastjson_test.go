package records

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// decodeStd is the encoding/json path of jsonLines.Next.
func decodeStd(b []byte) (Op, error) {
	var w wireOp
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Op{}, err
	}
	var op Op
	err := w.to(&op)
	return op, err
}

func TestDecodeFastMatchesEncodingJSON(t *testing.T) {
	lines := []string{
		`{"op":"add","subject_id":"110101199003070011","produced_at":"2026-03-02T10:00:00+08:00","key":"k1","values":{"姓名":"张三","地址":""}}`,
		` { "op" : "change" , "subject_id":"x", "values" : { } } `,
		`{"op":"cancel","subject_id":"x","produced_at":"2026-03-02T10:00:00Z"}`,
		`{}`,
		`{"op":"add","op":"change"}`,
		`{"op":"add","produced_at":"yesterday"}`,
		`{"op":"add","values":{"a":"1","a":"2"}}`,
	}
	fallback := []string{
		`{"op":"add","values":{"n":1}}`,
		`{"op":"add","values":{"b":true}}`,
		`{"op":"add","values":null}`,
		`{"OP":"add"}`,
		`{"op":"a\"dd"}`,
		`{"op":"add","extra":"x"}`,
		`{"op":"add"} trailing`,
		"{\"op\":\"a\xffdd\"}",
		"{\"op\":\"a\x01dd\"}",
		`{"op":"add","values":{"a":"1"},"values":{"b":"2"}}`,
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

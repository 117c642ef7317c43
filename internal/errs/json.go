package errs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// JSONIn turns an error of encoding/json's decoder, decoding data (from
// its start; the part the decoder read is enough), into an Invalid error
// with a stable code and a Chinese message that names no Go type: a
// syntax error (malformed_json, with the byte offset), a value of the
// wrong JSON type (invalid_type, naming the field and the type wanted),
// an unknown field (unknown_field). Any other error reads as malformed
// JSON. Errors that are not about the input (a body too large, a read
// that failed) are the caller's to tell apart first.
//
// A value of the wrong type is named by its path in data, keys as data
// writes them (userId, ITEMS) and array indices included
// (items[1].length), which encoding/json leaves out (items.length). Only
// where that path cannot be found (no data, or a value of a type that
// decodes itself) is it named by encoding/json's path without its Go
// names of embedded structs (jsonPath), which drops a key holding a
// capital letter too: pass the data decoded.
func JSONIn(err error, data []byte) *Error {
	var ute *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &ute):
		want := jsonTypeName(ute.Type)
		field, ok := jsonPathAt(data, ute)
		if !ok {
			field = jsonPath(ute.Field)
		}
		if field == "" {
			return E(Invalid, "invalid_type", fmt.Sprintf("JSON 的类型应为%s，实为%s", want, jsonValueName(ute.Value)))
		}
		return Field(field, "invalid_type", fmt.Sprintf("字段 %s 的类型应为%s，实为%s", field, want, jsonValueName(ute.Value)))
	case errors.As(err, &se):
		return E(Invalid, "malformed_json", fmt.Sprintf("JSON 格式错误（第 %d 字节附近）", se.Offset))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Field(f, "unknown_field", "未知字段："+f)
	}
	return E(Invalid, "malformed_json", "JSON 格式错误")
}

// jsonPath is the path of JSON names of an UnmarshalTypeError's Field,
// without the Go names of embedded structs that encoding/json puts in it
// ("Resource.name" for name of an embedded Resource, "entryPut.name" for
// one of an embedded entryPut): the API's JSON names are never Go
// identifiers with a capital letter, which every embedded struct's name
// but an all lower-case one is. It is what an error without its input
// can be named by; jsonPathAt finds the path in the input.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	out := parts[:0]
	for _, p := range parts {
		if goCamelCase(p) {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, ".")
}

// goCamelCase reports whether s is an ASCII identifier with a capital
// letter (Resource, entryPut).
func goCamelCase(s string) bool {
	upper := false
	for i, c := range []byte(s) {
		switch {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z', c == '_', c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return upper
}

// jsonPathAt returns the path in data of the value ute is about: object
// keys as written in data, joined by dots, and array indices (a[1].b).
// encoding/json reports the offset just past the value (a string or a
// number) or its opening bracket or brace (an array or object); the path
// is that of the first value whose token ends there or beyond. It is
// taken only when ute's Field names its keys in order, case ignored as
// encoding/json ignores it, with at most the names of embedded structs
// between them; otherwise (a value of a type that decodes itself, whose
// offsets are its own, or no data) ok is false.
func jsonPathAt(data []byte, ute *json.UnmarshalTypeError) (path string, ok bool) {
	if len(data) == 0 {
		return "", false
	}
	type frame struct {
		array   bool
		index   int    // of the array's next element
		key     string // of the object's value being read
		haveKey bool
	}
	var stack []*frame
	done := func() { // a value of the top container was read
		if len(stack) == 0 {
			return
		}
		if top := stack[len(stack)-1]; top.array {
			top.index++
		} else {
			top.haveKey = false
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		d, delim := tok.(json.Delim)
		if delim && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			done()
			continue
		}
		if n := len(stack); n > 0 && !stack[n-1].array && !stack[n-1].haveKey {
			stack[n-1].key, stack[n-1].haveKey = tok.(string), true
			continue
		}
		if dec.InputOffset() >= ute.Offset {
			var b strings.Builder
			var keys []string
			for _, f := range stack {
				if f.array {
					fmt.Fprintf(&b, "[%d]", f.index)
					continue
				}
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
				keys = append(keys, f.key)
			}
			if !fieldHolds(ute.Field, keys) {
				return "", false
			}
			return b.String(), true
		}
		if delim {
			stack = append(stack, &frame{array: d == '['})
			continue
		}
		done()
	}
}

// fieldHolds reports whether the dotted field of an UnmarshalTypeError is
// keys, in order and case ignored, but for Go identifiers (the names of
// embedded structs) among them.
func fieldHolds(field string, keys []string) bool {
	parts := strings.Split(field, ".")
	if field == "" {
		parts = nil
	}
	i := 0
	for _, p := range parts {
		switch {
		case i < len(keys) && strings.EqualFold(p, keys[i]):
			i++
		case !goIdentifier(p):
			return false
		}
	}
	return i == len(keys)
}

// goIdentifier reports whether s is an ASCII Go identifier.
func goIdentifier(s string) bool {
	for i, c := range []byte(s) {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c >= '0' && c <= '9' && i > 0) {
			return false
		}
	}
	return s != ""
}

// jsonTypeName names the JSON type a Go type is decoded from.
func jsonTypeName(t reflect.Type) string {
	if t == nil {
		return "其他类型"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "字符串"
	case reflect.Bool:
		return "逻辑值（true / false）"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "整数"
	case reflect.Float32, reflect.Float64:
		return "数字"
	case reflect.Slice, reflect.Array:
		return "数组"
	case reflect.Map, reflect.Struct:
		return "对象"
	}
	return "其他类型"
}

// jsonValueName names the kind of JSON value encoding/json reports in
// UnmarshalTypeError.Value ("string", "number", "number 1.5", "array"…).
func jsonValueName(v string) string {
	kind, num, _ := strings.Cut(v, " ")
	switch kind {
	case "string":
		return "字符串"
	case "number":
		if f, err := strconv.ParseFloat(num, 64); err == nil && f != math.Trunc(f) {
			return "小数" // 1.5 where an integer is wanted
		}
		return "数字"
	case "bool":
		return "逻辑值"
	case "array":
		return "数组"
	case "object":
		return "对象"
	case "null":
		return "null"
	}
	return "其他类型"
}

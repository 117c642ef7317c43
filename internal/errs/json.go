package errs

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// JSON turns an error of encoding/json's decoder into an Invalid error
// with a stable code and a Chinese message that names no Go type: a
// syntax error (malformed_json, with the byte offset), a value of the
// wrong JSON type (invalid_type, naming the field and the type wanted),
// an unknown field (unknown_field). Any other error reads as malformed
// JSON. Errors that are not about the input (a body too large, a read
// that failed) are the caller's to tell apart first.
func JSON(err error) *Error {
	var ute *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &ute):
		want := jsonTypeName(ute.Type)
		ute.Field = jsonPath(ute.Field)
		if ute.Field == "" {
			return E(Invalid, "invalid_type", fmt.Sprintf("JSON 的类型应为%s，实为%s", want, jsonValueName(ute.Value)))
		}
		return Field(ute.Field, "invalid_type", fmt.Sprintf("字段 %s 的类型应为%s，实为%s", ute.Field, want, jsonValueName(ute.Value)))
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
// ("Resource.name" for name of an embedded Resource): the API's JSON
// names are never capitalised.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	out := parts[:0]
	for _, p := range parts {
		if p != "" && p[0] >= 'A' && p[0] <= 'Z' {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, ".")
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

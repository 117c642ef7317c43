package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
)

// TestDecodeTrailing refuses anything but white space after the object,
// a closing bracket or brace as much as a second value.
func TestDecodeTrailing(t *testing.T) {
	for _, tt := range []struct {
		body string
		ok   bool
	}{
		{`{"a":1}`, true},
		{"{\"a\":1}   \n", true},
		{`{"a":1}}`, false},
		{`{"a":1}]`, false},
		{`{"a":1} {}`, false},
		{`{"a":1} x`, false},
	} {
		var v struct {
			A int `json:"a"`
		}
		err := decode([]byte(tt.body), &v)
		if tt.ok {
			if err != nil || v.A != 1 {
				t.Errorf("body %q: got %+v, %v, want a 1 and no error", tt.body, v, err)
			}
			continue
		}
		e := errs.As(err)
		if e == nil || e.Kind != errs.Invalid || e.Code != "malformed_json" || e.Message != "请求体只能包含一个 JSON 对象" {
			t.Errorf("body %q: got %v, want malformed_json 请求体只能包含一个 JSON 对象", tt.body, err)
		}
	}
}

// TestDecodeBOM: one UTF-8 byte order mark before the object, which
// Windows Notepad and PowerShell write, is skipped, as JSON Lines batches
// skip it; it was refused as malformed_json. A second one, or one after
// white space, is still malformed.
func TestDecodeBOM(t *testing.T) {
	for _, tt := range []struct {
		body string
		ok   bool
	}{
		{"\ufeff{\"a\":1}", true},
		{"\ufeff {\"a\":1}\n", true},
		{"\ufeff\ufeff{\"a\":1}", false},
		{" \ufeff{\"a\":1}", false},
		{"\ufeff", false},
	} {
		var v struct {
			A int `json:"a"`
		}
		err := decode([]byte(tt.body), &v)
		if tt.ok {
			if err != nil || v.A != 1 {
				t.Errorf("body %q: got %+v, %v, want a 1 and no error", tt.body, v, err)
			}
			continue
		}
		if e := errs.As(err); e == nil || e.Kind != errs.Invalid {
			t.Errorf("body %q: got %v, want a refusal", tt.body, err)
		}
	}
}

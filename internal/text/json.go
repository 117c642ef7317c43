package text

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// BadJSONText says what BadJSON finds, after the name of what holds it.
const BadJSONText = "含有无效的 UTF-8 字节或不成对的 \\uD800–\\uDFFF 转义"

// BadJSONLine is the reason a line of a JSON-lines file is refused for
// BadJSON's field: the field's path, or the line for "".
func BadJSONLine(field string) string {
	if field == "" {
		return "该行" + BadJSONText
	}
	return "字段 " + field + " " + BadJSONText
}

// BadJSON reports whether the JSON document b holds text that
// encoding/json would silently replace with U+FFFD: a byte that is not
// UTF-8, or an escaped UTF-16 surrogate (\ud800 to \udfff) that is not
// half of a pair. field is the path of the string that holds it
// (values.姓名, items[2].name), or that of the object whose member name
// holds it; "" for the document itself. A document without escapes costs
// one utf8.Valid.
func BadJSON(b []byte) (field string, bad bool) {
	if bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
		return "", false
	}
	off := badJSONOffset(b)
	if off < 0 {
		return "", false
	}
	return jsonPathAt(b, off), true
}

// badJSONOffset returns the offset of the first byte of b that is not
// UTF-8 or starts a lone escaped surrogate, or -1. A backslash always
// starts an escape: outside strings, where it is none, the document is
// malformed anyway.
func badJSONOffset(b []byte) int {
	for i := 0; i < len(b); {
		switch c := b[i]; {
		case c == '\\':
			r, ok := hexEscape(b[i:])
			switch {
			case !ok || r < 0xd800 || r > 0xdfff:
				i += 2
			case r >= 0xdc00:
				return i // a low surrogate first
			default:
				if r2, ok := hexEscape(b[i+6:]); !ok || r2 < 0xdc00 || r2 > 0xdfff {
					return i // a high surrogate without its low one
				}
				i += 12
			}
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n == 1 {
				return i
			}
			i += n
		}
	}
	return -1
}

// hexEscape reads the \uXXXX escape at the start of b.
func hexEscape(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	r, err := strconv.ParseUint(string(b[2:6]), 16, 16)
	return rune(r), err == nil
}

// jsonPathAt returns the path of the string of the JSON document b that
// holds the byte at off (see BadJSON), found by reading b's tokens.
func jsonPathAt(b []byte, off int) string {
	type frame struct {
		object  bool
		name    string
		index   int
		wantKey bool
	}
	var stack []frame
	path := func(n int) string {
		var p strings.Builder
		for _, f := range stack[:n] {
			switch {
			case !f.object:
				p.WriteString("[" + strconv.Itoa(f.index) + "]")
			case p.Len() > 0:
				p.WriteString("." + f.name)
			default:
				p.WriteString(f.name)
			}
		}
		return p.String()
	}
	// done moves past a value of the innermost container.
	done := func() {
		if len(stack) == 0 {
			return
		}
		if f := &stack[len(stack)-1]; f.object {
			f.wantKey = true
		} else {
			f.index++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err != nil {
			return path(len(stack))
		}
		end := dec.InputOffset()
		switch tok {
		case json.Delim('{'), json.Delim('['):
			stack = append(stack, frame{object: tok == json.Delim('{'), wantKey: true})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			done()
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
			if end > int64(off) {
				return path(n - 1) // the member's name
			}
			stack[n-1].name, _ = tok.(string)
			stack[n-1].wantKey = false
			continue
		}
		if end > int64(off) {
			return path(len(stack))
		}
		done()
	}
}

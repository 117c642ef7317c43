package records

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
)

// encodeVals encodes a record's values as stored: a JSON object with its
// names sorted, exactly as encoding/json writes it. Values that
// encoding/json would escape (quotes, backslashes, control characters,
// <, >, &, U+2028, U+2029, invalid UTF-8) go through it; the usual ones
// are written directly, without its reflection and sorting of
// reflect.Values, which cost a fifth of a batch's reading.
func encodeVals(v map[string]string) (string, error) {
	if len(v) == 0 {
		return "{}", nil
	}
	names := make([]string, 0, len(v))
	size := 2
	for k, s := range v {
		if !plainJSON(k) || !plainJSON(s) {
			b, err := json.Marshal(v)
			return string(b), err
		}
		names = append(names, k)
		size += len(k) + len(s) + 6
	}
	slices.Sort(names)
	var b strings.Builder
	b.Grow(size)
	b.WriteByte('{')
	for i, k := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(k)
		b.WriteString(`":"`)
		b.WriteString(v[k])
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String(), nil
}

// plainJSON reports whether encoding/json writes s as it is, in quotes.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		case c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9):
			return false // U+2028, U+2029
		}
	}
	return utf8.ValidString(s)
}

// decodeFast decodes the usual shape of a JSON line — one object with the
// fields op, subject_id, produced_at, key (strings) and values (an object of
// strings), no escapes, nothing after it — without encoding/json, which
// spent a quarter of a batch's time here. It reports false for anything
// else (escapes, numbers, unknown or differently cased names, invalid
// UTF-8, control characters…), and the caller then decodes the line with
// encoding/json as before, so results and error messages are unchanged.
// A field or an item named twice is left to encoding/json too, where
// WireOp.UnmarshalJSON refuses it once the whole line is read as JSON: a
// line cut short after a repeated name is malformed, not a repeat.
func decodeFast(b []byte, op *Op) (ok bool, err error) {
	p := fastParser{b: b}
	if !p.byte('{') {
		return false, nil
	}
	var w WireOp
	var vals map[string]string
	var seen [len(wireFields)]bool
	if p.peek() == '}' {
		p.i++
	} else {
		for {
			name, ok := p.str()
			if !ok || !p.byte(':') {
				return false, nil
			}
			if f := slices.Index(wireFields[:], name); f >= 0 {
				if seen[f] {
					return false, nil
				}
				seen[f] = true
			}
			switch name {
			case "op", "subject_id", "produced_at", "key":
				v, ok := p.str()
				if !ok {
					return false, nil
				}
				switch name {
				case "op":
					w.Op = v
				case "subject_id":
					w.SubjectID = v
				case "produced_at":
					w.ProducedAt = v
				default:
					w.Key = v
				}
			case "values":
				if !p.byte('{') {
					return false, nil
				}
				vals = make(map[string]string, 8)
				if p.peek() == '}' {
					p.i++
				} else {
					for {
						k, ok := p.str()
						if !ok || !p.byte(':') {
							return false, nil
						}
						v, ok := p.str()
						if !ok {
							return false, nil
						}
						if _, dup := vals[k]; dup {
							return false, nil
						}
						vals[k] = v
						if p.byte(',') {
							continue
						}
						if !p.byte('}') {
							return false, nil
						}
						break
					}
				}
			default:
				return false, nil
			}
			if p.byte(',') {
				continue
			}
			if !p.byte('}') {
				return false, nil
			}
			break
		}
	}
	p.space()
	if p.i != len(p.b) {
		return false, nil
	}
	parsed, err := w.Parse()
	*op = parsed
	if len(vals) > 0 {
		op.Values = vals
	}
	return true, err
}

type fastParser struct {
	b []byte
	i int
}

func (p *fastParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *fastParser) peek() byte {
	p.space()
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

// byte consumes c after optional white space.
func (p *fastParser) byte(c byte) bool {
	if p.peek() == c {
		p.i++
		return true
	}
	return false
}

// str reads a string without escapes or control characters, in valid UTF-8.
func (p *fastParser) str() (string, bool) {
	if !p.byte('"') {
		return "", false
	}
	start := p.i
	ascii := true
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			if !ascii && !utf8.Valid(s) {
				return "", false
			}
			return string(s), true
		case c == '\\' || c < 0x20:
			return "", false
		case c >= 0x80:
			ascii = false
		}
		p.i++
	}
	return "", false
}

package errs

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// KeyIssue is a key of a JSON object that encoding/json would read
// although the type it decodes into does not name it so: a key that
// names no field of a struct exactly (encoding/json matches keys to
// fields case-insensitively, so that Username set username and
// SUBJECT_ID subject_id), or a key given a second time in one object
// (encoding/json keeps the last value).
type KeyIssue struct {
	Path     string // the key's path: name at the top, items[1].name, values.姓名
	Key      string // the key, unescaped
	Repeated bool   // given before in the same object; else it names no field of a struct
	InMap    bool   // the object is a map's, whose keys are the caller's, or of no type
}

// Err is the refusal of the issue: unknown_field for a key that names no
// field, as encoding/json's DisallowUnknownFields is answered,
// duplicate_field for one given twice.
func (k KeyIssue) Err() *Error {
	if !k.Repeated {
		return Field(k.Path, "unknown_field", "未知字段："+k.Path)
	}
	if k.InMap {
		return Field(k.Path, "duplicate_field", "键“"+k.Key+"”在同一个 JSON 对象中出现了不止一次（"+k.Path+"）：每个键只能出现一次，请删去重复的键")
	}
	return Field(k.Path, "duplicate_field", "字段“"+k.Path+"”出现了不止一次：JSON 对象中每个字段只能出现一次，请删去重复的字段")
}

// MaxKeyIssues bounds the issues JSONKeys lists: an object of many keys
// none of its type names (70,000 in a 484 KB record's operation) would
// otherwise make an error each, and a refusal listing them all. Its
// callers answer with the first (CheckJSONKeys), or list these and count
// the rest.
const MaxKeyIssues = 20

// CheckJSONKeys returns the error of the first of JSONKeys' issues; nil
// when there is none.
func CheckJSONKeys(data []byte, t reflect.Type) error {
	if issues, _ := JSONKeys(data, t); len(issues) > 0 {
		return issues[0].Err()
	}
	return nil
}

// JSONKeys lists, in the order of data, the issues of the keys of the
// JSON value data decoded into a value of type t: in an object decoded
// into a struct, each key that is not exactly the JSON name of one of its
// fields and each key given twice; in one decoded into a map or an
// interface, each key given twice. Objects nested in them are read with
// their fields' or elements' types. A value whose type decodes itself
// (json.Unmarshaler) is left to it; so is the value of a key that names
// no field. It lists the first MaxKeyIssues; more counts the others.
// nil when data is not one valid JSON value, which decoding it refuses in
// its own words. Data without an issue costs a json.Valid and one pass
// over its bytes; each key a look-up bounded whatever the number of keys
// of its object (keySet).
func JSONKeys(data []byte, t reflect.Type) (issues []KeyIssue, more int) {
	if !json.Valid(data) {
		return nil, 0
	}
	w := keyWalker{b: data}
	w.walk(t, true, "")
	return w.out, w.more
}

var jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()

// keyWalker reads a valid JSON document, recording the issues of its keys.
type keyWalker struct {
	b    []byte
	i    int
	out  []KeyIssue // the first MaxKeyIssues
	more int        // the issues beyond them
}

func (w *keyWalker) issue(k KeyIssue) {
	if len(w.out) < MaxKeyIssues {
		w.out = append(w.out, k)
	} else {
		w.more++
	}
}

// keySet holds the keys of an object read so far, to find one given
// again: in an array while they are few, so that a small object's keys
// allocate nothing, in a map once they are more, so that an object of
// many keys (a map's, of any number) costs a look-up per key, not a scan
// of those before it.
type keySet struct {
	few [8]string
	n   int
	m   map[string]struct{}
}

func (s *keySet) has(key string) bool {
	if s.m != nil {
		_, ok := s.m[key]
		return ok
	}
	return slices.Contains(s.few[:s.n], key)
}

func (s *keySet) add(key string) {
	switch {
	case s.m != nil:
		s.m[key] = struct{}{}
	case s.n < len(s.few):
		s.few[s.n] = key
		s.n++
	default:
		s.m = make(map[string]struct{}, 2*len(s.few))
		for _, k := range s.few {
			s.m[k] = struct{}{}
		}
		s.m[key] = struct{}{}
	}
}

// keyShape says how the keys of an object decoded into a type are read.
type keyShape int

const (
	skipKeys   keyShape = iota // a type that decodes itself, or no object
	freeKeys                   // a map or an interface: any key, once
	structKeys                 // a struct: its fields' names, once each
)

// shapeOf is the shape of t, with the type of t's elements (a map's,
// a slice's or an array's) or nil for an interface.
func shapeOf(t reflect.Type) (keyShape, reflect.Type) {
	if t == nil {
		return freeKeys, nil
	}
	for {
		if t.Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler) {
			return skipKeys, nil
		}
		if t.Kind() != reflect.Pointer {
			break
		}
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Interface:
		return freeKeys, nil
	case reflect.Struct:
		return structKeys, t
	case reflect.Map, reflect.Slice, reflect.Array:
		return freeKeys, t.Elem()
	}
	return skipKeys, nil
}

func (w *keyWalker) space() {
	for w.i < len(w.b) {
		switch w.b[w.i] {
		case ' ', '\t', '\r', '\n':
			w.i++
		default:
			return
		}
	}
}

// walk moves past the value at w.i, decoded into t, at path, recording
// its keys' issues unless check is false (the value of a key that names
// no field or is repeated).
func (w *keyWalker) walk(t reflect.Type, check bool, path string) {
	w.space()
	shape, elem := skipKeys, reflect.Type(nil)
	if check {
		shape, elem = shapeOf(t)
		check = shape != skipKeys
	}
	switch w.b[w.i] {
	case '{':
		w.i++
		var fields map[string]reflect.Type
		if shape == structKeys {
			fields = jsonFields(elem)
		}
		var seen keySet
		w.space()
		if w.b[w.i] == '}' {
			w.i++
			return
		}
		for {
			w.space()
			key := w.key()
			w.space()
			w.i++ // :
			p := key
			if path != "" {
				p = path + "." + key
			}
			ft, known := fields[key]
			if shape == freeKeys {
				ft, known = elem, true
			}
			switch {
			case !check:
			case seen.has(key):
				w.issue(KeyIssue{Path: p, Key: key, Repeated: true, InMap: shape != structKeys})
				known = false
			case !known:
				w.issue(KeyIssue{Path: p, Key: key})
			default:
				seen.add(key)
			}
			w.walk(ft, check && known, p)
			w.space()
			if w.b[w.i] == '}' {
				w.i++
				return
			}
			w.i++ // ,
		}
	case '[':
		w.i++
		if shape == structKeys {
			check = false // refused by decoding
		}
		w.space()
		if w.b[w.i] == ']' {
			w.i++
			return
		}
		for n := 0; ; n++ {
			w.walk(elem, check, path+"["+strconv.Itoa(n)+"]")
			w.space()
			if w.b[w.i] == ']' {
				w.i++
				return
			}
			w.i++ // ,
		}
	case '"':
		w.str()
	default: // a number, true, false or null
		for w.i < len(w.b) && !strings.ContainsRune(" \t\r\n,]}", rune(w.b[w.i])) {
			w.i++
		}
	}
}

// str moves past the string at w.i and reports whether it holds an escape.
func (w *keyWalker) str() (escaped bool) {
	w.i++ // "
	for {
		switch w.b[w.i] {
		case '"':
			w.i++
			return escaped
		case '\\':
			escaped = true
			w.i += 2
		default:
			w.i++
		}
	}
}

// key reads the object key at w.i, unescaped.
func (w *keyWalker) key() string {
	start := w.i
	if !w.str() {
		return string(w.b[start+1 : w.i-1])
	}
	var s string
	json.Unmarshal(w.b[start:w.i], &s) // valid: data is
	return s
}

var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// jsonFields maps the JSON names of the fields encoding/json decodes the
// struct type t's objects into to their types: its exported fields and
// those of the structs it embeds without a name in their tag, a field
// nearer the top hiding one deeper of the same name.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	level := []reflect.Type{t}
	visited := map[reflect.Type]bool{}
	for len(level) > 0 {
		var next []reflect.Type
		names := map[string]reflect.Type{}
		for _, st := range level {
			if visited[st] {
				continue
			}
			visited[st] = true
			for i := range st.NumField() {
				f := st.Field(i)
				tag := f.Tag.Get("json")
				name, _, _ := strings.Cut(tag, ",")
				if tag == "-" {
					continue
				}
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
					next = append(next, ft)
					continue
				}
				if !f.IsExported() {
					continue
				}
				if name == "" {
					name = f.Name
				}
				if _, hidden := m[name]; !hidden {
					names[name] = f.Type
				}
			}
		}
		for name, ft := range names {
			m[name] = ft
		}
		level = next
	}
	fieldCache.Store(t, m)
	return m
}

package api

import (
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
)

// TestParseIfMatch: If-Match is "*" (no tags: any object), or a list of
// strong entity tags, however spaced and in however many header lines,
// read as their opaque tags; anything else is refused bad_if_match, a weak
// tag told that it is weak.
func TestParseIfMatch(t *testing.T) {
	for _, c := range []struct {
		values []string
		tags   []string
	}{
		{nil, nil},
		{[]string{"*"}, nil},
		{[]string{" * "}, nil},
		{[]string{`"a"`}, []string{"a"}},
		{[]string{`"a", "b"`}, []string{"a", "b"}},
		{[]string{`"a" ,"b",`}, []string{"a", "b"}},
		{[]string{`"a"`, `"b"`}, []string{"a", "b"}},
		{[]string{`"1-1-3fd6"`}, []string{"1-1-3fd6"}},
		{[]string{`""`}, []string{""}},
	} {
		tags, err := parseIfMatch(c.values)
		if err != nil || !slices.Equal(tags, c.tags) || (tags == nil) != (c.tags == nil) {
			t.Errorf("%q: %q %v, want %q", c.values, tags, err, c.tags)
		}
	}
	for _, c := range []struct {
		values []string
		weak   bool
	}{
		{[]string{"abc"}, false},
		{[]string{""}, false},
		{[]string{" , "}, false},
		{[]string{`"abc`}, false},
		{[]string{`"a b"`}, false},
		{[]string{`"a"b`}, false},
		{[]string{`"a" "b"`}, false},
		{[]string{`*, "a"`}, false},
		{[]string{`"a", *`}, false},
		{[]string{"*", "*"}, false},
		{[]string{`w/"a"`}, false},
		{[]string{"\"a\x7f\""}, false},
		{[]string{`W/"a"`}, true},
		{[]string{`"a", W/"b"`}, true},
		{[]string{`"a"`, `W/"b"`}, true},
	} {
		_, err := parseIfMatch(c.values)
		e := errs.As(err)
		if e == nil || e.Code != "bad_if_match" || e.Field != "If-Match" {
			t.Errorf("%q: %v, want bad_if_match", c.values, err)
			continue
		}
		if weak := strings.Contains(e.Message, "弱标签"); weak != c.weak {
			t.Errorf("%q: %q, want it said weak: %v", c.values, e.Message, c.weak)
		}
	}
}

package org

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestSearchFormSQL: searchForm changes no character beyond the Basic
// Multilingual Plane, which searchFormChanges alone reads, and makes each
// it changes a form it changes no further, so that searchFormSQL's
// replace() give searchForm's form in any order.
func TestSearchFormSQL(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		s := string(r)
		if !utf8.ValidRune(r) || searchForm(s) == s {
			continue
		}
		if f := searchForm(s); r > 0xffff || searchForm(f) != f {
			t.Errorf("searchForm(%U) = %q, changed again to %q; want a form in the BMP changed no further", r, f, searchForm(f))
		}
		n++
	}
	if got := len(searchFormChanges()); got != n || n < 26+25+94+300 {
		t.Errorf("searchFormChanges: %d, searchForm changes %d characters", got, n)
	}
}

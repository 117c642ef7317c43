package org

import (
	"strings"
	"testing"
	"unicode"
)

// TestNameSpaces: nameSpaces, the white space a department search the
// keys cannot take leaves out of the names, is every white space character
// (unicode.IsSpace) a name can hold between two letters (checkText) and
// nothing else, checked for every code point.
func TestNameSpaces(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		held := unicode.IsSpace(r) && checkText("name", "部门名称", "测试"+string(r)+"局", MaxDeptName, false) == nil
		if listed := strings.ContainsRune(nameSpaces, r); listed != held {
			t.Errorf("%U: in nameSpaces %v, white space a name can hold %v", r, listed, held)
		}
	}
}

package audit

import (
	"slices"
	"testing"
)

// TestEventItems: a row's data items each once, in order, whatever the
// spaces and empty names between the commas.
func TestEventItems(t *testing.T) {
	for fields, want := range map[string][]string{
		"":                   nil,
		"姓名":                 {"姓名"},
		"姓名,姓名":              {"姓名"},
		" 姓名 , ,出生日期,姓名 ,住址": {"姓名", "出生日期", "住址"},
	} {
		if got := (Event{Fields: fields}).Items(); !slices.Equal(got, want) {
			t.Errorf("Items of %q = %q, want %q", fields, got, want)
		}
	}
}

package catalog_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestNameCharsMessage: the refusal of a data item's or an entry's name
// with a character names may not hold says which: the real catalog's
// 统计指标(进出口合计|出口|进口) was refused with 含有特殊字符 alone, leaving
// the reader to guess which of its characters it was.
func TestNameCharsMessage(t *testing.T) {
	r := household()
	r.Items[1].Name = "统计指标(进出口合计|出口|进口)"
	got := catalog.ValidateEntry(r)
	if len(got) != 1 || got[0].Code != "invalid_item_name" {
		t.Fatalf("got %v, want invalid_item_name", got)
	}
	if want := "信息项名称“统计指标(进出口合计|出口|进口)”含有特殊字符“|”：名称不能包含 <>\"'\\`|{}[] 中的字符"; got[0].Message != want {
		t.Errorf("got %q, want %q", got[0].Message, want)
	}
	r = household()
	r.Name = "户籍<信息>"
	got = catalog.ValidateEntry(r)
	if len(got) != 1 || got[0].Code != "invalid_name" {
		t.Fatalf("got %v, want invalid_name", got)
	}
	if want := "数据资源名称“户籍<信息>”含有特殊字符“<”“>”：名称不能包含 <>\"'\\`|{}[] 中的字符"; got[0].Message != want {
		t.Errorf("got %q, want %q", got[0].Message, want)
	}
}

package catalog_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestFirstServiceItems: the first n items of a text are those
// ParseServiceItems reads, brackets that close after them grouping as
// they do; and a text of millions of items (a;a;a…, 8 MiB) is read to
// the n+1st, MaxServiceItems+1 as the console's form asks, allocating a
// small multiple of the text, without making the others.
func TestFirstServiceItems(t *testing.T) {
	for _, s := range []string{
		"甲；乙（丙；丁）；戊\\；己；庚（1）；辛（未闭；壬）",
		"（甲；乙；丙）；丁",
		"；；甲；；乙",
		"",
	} {
		all := catalog.ParseServiceItems(s)
		for n := 0; n <= len(all)+1; n++ {
			want := all[:min(n, len(all))]
			if got := catalog.FirstServiceItems(s, n); !cmp.Equal(got, want, cmpNil) {
				t.Errorf("FirstServiceItems(%q, %d) = %+v, want %+v", s, n, got, want)
			}
		}
	}

	s := strings.Repeat("a;", 4<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got := catalog.FirstServiceItems(s, catalog.MaxServiceItems+1)
	runtime.ReadMemStats(&after)
	if len(got) != catalog.MaxServiceItems+1 {
		t.Errorf("got %d items, want %d", len(got), catalog.MaxServiceItems+1)
	}
	n := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d MiB for %d MiB of text", n>>20, len(s)>>20)
	if n > 12*uint64(len(s)) {
		t.Errorf("allocated %d MiB, want at most 12 times the text's %d MiB", n>>20, len(s)>>20)
	}
}

// cmpNil takes an empty list for none.
var cmpNil = cmp.Comparer(func(a, b []catalog.ServiceItem) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return cmp.Equal(a, b)
})

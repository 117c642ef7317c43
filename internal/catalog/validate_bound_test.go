package catalog_test

import (
	"runtime"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestValidateTooManyBounded: a list over its limit is refused with
// too_many_items alone, without reading its elements. An 8 MiB entry body
// holds 2.8 million empty data items, a 16 MiB console form 8.4 million
// related codes; validating them cost an error or more each (2.9 GiB
// allocated for the items). Validation now allocates next to nothing.
func TestValidateTooManyBounded(t *testing.T) {
	items := household()
	items.Items = make([]catalog.Item, 2_800_000)
	codes := household()
	codes.RelatedCodes = make([]string, 8_400_000)
	for i := range codes.RelatedCodes {
		codes.RelatedCodes[i] = "1"
	}
	for _, tt := range []struct {
		name  string
		r     catalog.Resource
		field string
	}{{"items", items, "items"}, {"related codes", codes, "related_codes"}} {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			got := catalog.ValidateEntry(tt.r)
			runtime.ReadMemStats(&after)
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Errorf("validation allocated %d MiB, want at most 1 MiB", n>>20)
			}
			if len(got) != 1 || got[0].Field != tt.field || got[0].Code != "too_many_items" {
				t.Fatalf("got %d errors, the first %v, want too_many_items on %s alone", len(got), got[0], tt.field)
			}
		})
	}
}

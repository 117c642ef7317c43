package records

import "testing"

// sameValues are values of a record pair as a cross-check compares them:
// alike byte for byte, some of which text.Fold would change.
var sameValues = []string{"李\u200b华", "买买提・艾力", "ＡＢＣ１２３", "440605196001010003", "佛山市南海区桂城街道"}

// TestSameEqualNoAlloc: two values alike byte for byte are the same
// without computing their keys, so without allocating even when Fold
// would change them; values that differ are still compared by key.
func TestSameEqualNoAlloc(t *testing.T) {
	for _, v := range sameValues {
		w := string([]byte(v)) // another string of the same bytes
		if n := testing.AllocsPerRun(100, func() {
			if !same(v, w) {
				t.Fatalf("same(%q, %q) = false", v, w)
			}
		}); n != 0 {
			t.Errorf("same(%q, %q) allocated %v times, want 0", v, w, n)
		}
	}
	if !same("李\u200b华", "李 华") || same("李华", "李桦") {
		t.Error("same by key: 李\u200b华 = 李 华 and 李华 ≠ 李桦 expected")
	}
	if n := testing.AllocsPerRun(100, func() { same("李华", "李桦") }); n != 0 {
		t.Errorf("same of values Fold does not change allocated %v times, want 0", n)
	}
}

// BenchmarkSame compares values alike byte for byte, as most of a
// sweep's comparisons are.
func BenchmarkSame(b *testing.B) {
	vals := make([]string, len(sameValues))
	for i, v := range sameValues {
		vals[i] = string([]byte(v))
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, v := range sameValues {
			if !same(v, vals[i]) {
				b.Fatal("not same")
			}
		}
	}
}

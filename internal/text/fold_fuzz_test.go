package text_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/text"
)

// FuzzFold checks what Fold promises: Fold(Fold(s)) is Fold(s); its result
// holds no ignorable character (text.Ignorable) and no braille blank
// U+2800; and NameKey, which starts from Fold, reads Fold(s) as it reads s.
// (NameKey itself is not idempotent: it drops the '-' between a and a
// combining accent, which then compose.)
func FuzzFold(f *testing.F) {
	for _, s := range []string{
		"", "佛山市南海区测试局1", "ＡＢＣ１", "A\u0304", "A\u200b\u0304", "王\uf9d1", "买买提\u30fb艾力", "\uff65\u3164",
		"\ufeff\u00ad\u2800 ", "a-\u0301", "\uffa0\u1160", "e\ufe0f\U000e0100", "①②", "\xff\xfe", "\u0387\u2e31\u22c5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := text.Fold(s)
		if again := text.Fold(folded); again != folded {
			t.Fatalf("Fold(%+q) = %+q, Fold of it %+q", s, folded, again)
		}
		if i := strings.IndexFunc(folded, func(r rune) bool { return r == '\u2800' || text.Ignorable(r) }); i >= 0 {
			t.Fatalf("Fold(%+q) = %+q holds %+q at %d", s, folded, []rune(folded[i:])[0], i)
		}
		if k, kf := text.NameKey(s), text.NameKey(folded); k != kf {
			t.Fatalf("NameKey(%+q) = %+q, NameKey(Fold) = %+q", s, k, kf)
		}
	})
}

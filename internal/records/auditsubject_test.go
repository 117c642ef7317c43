package records_test

import (
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
)

// TestAuditSubjectForms: an identifier typed to filter the audit log is
// read into the forms records store it in, whatever its case, width or
// length: a person's other documents' too (the old 15 digits as a
// 证件号码 keeps them, a permit's lifetime number); a text no
// identifier's, or a citizen ID's mistyped, has none.
func TestAuditSubjectForms(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"11010519491231002x", []string{"11010519491231002X", ""}},
		{"110105491231002", []string{"11010519491231002X", "", "110105491231002"}},
		{"１１０１０５１９４９１２３１００２Ｘ", []string{"11010519491231002X", ""}},
		{"91350100m000100y43", []string{"", "91350100M000100Y43"}},
		{"330100400015575", []string{"", "330100400015575"}},
		{"h1234567801", []string{"", "", "H1234567801", "H12345678"}},
		{"110105194912310099", nil},
		{"11010519491231002", nil},
		{"abc", nil},
		{"", nil},
	} {
		if got := records.AuditSubjectForms(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("AuditSubjectForms(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

package ident_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/ident"
)

// TestFullWidthCharacters: an identifier typed with a Chinese input
// method's full-width digits and letters (４４０６…, ９１３５…ｘ) is read
// as its ASCII form, not refused for an illegal character '４'.
func TestFullWidthCharacters(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		kind     ident.Kind
	}{
		{"１１０１０１１９９００３０７００３８", "110101199003070038", ident.KindCitizenID},
		{"　１１０１０５１９４９１２３１００２ｘ ", "11010519491231002X", ident.KindCitizenID},
		{"９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43", ident.KindUSCC},
		{"Ｄ２６７１６３４－３", "D26716343", ident.KindOrgCode},
	} {
		r, err := ident.Validate(tt.in, ident.Lenient)
		if err != nil || r.Normalized != tt.want || r.Kind != tt.kind {
			t.Errorf("Validate(%q) = %q %v, %v; want %q %v", tt.in, r.Normalized, r.Kind, err, tt.want, tt.kind)
		}
	}
	if r, err := ident.CitizenID("１１０１０１１９９００３０７００３８"); err != nil || r.Normalized != "110101199003070038" {
		t.Errorf("CitizenID: %q, %v", r.Normalized, err)
	}
}

package main

import (
	"strings"
	"testing"
)

// TestIdentForms: hutong ident reads full-width digits and letters as
// ASCII, takes a credit code born in the future for a citizen ID no longer
// (915001209904010053), accepts the foreign permanent resident ID card of
// any province, and its usage says so.
func TestIdentForms(t *testing.T) {
	out, err := hutong(t, nil, "ident", "９１５００１２０９９０４０１００５３", "91110118500611000X", "944840198501010018",
		"１１０１０５１９４９１２３１００２ｘ")
	if err != nil {
		t.Fatalf("valid identifiers: %v\n%s", err, out)
	}
	for _, want := range []string{"规范形式：  915001209904010053", "规范形式：  91110118500611000X", "规范形式：  944840198501010018",
		"规范形式：  11010519491231002X"} {
		if !strings.Contains(out, want) {
			t.Errorf("hutong ident: no %q in\n%s", want, out)
		}
	}
	if n := strings.Count(out, "统一社会信用代码"); n != 2 {
		t.Errorf("hutong ident: %d credit codes, want 2\n%s", n, out)
	}
	usage, _ := hutong(t, nil, "ident", "-h")
	for _, want := range []string{"full-width", "foreign permanent resident", "1900"} {
		if !strings.Contains(usage, want) {
			t.Errorf("hutong ident -h does not mention %q:\n%s", want, usage)
		}
	}
}

package audit_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
)

// TestDetailDeniedReason: the reason of a review refused (catalog.reject,
// catalog.retire.* denied, d73c65b) is the refusal's code and reads in
// Chinese, 无权操作, where it showed forbidden because these actions'
// reasons are words typed by a reviewer; those words, on a row that
// succeeded, are shown as written.
func TestDetailDeniedReason(t *testing.T) {
	for _, of := range []string{"catalog.reject", "catalog.retire", "catalog.retire.request", "catalog.retire.approve",
		"catalog.retire.reject"} {
		f := audit.DetailFields(of, audit.Denied, `{"reason":"forbidden"}`)
		if len(f) != 1 || f[0].Value != "无权操作" || f[0].Raw != "forbidden" {
			t.Errorf("%s denied: %+v, want 无权操作 (forbidden)", of, f)
		}
		for _, outcome := range []string{audit.OK, ""} {
			f := audit.DetailFields(of, outcome, `{"reason":"forbidden"}`)
			if len(f) != 1 || f[0].Value != "forbidden" || f[0].Raw != "" {
				t.Errorf("%s %q: %+v, want the words as written", of, outcome, f)
			}
		}
	}
}

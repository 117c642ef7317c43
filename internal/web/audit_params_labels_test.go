package web

import (
	"strconv"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
)

// TestAuditParamsLabelled checks that every parameter of the console's
// audit filter, which an audit.read row's detail keeps, is named in
// Chinese when that row is shown.
func TestAuditParamsLabelled(t *testing.T) {
	for _, k := range auditParams {
		if f := audit.DetailFields("audit.read", "", "{"+strconv.Quote(k)+`:"v"}`); len(f) != 1 || f[0].Label == k {
			t.Errorf("audit filter parameter %q has no Chinese label: %+v", k, f)
		}
	}
}

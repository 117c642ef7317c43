package main

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDepartmentCodeWarnings: org department-create reports a credit
// code's warnings as hutong ident does, and says it accepted the code by
// the lenient rule only when the strict check refuses it (a wrong check
// character): the organisation code's check character is a warning in
// both, where department-create called it accepted by the lenient rule.
func TestDepartmentCodeWarnings(t *testing.T) {
	const orgWarning = "主体标识码（组织机构代码 MB0000001）校验码不符，应为 0"
	const lenient = "按宽松规则接受"
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		vars := map[string]string{"HUTONG_DB": dsn}
		must := mustHutong(t, vars)
		mustNanhai(must)
		id := must("ident", "11440605MB0000001N")
		out := must("org", "department-create", "-name", "南海区民政局", "-short", "区民政局", "-uscc", "11440605MB0000001N", "-region", "440605")
		if !strings.Contains(id, "有效") || !strings.Contains(id, orgWarning) || !strings.Contains(out, "注意：统一社会信用代码"+orgWarning) ||
			strings.Contains(out, lenient) {
			t.Errorf("the organisation code's check character: hutong ident says\n%s\ndepartment-create\n%s", id, out)
		}
		out = must("org", "department-create", "-name", "南海区人社局", "-short", "区人社局", "-uscc", "11440605MB0000001X", "-region", "440605")
		if !strings.Contains(out, "注意：统一社会信用代码校验码不符，应为 N") || !strings.Contains(out, lenient) {
			t.Errorf("a wrong check character: department-create says\n%s", out)
		}
	})
}

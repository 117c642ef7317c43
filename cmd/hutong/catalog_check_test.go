package main

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogCheck: hutong catalog check lists a published entry whose
// 时效要求 breaks the timeliness rule made after it was published, with the
// rule's field and code, so that the operator can find such entries before
// their yearly review.
func TestCatalogCheck(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		dept := recordstest.Department(t, db, "公安分局", 1)
		spec := hujiSpec
		spec.Timeliness = "业务办结后5个工作日内更新"
		recordstest.Entry(t, db, dept, spec)
		out := must("catalog", "check")
		for _, want := range []string{"101001/000001", "户籍人口信息", "timeliness:timeliness_exceeds_rule", "不符合现行目录规则"} {
			if !strings.Contains(out, want) {
				t.Errorf("catalog check lacks %q:\n%s", want, out)
			}
		}
	})
}

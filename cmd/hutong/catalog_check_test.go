package main

import (
	"context"
	"strconv"
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

// TestCatalogTransferCLI: hutong catalog transfer moves a department's
// entries to another (every entry, or those -entries names), as the
// operator's API and console do, and reports what moved; a refusal
// (the same department, an entry of another department) moves nothing.
// Before, the catalog group had no transfer.
func TestCatalogTransferCLI(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		ga := recordstest.Department(t, db, "公安分局", 1)
		mz := recordstest.Department(t, db, "民政局", 2)
		a := recordstest.Entry(t, db, ga, hujiSpec)
		spec := hujiSpec
		spec.Code, spec.Name = "101001/000002", "居住登记信息"
		b := recordstest.Entry(t, db, ga, spec)
		of := func(id int64) int64 {
			var d int64
			if err := db.Read().QueryRowContext(context.Background(), `SELECT department_id FROM catalog_entries WHERE id = $1`, id).Scan(&d); err != nil {
				t.Fatal(err)
			}
			return d
		}
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		if out, err := hutong(t, vars, "catalog", "transfer", "-from", id(ga), "-to", id(ga)); err == nil || !strings.Contains(err.Error()+out, "接收部门与转出部门相同") {
			t.Errorf("to itself: %v\n%s", err, out)
		}
		out := must("catalog", "transfer", "-from", id(ga), "-to", id(mz), "-entries", id(b))
		if !strings.Contains(out, "101001/000002") || strings.Contains(out, "101001/000001") || !strings.Contains(out, "已将 1 个数据资源") {
			t.Errorf("transfer of one entry:\n%s", out)
		}
		if of(a) != ga || of(b) != mz {
			t.Errorf("after -entries %d: departments %d, %d; want %d, %d", b, of(a), of(b), ga, mz)
		}
		if _, err := hutong(t, vars, "catalog", "transfer", "-from", id(ga), "-to", id(mz), "-entries", id(a)+","+id(b)); err == nil || of(a) != ga {
			t.Errorf("an entry of another department: %v, entry %d of %d", err, a, of(a))
		}
		out = must("catalog", "transfer", "-from", id(ga), "-to", id(mz))
		if !strings.Contains(out, "101001/000001") || of(a) != mz {
			t.Errorf("transfer of every entry:\n%s", out)
		}
		var n int
		if err := db.Read().QueryRowContext(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'catalog.transfer'
			AND outcome = 'ok' AND actor_id = 'cli'`).Scan(&n); err != nil || n != 2 {
			t.Errorf("%d audit rows of the CLI's transfers (%v), want 2", n, err)
		}
	})
}

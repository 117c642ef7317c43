package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchesHintOnlyWhenOlder: records batches points to older batches
// (更早的批次：加 -before N) only when there are some: a last page exactly
// full (-limit 3 of three batches, -before N -limit 1 of the oldest)
// printed it, and -before N then printed 没有批次. Read a batch at a time
// too. On both engines.
func TestBatchesHintOnlyWhenOlder(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		recordstest.Entry(t, db, recordstest.Department(t, db, "公安分局", 1), hujiSpec)
		for i := range 3 {
			must("import", "records", "-entry", "101001/000001", "-file", opsFile(t, addLine(recordstest.CitizenID(i), "张三")))
		}
		hint := regexp.MustCompile(`更早的批次：加 -before (\d+)`)
		for _, size := range []int{listPageSize, 1} {
			func() {
				defer func(n int) { listPageSize = n }(listPageSize)
				listPageSize = size
				for _, limit := range []string{"3", "4"} {
					if out := must("records", "batches", "-limit", limit); hint.MatchString(out) {
						t.Errorf("records batches -limit %s of 3 batches (pages of %d) points to older ones:\n%s", limit, size, out)
					}
				}
				out := must("records", "batches", "-limit", "2")
				m := hint.FindStringSubmatch(out)
				if m == nil {
					t.Fatalf("records batches -limit 2 of 3 batches (pages of %d) does not point to the third:\n%s", size, out)
				}
				out = must("records", "batches", "-before", m[1], "-limit", "1")
				if hint.MatchString(out) || strings.Contains(out, "没有批次") || strings.Count(strings.TrimSpace(out), "\n") != 1 {
					t.Errorf("records batches -before %s -limit 1 (pages of %d): want the oldest batch alone:\n%s", m[1], size, out)
				}
			}()
		}
	})
}

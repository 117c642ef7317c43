package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestBatchesNamePushers: records batches names a batch's pusher as the
// audit log's actor column does, the label of its kind and its name: the
// demo data's batch is 系统 演示数据, as hutong audit list shows its rows,
// where it printed system:demo; one pushed by hutong import records, whose
// account that ran it is not kept with the batch (only in its records.batch
// audit row), is 系统 命令行导入, where it printed its id, 系统 cli. On both
// engines.
func TestBatchesNamePushers(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, vars := openRecordsDB(t, dsn)
		must := mustHutong(t, vars)
		dept := recordstest.Department(t, db, "公安分局", 1)
		entry := recordstest.Entry(t, db, dept, hujiSpec)
		demo := audit.Actor{Kind: audit.ActorSystem, ID: "demo", Name: "演示数据", DepartmentID: dept}
		res, err := records.Ingest(context.Background(), db, records.Pusher{Actor: demo, DepartmentID: dept}, entry,
			records.JSONLines(strings.NewReader(addLine(recordstest.CitizenID(1), "张三"))), time.Now(), records.Options{})
		if err != nil || res.Applied != 1 {
			t.Fatalf("demo push: %+v %v", res, err)
		}
		must("import", "records", "-entry", hujiSpec.Code, "-file", opsFile(t, addLine(recordstest.CitizenID(2), "李四")))
		out := must("records", "batches")
		for _, want := range []string{"系统 演示数据", "系统 命令行导入"} {
			if !strings.Contains(out, want) {
				t.Errorf("records batches lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "system:") || strings.Contains(out, "系统 cli") {
			t.Errorf("records batches names a pusher kind:id, or the command line's by its id:\n%s", out)
		}
	})
}

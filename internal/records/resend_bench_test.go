package records_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// resendRows is the size of the batch BenchmarkResend applies and sends
// again.
const resendRows = 20000

// BenchmarkResend measures a batch without keys (each operation's key
// derived from its content) applied to an empty entry, then sent again
// whole, every line a duplicate, and reports the seconds of each and
// their ratio (resend_s / apply_s).
//
//	go test -run '^$' -bench Resend/sqlite -benchtime 3x ./internal/records
func BenchmarkResend(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchResend(b, sqldbtest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchResend(b, sqldbtest.Postgres(b)) })
}

func benchResend(b *testing.B, db *sqldb.DB) {
	ctx := context.Background()
	dept := recordstest.Department(b, db, "公安分局", 1)
	produced := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	var jsonl bytes.Buffer
	for n := 0; n < resendRows; n++ {
		fmt.Fprintf(&jsonl, `{"op":"add","subject_id":%q,"produced_at":%q,"values":{"姓名":"姓名%d","户籍地址":"佛山市南海区桂城街道%d号"}}`+"\n",
			recordstest.CitizenID(n), produced.Format(time.RFC3339), n, n)
	}
	body := jsonl.Bytes()
	var apply, resend time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		entry := recordstest.Entry(b, db, dept, recordstest.Spec{Code: fmt.Sprintf("101001/%06d", i+1), Name: "户籍人口信息",
			SubjectKind: "person", Items: personItems})
		b.StartTimer()
		for round, want := range []int{resendRows, 0} {
			start := time.Now()
			res, err := records.Ingest(ctx, db, recordstest.Pusher(dept), entry, records.JSONLines(bytes.NewReader(body)),
				produced.Add(time.Hour), records.Options{})
			if err != nil || res.Applied != want || res.Applied+res.Duplicates != resendRows {
				b.Fatalf("round %d: %v %+v", round, err, res.Rejected)
			}
			if round == 0 {
				apply += time.Since(start)
			} else {
				resend += time.Since(start)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(apply.Seconds()/float64(b.N), "apply_s")
	b.ReportMetric(resend.Seconds()/float64(b.N), "resend_s")
	b.ReportMetric(resend.Seconds()/apply.Seconds(), "ratio")
	b.ReportMetric(0, "ns/op")
}

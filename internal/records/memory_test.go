package records_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// opStream generates JSON lines of add operations as they are read, so that
// the test itself holds no batch in memory.
type opStream struct {
	n, total int
	buf      bytes.Buffer
	produced string
}

func (s *opStream) Read(p []byte) (int, error) {
	for s.buf.Len() < len(p) && s.n < s.total {
		fmt.Fprintf(&s.buf, `{"op":"add","subject_id":%q,"produced_at":%q,"key":"m-%d","values":{"姓名":"姓名%d","出生日期":"1990-01-01","户籍地址":"佛山市南海区桂城街道%d号","参保人数":"1"}}`+"\n",
			recordstest.CitizenID(s.n), s.produced, s.n, s.n, s.n)
		s.n++
	}
	if s.buf.Len() == 0 {
		return 0, io.EOF
	}
	return s.buf.Read(p)
}

// peakRSS returns the process's peak resident set (VmHWM) in bytes, or 0.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestIngestMemoryFlat streams 400,000 operations into one batch (SQLite)
// and samples the heap as it goes: memory must not grow with the batch.
// Each tenth's sample is the live heap, read after a collection, so that
// garbage not yet collected (±7 MiB between tenths) does not hide what the
// batch keeps; it may grow by 16 bytes per operation (6.1 MiB here), the
// 32 MiB over 2,000,000 operations this test streamed until 2026-12-06, at
// a fifth of the time. HUTONG_MEMTEST_OPS overrides the count.
func TestIngestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 400,000 operations")
	}
	total := 400000
	if v, err := strconv.Atoi(os.Getenv("HUTONG_MEMTEST_OPS")); err == nil && v > 0 {
		total = v
	}
	db := sqldbtest.SQLite(t)
	ctx := context.Background()
	dept := recordstest.Department(t, db, "公安分局", 1)
	entry := recordstest.Entry(t, db, dept, recordstest.Spec{Code: "101001/000001", Name: "户籍人口信息",
		SubjectKind: "person", Items: personItems})
	received := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	src := &opStream{total: total, produced: received.Add(-time.Hour).Format(time.RFC3339)}

	var ms runtime.MemStats
	var samples []uint64 // live heap after each tenth of the batch
	var peak uint64
	next := total / 10
	start := time.Now()
	res, err := records.Ingest(ctx, db, recordstest.Pusher(dept), entry, records.JSONLines(src), received, records.Options{
		Progress: func(lines int) {
			if lines%20000 != 0 && lines < next {
				return
			}
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			if lines >= next {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				samples = append(samples, ms.HeapAlloc)
				next += total / 10
			}
		}})
	if err != nil || res.Applied != total {
		t.Fatalf("ingest: %v applied %d %+v", err, res.Applied, res.Rejected)
	}
	el := time.Since(start)
	mb := func(b uint64) string { return fmt.Sprintf("%.1f", float64(b)/(1<<20)) }
	var s []string
	for _, v := range samples {
		s = append(s, mb(v))
	}
	t.Logf("%d ops in %v (%.0f ops/s); live heap per tenth (MiB): %s; peak heap %s MiB; peak RSS %s MiB",
		total, el.Round(time.Millisecond), float64(total)/el.Seconds(), strings.Join(s, " "), mb(peak), mb(peakRSS()))
	// Flat: the last tenth uses no more than the second plus 16 bytes an
	// operation (the second, not the first, so that warm-up allocations
	// are counted).
	if len(samples) >= 3 && samples[len(samples)-1] > samples[1]+uint64(16*total) {
		t.Errorf("heap grew with the batch: %s MiB", strings.Join(s, " "))
	}
	if peak > 256<<20 {
		t.Errorf("peak heap %s MiB", mb(peak))
	}
}

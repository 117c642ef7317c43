package catalogio_test

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// csvFile generates a flat CSV of n entries with one data item each in the
// documented layout, some 500 bytes a row as the audit's 98.8 MB file of
// 200,000 rows.
func csvFile(n int) []byte {
	var b strings.Builder
	b.WriteString(csvHeader)
	abstract := strings.Repeat("辖区内登记的市场主体基本信息和变更情况", 6)
	for i := range n {
		fmt.Fprintf(&b, "数据资源%06d,,,%s第%d条,部门信息资源,01,综合,001,登记,,,电子表格,无条件共享,,,信息查询接口,全区,不予开放,,每年,,,1,政务外网,公共安全,,法人和其他组织,,,统一社会信用代码,C,18,是,说明%d\n",
			i, abstract, i, i)
	}
	return []byte(b.String())
}

// peakHeap runs f and returns the most heap its objects took while it ran
// (sampled every millisecond, after a collection before f) and the bytes
// it allocated.
func peakHeap(f func()) (peak, total uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	base, allocs := sample[0].Value.Uint64(), sample[1].Value.Uint64()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	metrics.Read(sample)
	return peak - min(peak, base), sample[1].Value.Uint64() - allocs
}

// reportHeap reports peakHeap's numbers of f in megabytes.
func reportHeap(b *testing.B, f func()) {
	peak, total := peakHeap(f)
	b.ReportMetric(float64(peak)/(1<<20), "MB-peak-heap")
	b.ReportMetric(float64(total)/(1<<20), "MB-allocated")
}

// BenchmarkImportCSV20000 imports (dry run) a generated CSV of 20,000
// entries, 10 MB, into a fresh SQLite database, reporting the peak heap
// and the bytes allocated besides the time.
func BenchmarkImportCSV20000(b *testing.B) {
	data := csvFile(20000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		b.StopTimer()
		w := newWorld(b, sqldbtest.SQLite(b))
		b.StartTimer()
		start := time.Now()
		var rep *catalogio.Report
		var err error
		reportHeap(b, func() { rep, err = importFile(w, w.gaj, data, catalogio.CSV, catalogio.Options{DryRun: true}) })
		if err != nil || rep.Created != 20000 {
			b.Fatalf("got created=%d err=%v", rep.Created, err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/import")
	}
}

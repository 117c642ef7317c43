package catalogiotest

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"
)

// GeneratedCSV is a flat CSV of n entries with one data item each in the
// documented layout, some 500 bytes a row as the audit's 98.8 MB file of
// 200,000 rows, for the import's memory benchmarks.
func GeneratedCSV(n int) []byte {
	var b strings.Builder
	b.WriteString("资源名称,资源代码,提供部门,摘要,资源分类(类),项代码,项名称,目代码,目名称,细目代码,细目名称,资源格式,共享类型,共享条件,不予共享依据,共享方式,共享范围,开放属性,开放条件,更新周期,更新周期说明,时效要求,安全级别,网络环境,所属领域,领域说明,数据主体,关联事项,关联资源代码,信息项名称,数据类型,长度,是否主体标识,说明\n")
	abstract := strings.Repeat("辖区内登记的市场主体基本信息和变更情况", 6)
	for i := range n {
		fmt.Fprintf(&b, "数据资源%06d,,,%s第%d条,部门信息资源,01,综合,001,登记,,,电子表格,无条件共享,,,信息查询接口,全区,不予开放,,每年,,,1,政务外网,公共安全,,法人和其他组织,,,统一社会信用代码,C,18,是,说明%d\n",
			i, abstract, i, i)
	}
	return []byte(b.String())
}

// ReportPeakHeap runs f and reports, in megabytes, the most heap its
// objects took while it ran (sampled every millisecond, after a collection
// before f) and the bytes allocated meanwhile.
func ReportPeakHeap(b *testing.B, f func()) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(sample)
	base, allocs := sample[0].Value.Uint64(), sample[1].Value.Uint64()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
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
	})
	f()
	close(done)
	wg.Wait()
	metrics.Read(sample)
	b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "MB-peak-heap")
	b.ReportMetric(float64(sample[1].Value.Uint64()-allocs)/(1<<20), "MB-allocated")
}

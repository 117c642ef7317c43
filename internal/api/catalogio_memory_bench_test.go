package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// BenchmarkImportUpload20000 uploads a generated CSV of 20,000 entries
// (one data item each, some 500 bytes a row as the audit's 98.8 MB file of
// 200,000) to POST /api/v1/catalog/import as a multipart form, a dry run,
// into a fresh SQLite database, and reports the peak heap while the
// request ran (sampled every millisecond) and the bytes allocated.
func BenchmarkImportUpload20000(b *testing.B) {
	var csv strings.Builder
	csv.WriteString("资源名称,资源代码,提供部门,摘要,资源分类(类),项代码,项名称,目代码,目名称,细目代码,细目名称,资源格式,共享类型,共享条件,不予共享依据,共享方式,共享范围,开放属性,开放条件,更新周期,更新周期说明,时效要求,安全级别,网络环境,所属领域,领域说明,数据主体,关联事项,关联资源代码,信息项名称,数据类型,长度,是否主体标识,说明\n")
	abstract := strings.Repeat("辖区内登记的市场主体基本信息和变更情况", 6)
	for i := range 20000 {
		fmt.Fprintf(&csv, "数据资源%06d,,,%s第%d条,部门信息资源,01,综合,001,登记,,,电子表格,无条件共享,,,信息查询接口,全区,不予开放,,每年,,,1,政务外网,公共安全,,法人和其他组织,,,统一社会信用代码,C,18,是,说明%d\n",
			i, abstract, i, i)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", "catalog.csv")
	io.WriteString(part, csv.String())
	mw.Close()
	form := body.Bytes()
	b.SetBytes(int64(csv.Len()))
	for b.Loop() {
		b.StopTimer()
		db := sqldbtest.SQLite(b)
		f := newFixture(b, db)
		var key string
		if err := db.Tx(context.Background(), func(tx *sqldb.Tx) (err error) {
			_, key, err = org.CreateApp(context.Background(), tx, audit.Actor{Kind: audit.ActorSystem, ID: "test"},
				org.NewApp{Name: "编目", DepartmentID: f.otherID, Scopes: []string{"catalog.read", "catalog.write"}}, t0)
			return err
		}); err != nil {
			b.Fatal(err)
		}
		req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/catalog/import?dry_run=true", bytes.NewReader(form))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+key)
		b.StartTimer()
		var resp *http.Response
		var err error
		peak, total := peakHeap(func() {
			if resp, err = http.DefaultClient.Do(req); err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("got %v %v", resp, err)
		}
		b.ReportMetric(float64(peak)/(1<<20), "MB-peak-heap")
		b.ReportMetric(float64(total)/(1<<20), "MB-allocated")
	}
}

// peakHeap runs f and returns the most heap its objects took while it ran
// (sampled every millisecond, after a collection before f) and the bytes
// allocated meanwhile.
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

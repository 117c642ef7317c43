package records_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/hutong-gov/hutong/internal/records"
)

// csvBenchBatch is a large CSV batch as offices upload one: a header and
// 100,000 add rows of 15 columns, Chinese names and addresses among them,
// one quoted cell holding a comma and a doubled quote, lines ended \r\n
// as Excel saves them: 26 MB (21 MB in GB18030).
func csvBenchBatch() []byte {
	var b bytes.Buffer
	b.WriteString("op,subject_id,produced_at,key,姓名,性别,出生日期,民族,户籍地址,联系电话,工作单位,职务,参保人数,备注,登记机关\r\n")
	for n := range 100_000 {
		fmt.Fprintf(&b, "add,44060219900307%04d,2026-03-02T10:00:00+08:00,k%d,姓名%d,男,1990-03-07,汉族,"+
			"\"佛山市南海区桂城街道南海大道%d号，“东”座\"\"A\"\"\",1380000%04d,佛山市南海区人民政府办公室,科员,%d,无,佛山市公安局南海分局\r\n",
			n%10000, n, n, n, n%10000, n%100)
	}
	return b.Bytes()
}

// BenchmarkCSVSource measures reading csvBenchBatch's operations from a
// CSV batch (records.CSV: bounding its records, reading their cells, the
// produced_at parsed), saved as UTF-8 and as GB18030, before any of them
// is checked against its entry. BenchmarkRead in internal/csvbound gives
// the bounding's part.
//
//	go test -run '^$' -bench CSVSource -benchmem -count 5 ./internal/records
func BenchmarkCSVSource(b *testing.B) {
	utf8Text := csvBenchBatch()
	gbText, err := simplifiedchinese.GB18030.NewEncoder().Bytes(utf8Text)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		text []byte
	}{{"utf8", utf8Text}, {"gb18030", gbText}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			for b.Loop() {
				src := records.CSV(bytes.NewReader(c.text))
				n := 0
				for {
					var op records.Op
					_, err := src.Next(&op)
					if err == io.EOF {
						break
					}
					if err != nil || len(op.Values) != 11 {
						b.Fatal(op, err)
					}
					n++
				}
				if n != 100_000 {
					b.Fatalf("%d operations, want 100000", n)
				}
			}
		})
	}
}

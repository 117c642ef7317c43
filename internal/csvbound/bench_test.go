package csvbound_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"testing"

	"github.com/hutong-gov/hutong/internal/csvbound"
)

// benchText is a large CSV batch as offices upload one: a header and
// 100,000 rows of 15 columns, Chinese names and addresses among them, one
// quoted cell holding a comma and a doubled quote, lines ended \r\n as
// Excel saves them: 26 MB.
func benchText() []byte {
	var b bytes.Buffer
	b.WriteString("op,subject_id,produced_at,key,姓名,性别,出生日期,民族,户籍地址,联系电话,工作单位,职务,参保人数,备注,登记机关\r\n")
	for n := range 100_000 {
		fmt.Fprintf(&b, "add,44060219900307%04d,2026-03-02T10:00:00+08:00,k%d,姓名%d,男,1990-03-07,汉族,"+
			"\"佛山市南海区桂城街道南海大道%d号，“东”座\"\"A\"\"\",1380000%04d,佛山市南海区人民政府办公室,科员,%d,无,佛山市公安局南海分局\r\n",
			n%10000, n, n, n, n%10000, n%100)
	}
	return b.Bytes()
}

// BenchmarkRead reads benchText's records with encoding/csv, as the
// records and catalog imports read a CSV file, through a Reader bounding
// them (bounded) and straight from the bytes (plain): the Reader's cost is
// their difference.
//
//	go test -run '^$' -bench Read -benchmem -count 5 ./internal/csvbound
func BenchmarkRead(b *testing.B) {
	text := benchText()
	for _, c := range []struct {
		name string
		src  func() io.Reader
	}{
		{"plain", func() io.Reader { return bytes.NewReader(text) }},
		{"bounded", func() io.Reader { return csvbound.New(bytes.NewReader(text), ',', 1<<20, 4096) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				r := csv.NewReader(c.src())
				r.FieldsPerRecord = -1
				r.ReuseRecord = true
				n := 0
				for {
					rec, err := r.Read()
					if err == io.EOF {
						break
					}
					if err != nil || len(rec) != 15 {
						b.Fatal(rec, err)
					}
					n++
				}
				if n != 100_001 {
					b.Fatalf("%d records, want 100001", n)
				}
			}
		})
	}
}

package catalogio

import "testing"

// fuzzParse checks that a file of any content neither panics nor yields
// an error without a row (except the file-level ones) or out of range.
func fuzzParse(t *testing.T, data []byte, f Format) {
	p := parse(data, f, nil)
	fileLevel := map[string]bool{"malformed_file": true, "malformed_workbook": true, "missing_sheet": true,
		"missing_column": true, "empty_file": true, "invalid_encoding": true, "malformed_csv": true, "too_many_rows": true}
	for _, e := range p.errs {
		if e.Row == 0 && !fileLevel[e.Code] {
			t.Errorf("error without row number: %+v", e)
		}
		if e.Message == "" {
			t.Errorf("error without message: %+v", e)
		}
	}
	for _, rec := range p.records {
		if rec.row <= 0 {
			t.Fatalf("record without row number")
		}
		b := &builder{rec: rec, defaults: map[string]string{}}
		res, _ := b.build()
		for _, e := range append(b.errs, validation(rec, res, b.errs)...) {
			if e.Row <= 0 || e.Message == "" {
				t.Errorf("row error without row or message: %+v", e)
			}
		}
	}
}

func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("资源名称,摘要,更新周期,信息项\n户籍,人口,每天,姓名、身份证号\n"))
	f.Add([]byte("resource_name,update_frequency\n\"a\"\"b\",每 2 日\n"))
	f.Add([]byte("\xef\xbb\xbf资源名称,信息项名称,数据类型,长度\n甲,编号,varchar(20),\n,名称,C,x\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, CSV) })
}

func FuzzImportXLSX(f *testing.F) {
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, XLSX) })
}

func FuzzImportJSONL(f *testing.F) {
	f.Add([]byte(`{"name":"甲","items":[{"name":"乙","type":"C","length":1}]}` + "\n{}\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParse(t, data, JSONL) })
}

package catalogio

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/hutong-gov/hutong/internal/errs"
)

// chinese fails unless err is an Invalid error with a code and a Chinese
// message.
func chinese(t *testing.T, err error) {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Kind != errs.Invalid || e.Code == "" ||
		!strings.ContainsFunc(e.Message, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Fatalf("refused with %#v, want an Invalid error with a code and a Chinese message", err)
	}
}

// FuzzImportMapping reads an arbitrary saved mapping (the body of POST
// /catalog/import-mappings, checked as SaveMapping does) and, when it is
// valid, imports an arbitrary CSV file with it (the m != nil path of
// parse): a mapping is refused with a Chinese message or kept through
// Canonical; a file neither panics (parse turns a panic into
// malformed_file, which encoding/csv never causes) nor yields a row error
// without its row or message. ReadHeaders, which the console reads before
// a mapping is chosen, is held to the same on the same file.
func FuzzImportMapping(f *testing.F) {
	csvFile := "资源名称,摘要,更新周期,信息项\n外国企业常驻代表机构登记,外国企业常驻代表机构登记,每天,名称、住所\n"
	f.Add([]byte(`{"name":"宁夏开放数据","columns":{"resource_name":"name","description":"abstract","update_frequency":"更新周期","data_items":"信息项","tags":""},"defaults":{"网络环境":"政务外网","开放属性":"有条件开放"}}`),
		[]byte("resource_name,provider_dept,update_frequency,data_items,description,tags\n第一类非药品类易制毒化学品生产许可证变更申请书_申请单位基本情况表信息,自治区应急管理厅,每年,,第一类非药品类易制毒化学品生产许可证变更申请书,\n"))
	f.Add([]byte(`{"name":"x","columns":{"资源名称":"name"," 摘要 ":"abstract"},"defaults":{"item.type":"C","item.length":"abc"}}`), []byte(csvFile))
	f.Add([]byte(`{"name":"x","defaults":{"name":"甲"}}`), []byte(csvFile))
	f.Add([]byte(`{"name":"  ","columns":{}}`), []byte(""))
	f.Add([]byte(`{"name":"x","columns":{"a":"nothing"}}`), []byte("a\n1\n"))
	f.Add([]byte(`{"name":"x","columns":{"a":"name","b":"name"}}`), []byte("a,b\n\"甲\",\"乙\"\n,\n"))
	f.Fuzz(func(t *testing.T, mapping, data []byte) {
		if h, err := ReadHeaders(data, CSV); err != nil {
			chinese(t, err)
			if errs.As(err).Code == "malformed_file" {
				t.Fatalf("ReadHeaders panicked on %q", data)
			}
		} else if len(h.Entries) == 0 {
			t.Fatalf("%q: no headers and no error", data)
		}
		var m Mapping
		if json.Unmarshal(mapping, &m) != nil {
			return
		}
		if err := m.Validate(); err != nil {
			chinese(t, err)
			return
		}
		m = m.Canonical()
		if err := m.Validate(); err != nil {
			t.Fatalf("mapping %s valid, its canonical form %+v is not: %v", mapping, m, err)
		}
		p := parse(data, CSV, &m)
		for _, e := range p.errs {
			if e.Code == "malformed_file" {
				t.Fatalf("parse panicked on %q with mapping %s", data, mapping)
			}
			if e.Message == "" {
				t.Errorf("error without message: %+v", e)
			}
		}
		for _, rec := range p.records {
			if rec.row <= 0 {
				t.Fatalf("record without row number")
			}
			b := &builder{rec: rec, defaults: m.defaults()}
			res, _ := b.build()
			for _, e := range append(b.errs, validation(rec, res, b.errs)...) {
				if e.Row <= 0 || e.Message == "" {
					t.Errorf("row error without row or message: %+v", e)
				}
			}
		}
	})
}

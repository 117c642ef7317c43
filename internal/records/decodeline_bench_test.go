package records

import "testing"

// BenchmarkDecodeLine measures a JSON line read by encoding/json, one
// decodeFast declines (a number among its values): its keys checked, the
// line decoded.
//
//	go test -run '^$' -bench DecodeLine ./internal/records
func BenchmarkDecodeLine(b *testing.B) {
	line := []byte(`{"op":"add","subject_id":"110101199003070011","produced_at":"2026-03-02T10:00:00+08:00","key":"k1",` +
		`"values":{"姓名":"张三","出生日期":"1990-01-01","户籍地址":"佛山市南海区桂城街道1号","参保人数":1}}`)
	b.ReportAllocs()
	for b.Loop() {
		var w WireOp
		if unknown, err := decodeLine(line, &w); err != nil || len(unknown) > 0 {
			b.Fatal(unknown, err)
		}
	}
}

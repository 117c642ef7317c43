package records

import (
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/hutong-gov/hutong/internal/errs"
)

// fuzzTypes are the item types checkValue reads, and one it does not.
var fuzzTypes = []string{"C", "N", "Y", "I", "B", "F", "D", "T", "L", "M", "G", "", "X"}

// FuzzNormalize pushes one operation with one value through normalize
// (and so checkValue) against an entry of each subject kind, with the
// date-times of a JSON line or of a CSV file: a refusal is an Invalid
// error with a code and a Chinese message; an accepted operation is
// accepted again as it came out, unchanged (normalising a normalised value
// changes nothing), with the same warnings.
func FuzzNormalize(f *testing.F) {
	f.Add(uint8(0), "11010519491231002X", uint8(0), uint8(0), false, "姓名", "张三", false)
	f.Add(uint8(0), "110105194912310", uint8(0), uint8(18), true, "公民身份号码", " 11010519491231002x ", false)
	f.Add(uint8(1), "91350100M000100Y43", uint8(1), uint8(6), false, "注册资本", "0100.500", false)
	f.Add(uint8(1), "91350100M000100Y44", uint8(0), uint8(0), true, "统一社会信用代码", "91350100m000100y44", false)
	f.Add(uint8(2), "粤(2026)佛山市不动产权第0000001号", uint8(3), uint8(3), false, "层数", "+012", false)
	f.Add(uint8(2), "k", uint8(4), uint8(0), false, "面积", "1e400", true)
	f.Add(uint8(2), "k", uint8(5), uint8(0), false, "面积", "-0.0", true)
	f.Add(uint8(2), "k", uint8(6), uint8(0), false, "出生日期", "2026年2月3日", false)
	f.Add(uint8(2), "k", uint8(6), uint8(0), false, "出生日期", "2026年2月30日", false)
	f.Add(uint8(2), "k", uint8(7), uint8(0), false, "登记时间", "2026-03-02T10:00:00.123+14:00", false)
	f.Add(uint8(2), "k", uint8(7), uint8(0), false, "登记时间", "2026/3/2 9:05", true)
	f.Add(uint8(2), "k", uint8(7), uint8(0), false, "登记时间", "9999-12-31T23:00:00-10:00", false)
	f.Add(uint8(2), "k", uint8(8), uint8(0), false, "是否有效", "是", false)
	f.Add(uint8(2), "k", uint8(12), uint8(0), false, "x", "1", false)
	f.Add(uint8(0), "11010519491231002X", uint8(0), uint8(0), false, "名字", "李四", false)
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, kind uint8, subject string, typ, length uint8, identifies bool, name, value string, csv bool) {
		e := &Entry{Code: "fuzz", SubjectKind: []string{Person, LegalEntity, NoSubject}[int(kind)%3]}
		e.Items = []Item{{Name: "姓名", Type: "C", Length: 50},
			{Name: "值", Type: fuzzTypes[int(typ)%len(fuzzTypes)], Length: int(length % 64), IdentifiesSubject: identifies}}
		if name != "姓名" && name != "名字" {
			e.Items[1].Name = name
		}
		e.index()
		times := isoTimes
		if csv {
			times = excelTimes
		}
		op := Op{Op: Add, SubjectID: subject, ProducedAt: t0, Values: map[string]string{name: value}}
		warns, err := e.normalize(&op, t0, times)
		if err != nil {
			wantRefusal(t, err)
			return
		}
		again := op
		again.Values = maps.Clone(op.Values)
		warns2, err := e.normalize(&again, t0, times)
		if err != nil {
			t.Fatalf("%+v (from %q: %q) refused when normalised again: %v", op, name, value, err)
		}
		if !reflect.DeepEqual(again, op) {
			t.Fatalf("normalised again, %+v became %+v (from %q: %q)", op, again, name, value)
		}
		if !reflect.DeepEqual(warns, warns2) {
			t.Fatalf("%+v: warnings %+v, normalised again %+v", op, warns, warns2)
		}
	})
}

// wantRefusal fails unless err is an Invalid error with a code and a
// Chinese message.
func wantRefusal(t *testing.T, err error) {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Kind != errs.Invalid || e.Code == "" || !strings.ContainsFunc(e.Message, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Fatalf("refused with %#v, want an Invalid error with a code and a Chinese message", err)
	}
}

package calendar_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
)

func date(y int, m time.Month, d int) calendar.Date {
	return calendar.Date{Year: y, Month: m, Day: d}
}

func TestParse(t *testing.T) {
	const in = "\uFEFF# 示例\n" +
		"2026-02-15..2026-02-23 holiday 春节 # 共9天\n" +
		"\n" +
		"  2026-02-14\tworkday  春节  调休\r\n" +
		"2026-05-02..2026-05-02 holiday 周六也可以放假\n"
	got, err := calendar.Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []calendar.Rule{
		{From: date(2026, time.February, 15), To: date(2026, time.February, 23), Kind: calendar.Holiday, Name: "春节", Line: 2},
		{From: date(2026, time.February, 14), To: date(2026, time.February, 14), Kind: calendar.AdjustedWorkday, Name: "春节 调休", Line: 4},
		{From: date(2026, time.May, 2), To: date(2026, time.May, 2), Kind: calendar.Holiday, Name: "周六也可以放假", Line: 5},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Parse =\n%v\nwant\n%v", got, want)
	}
	var buf bytes.Buffer
	if err := calendar.Format(&buf, got); err != nil {
		t.Fatal(err)
	}
	const wantText = "2026-02-15..2026-02-23 holiday 春节\n2026-02-14 workday 春节 调休\n2026-05-02 holiday 周六也可以放假\n"
	if buf.String() != wantText {
		t.Errorf("Format =\n%s\nwant\n%s", buf.String(), wantText)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // the whole user-facing message
	}{
		{"missing name", "# x\n2026-01-01 holiday\n", "第2行：格式应为“日期或日期范围 holiday|workday 名称”，例如“2026-02-15..2026-02-23 holiday 春节”"},
		{"name is a comment", "2026-01-01 holiday #元旦\n", "第1行：格式应为“日期或日期范围 holiday|workday 名称”，例如“2026-02-15..2026-02-23 holiday 春节”"},
		{"bad type", "\n\n2026-01-01 rest 元旦\n", "第3行：类型“rest”无效，应为 holiday（放假）或 workday（调休上班）"},
		{"bad date", "2026-02-30 holiday 春节\n", "第1行：日期“2026-02-30”无效，应为 YYYY-MM-DD 格式的真实日期"},
		{"short date", "2026-2-3 holiday 春节\n", "第1行：日期“2026-2-3”无效，应为 YYYY-MM-DD 格式的真实日期"},
		{"bad range end", "2026-02-15..23 holiday 春节\n", "第1行：日期“23”无效，应为 YYYY-MM-DD 格式的真实日期"},
		{"year zero", "0000-01-01 holiday 元旦\n", "第1行：日期“0000-01-01”超出支持范围"},
		{"reversed range", "2026-02-23..2026-02-15 holiday 春节\n", "第1行：结束日期 2026-02-15 早于开始日期 2026-02-23"},
		{"range too long", "2026-01-01..2026-03-01 holiday 寒假\n", "第1行：日期范围共 60 天，超过 31 天上限"},
		{"workday on a weekday", "2026-02-14 workday 春节调休\n2026-02-16 workday 春节调休\n", "第2行：2026-02-16 是周一，本来就是工作日，调休上班只能安排在周六或周日"},
		{"workday range with a weekday", "2026-02-13..2026-02-14 workday 调休\n", "第1行：2026-02-13 是周五，本来就是工作日，调休上班只能安排在周六或周日"},
		{"overlapping holidays", "2026-02-15..2026-02-23 holiday 春节\n# 重复\n2026-02-20..2026-02-21 holiday 春节\n", "第3行：2026-02-20 已在规则“2026-02-15..2026-02-23 holiday 春节”中安排"},
		{"contradicting", "2026-02-14 workday 春节调休\n2026-02-14 holiday 春节\n", "第2行：2026-02-14 已在规则“2026-02-14 workday 春节调休”中安排"},
		{"control character", "2026-01-01 holiday 元\x01旦\n", "第1行：名称不能包含控制字符或换行"},
		{"invalid UTF-8", "2026-01-01 holiday \xff\n", "第1行：名称不是有效的 UTF-8 文本"},
		{"line too long", "2026-01-01 holiday 元旦\n" + strings.Repeat("x", 70000) + "\n", "第2行：行太长"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := calendar.Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("Parse = %v, want error %q", rules, tt.want)
			}
			e := errs.As(err)
			if e == nil || e.Kind != errs.Invalid {
				t.Fatalf("Parse error = %#v, want an errs.Invalid error", err)
			}
			if e.Message != tt.want {
				t.Errorf("message = %q, want %q", e.Message, tt.want)
			}
		})
	}
}

func TestWithValidates(t *testing.T) {
	d := func(y int, m time.Month, day int) calendar.Date { return date(y, m, day) }
	tests := []struct {
		name string
		rule calendar.Rule
		want string
	}{
		{"no kind", calendar.Rule{From: d(2027, 1, 1), To: d(2027, 1, 1), Name: "元旦"}, "规则“2027-01-01 工作日 元旦”：类型必须是 holiday（放假）或 workday（调休上班）"},
		{"unnormalized date", calendar.Rule{From: d(2027, 2, 29), To: d(2027, 2, 29), Kind: calendar.Holiday, Name: "x"}, "规则“2027-02-29 holiday x”：日期 2027-02-29 无效"},
		{"name with #", calendar.Rule{From: d(2027, 1, 1), To: d(2027, 1, 1), Kind: calendar.Holiday, Name: "元旦#1"}, "规则“2027-01-01 holiday 元旦#1”：名称不能包含 #"},
		{"empty name", calendar.Rule{From: d(2027, 1, 1), To: d(2027, 1, 1), Kind: calendar.Holiday, Name: " ", Line: 7}, "第7行：缺少名称"},
		{"overlap with embedded", calendar.Rule{From: d(2026, 10, 7), To: d(2026, 10, 8), Kind: calendar.Holiday, Name: "加一天"}, "规则“2026-10-07..2026-10-08 holiday 加一天”：2026-10-07 与内置的放假安排“2026-10-01..2026-10-07 holiday 国庆节”冲突"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := calendar.Default().With([]calendar.Rule{tt.rule})
			if e := errs.As(err); e == nil || e.Message != tt.want {
				t.Errorf("With error = %v, want message %q", err, tt.want)
			}
		})
	}
}

// TestEmbeddedData checks that the shipped files parse on their own and that
// each year has the expected number of working days (from the notices:
// 365 days, 261 weekdays, minus weekday holidays, plus adjusted workdays).
func TestEmbeddedData(t *testing.T) {
	files, err := filepath.Glob("data/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("data files: %v %v", files, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := calendar.Parse(bytes.NewReader(data)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	c := calendar.Default()
	for _, tt := range []struct{ year, working, holidays, adjusted int }{
		{2025, 248, 28, 5},
		{2026, 248, 33, 6},
	} {
		var holidays, adjusted int
		for _, r := range c.Rules() {
			if r.From.Year != tt.year {
				continue
			}
			switch r.Kind {
			case calendar.Holiday:
				holidays += r.Days()
			case calendar.AdjustedWorkday:
				adjusted += r.Days()
			}
		}
		last := time.Date(tt.year-1, 12, 31, 0, 0, 0, 0, calendar.Location())
		working := c.WorkingDaysBetween(last, last.AddDate(1, 0, 0))
		if working != tt.working || holidays != tt.holidays || adjusted != tt.adjusted {
			t.Errorf("%d: %d working days, %d holidays, %d adjusted; want %d, %d, %d",
				tt.year, working, holidays, adjusted, tt.working, tt.holidays, tt.adjusted)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("data/*.txt")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("2026-02-15..2026-02-23 holiday 春节\n2026-02-14 workday 春节调休\n")
	f.Add("2026-02-14 workday 春节调休\n2026-02-14 holiday 春节\n")
	f.Add("\uFEFF2026-01-01 holiday  a  b # c\r\n")
	f.Add("9999-12-01..9999-12-31 holiday 末\n0001-01-01 holiday 始\n")
	f.Fuzz(func(t *testing.T, in string) {
		rules, err := calendar.Parse(strings.NewReader(in))
		if err != nil {
			if errs.As(err) == nil {
				t.Fatalf("Parse error %v is not an *errs.Error", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := calendar.Format(&buf, rules); err != nil {
			t.Fatal(err)
		}
		again, err := calendar.Parse(&buf)
		if err != nil {
			t.Fatalf("Parse(Format(rules)) error: %v\n%s", err, buf.String())
		}
		if len(again) != len(rules) {
			t.Fatalf("round trip: %d rules, want %d", len(again), len(rules))
		}
		for i := range rules {
			a, b := rules[i], again[i]
			a.Line, b.Line = 0, 0
			if a != b {
				t.Errorf("round trip rule %d = %v, want %v", i, b, a)
			}
		}
		if _, err := calendar.Default().With(rules); err != nil && errs.As(err) == nil {
			t.Fatalf("With error %v is not an *errs.Error", err)
		}
	})
}

// TestParseUTF16: a file saved as UTF-16 (Notepad's "Unicode"), with
// either byte order mark or none, is refused saying so, where Parse
// answered 日期 "\xff\xfe2\x000\x00…" 无效.
func TestParseUTF16(t *testing.T) {
	const text = "2027-10-01..2027-10-07 holiday 国庆节\n"
	var le, be []byte
	for _, r := range text {
		for _, u := range utf16.Encode([]rune{r}) {
			le = append(le, byte(u), byte(u>>8))
			be = append(be, byte(u>>8), byte(u))
		}
	}
	for name, data := range map[string][]byte{
		"UTF-16LE with BOM": append([]byte{0xFF, 0xFE}, le...),
		"UTF-16BE with BOM": append([]byte{0xFE, 0xFF}, be...),
		"UTF-16LE":          le,
		"UTF-16BE":          be,
	} {
		_, err := calendar.Parse(bytes.NewReader(data))
		if e := errs.As(err); e == nil || e.Kind != errs.Invalid || e.Message != "文件是 UTF-16 编码，请另存为 UTF-8" {
			t.Errorf("%s: %v, want 文件是 UTF-16 编码，请另存为 UTF-8", name, err)
		}
	}
}

// TestWorkdayOnStatutoryHoliday: a file could make a day off that
// 《全国年节及纪念日放假办法》 fixes (劳动节 05-01, 国庆节 10-02..10-03 of
// 2027, a weekend) an adjusted working day; the line is refused. So is
// one on a statutory holiday that falls on a weekday (国庆节 2026-10-01, a
// Thursday), as a statutory day off: it was refused as a weekday that 本来
// 就是工作日, which it is not.
func TestWorkdayOnStatutoryHoliday(t *testing.T) {
	for text, want := range map[string]string{
		"2027-05-01 workday 劳动节调休\n":               "第1行：2027-05-01 是《全国年节及纪念日放假办法》规定的劳动节假日，是法定休息日，不能安排调休上班",
		"\n2027-10-02..2027-10-03 workday 国庆节调休\n": "第2行：2027-10-02 是《全国年节及纪念日放假办法》规定的国庆节假日，是法定休息日，不能安排调休上班",
		"2028-01-01 workday 元旦调休\n":                "第1行：2028-01-01 是《全国年节及纪念日放假办法》规定的元旦假日，是法定休息日，不能安排调休上班",
		"2026-10-01 workday 国庆节调休\n":               "第1行：2026-10-01 是《全国年节及纪念日放假办法》规定的国庆节假日，是法定休息日，不能安排调休上班",
		"2026-09-30..2026-10-01 workday 调休\n":      "第1行：2026-09-30 是周三，本来就是工作日，调休上班只能安排在周六或周日",
	} {
		_, err := calendar.Parse(strings.NewReader(text))
		if e := errs.As(err); e == nil || e.Message != want || e.Code != "invalid_calendar_rule" {
			t.Errorf("Parse(%q) error = %v, want %s", text, err, want)
		}
	}
	// Built rules are checked alike; a weekend day next to a holiday is fine.
	r := calendar.Rule{From: calendar.Date{Year: 2027, Month: time.May, Day: 2}, To: calendar.Date{Year: 2027, Month: time.May, Day: 2},
		Kind: calendar.AdjustedWorkday, Name: "劳动节调休"}
	if _, err := calendar.Default().With([]calendar.Rule{r}); err == nil {
		t.Error("With(workday 2027-05-02) accepted")
	}
	if _, err := calendar.Parse(strings.NewReader("2027-05-08 workday 劳动节调休\n")); err != nil {
		t.Errorf("Parse(workday 2027-05-08): %v", err)
	}
}

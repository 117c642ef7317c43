package calendar

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/errs"
)

// Kind classifies a day.
type Kind uint8

const (
	Workday         Kind = iota // Monday to Friday without arrangement
	Weekend                     // Saturday or Sunday without arrangement
	Holiday                     // day off by the arrangement (法定节假日及调休放假)
	AdjustedWorkday             // weekend day worked by the arrangement (调休上班)
)

// String returns the Chinese label of k.
func (k Kind) String() string {
	switch k {
	case Workday:
		return "工作日"
	case Weekend:
		return "周末"
	case Holiday:
		return "节假日"
	case AdjustedWorkday:
		return "调休上班"
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Working reports whether days of kind k are working days.
func (k Kind) Working() bool { return k == Workday || k == AdjustedWorkday }

// maxSpan is the longest range one rule may cover, in days. The longest
// real holiday is nine days; the limit catches typing mistakes in years.
const maxSpan = 31

// Rule is one line of an arrangement: the days From to To, both included,
// are either a Holiday or an AdjustedWorkday, named Name (e.g. "春节").
type Rule struct {
	From, To Date
	Kind     Kind   // Holiday or AdjustedWorkday
	Name     string // non-empty, one line, without '#'
	Line     int    // line in the parsed file, 0 if unknown; for messages only
}

// String formats r as a line of the file format, without Line.
func (r Rule) String() string {
	dates := r.From.String()
	if r.To != r.From {
		dates += ".." + r.To.String()
	}
	word := r.Kind.String() // only in messages about invalid rules
	switch r.Kind {
	case Holiday:
		word = "holiday"
	case AdjustedWorkday:
		word = "workday"
	}
	return dates + " " + word + " " + r.Name
}

// Days returns the number of days r covers.
func (r Rule) Days() int { return r.To.num() - r.From.num() + 1 }

// same reports whether r and o arrange the same days alike under the same
// name, wherever each was read.
func (r Rule) same(o Rule) bool {
	return r.From == o.From && r.To == o.To && r.Kind == o.Kind && r.Name == o.Name
}

// where prefixes messages about r with its line, or the rule itself.
func (r Rule) where() string {
	if r.Line > 0 {
		return fmt.Sprintf("第%d行：", r.Line)
	}
	return fmt.Sprintf("规则“%s”：", r)
}

// validate checks r on its own; overlaps are checked when building a
// Calendar. An adjusted working day must be a Saturday or Sunday and not a
// holiday the law fixes (StatutoryHolidays): notices move weekends, never
// the statutory days off.
func (r Rule) validate() error {
	switch {
	case r.Kind != Holiday && r.Kind != AdjustedWorkday:
		return ruleError(r, "类型必须是 holiday（放假）或 workday（调休上班）")
	case !r.From.valid():
		return ruleError(r, fmt.Sprintf("日期 %s 无效", r.From))
	case !r.To.valid():
		return ruleError(r, fmt.Sprintf("日期 %s 无效", r.To))
	case r.To.num() < r.From.num():
		return ruleError(r, fmt.Sprintf("结束日期 %s 早于开始日期 %s", r.To, r.From))
	case r.Days() > maxSpan:
		return ruleError(r, fmt.Sprintf("日期范围共 %d 天，超过 %d 天上限", r.Days(), maxSpan))
	}
	if msg := checkName(r.Name); msg != "" {
		return ruleError(r, msg)
	}
	if r.Kind == AdjustedWorkday {
		// A statutory day off is told as such first: on a weekday it is
		// no working day, whatever its weekday.
		for n := r.From.num(); n <= r.To.num(); n++ {
			if ld, ok := lawDayOf(n); ok && !ld.makeup {
				return ruleError(r, fmt.Sprintf("%s 是《全国年节及纪念日放假办法》规定的%s假日，是法定休息日，不能安排调休上班",
					fromNum(n), ld.name))
			}
			if !isWeekend(n) {
				return ruleError(r, fmt.Sprintf("%s 是%s，本来就是工作日，调休上班只能安排在周六或周日",
					fromNum(n), weekdayName(weekday(n))))
			}
		}
	}
	return nil
}

func checkName(name string) string {
	switch {
	case strings.TrimSpace(name) == "":
		return "缺少名称"
	case !utf8.ValidString(name):
		return "名称不是有效的 UTF-8 文本"
	case strings.ContainsRune(name, '#'):
		return "名称不能包含 #"
	case strings.ContainsFunc(name, unicode.IsControl):
		return "名称不能包含控制字符或换行"
	}
	return ""
}

func ruleError(r Rule, msg string) error {
	return errs.E(errs.Invalid, "invalid_calendar_rule", r.where()+msg)
}

func lineError(line int, msg string) error {
	return errs.E(errs.Invalid, "invalid_calendar_rule", fmt.Sprintf("第%d行：%s", line, msg))
}

// Parse reads an arrangement in the text format described in the package
// documentation. Errors are *errs.Error of kind Invalid whose message names
// the offending line, or says that the text is UTF-16 (as Windows Notepad
// saves "Unicode"), not UTF-8. Parse rejects rules that overlap each other; use
// [Calendar.With] to check them against a calendar.
func Parse(r io.Reader) ([]Rule, error) {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(2); isUTF16(head) {
		return nil, errs.E(errs.Invalid, "invalid_calendar_encoding", "文件是 UTF-16 编码，请另存为 UTF-8")
	}
	var rules []Rule
	sc := bufio.NewScanner(br)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\uFEFF") // byte order mark from Windows editors
		}
		text, _, _ = strings.Cut(text, "#")
		fields := strings.Fields(text)
		if len(fields) == 0 {
			continue
		}
		if len(fields) < 3 {
			return nil, lineError(line, "格式应为“日期或日期范围 holiday|workday 名称”，例如“2026-02-15..2026-02-23 holiday 春节”")
		}
		rule := Rule{Name: strings.Join(fields[2:], " "), Line: line}
		var err error
		if rule.From, rule.To, err = parseRange(fields[0]); err != nil {
			return nil, lineError(line, err.Error())
		}
		switch fields[1] {
		case "holiday":
			rule.Kind = Holiday
		case "workday":
			rule.Kind = AdjustedWorkday
		default:
			return nil, lineError(line, fmt.Sprintf("类型“%s”无效，应为 holiday（放假）或 workday（调休上班）", fields[1]))
		}
		if err := rule.validate(); err != nil {
			return nil, err
		}
		rules = append(rules, rule)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, lineError(line+1, "行太长")
		}
		return nil, fmt.Errorf("read calendar rules: %w", err)
	}
	if _, err := new(Calendar).With(rules); err != nil {
		return nil, err
	}
	return rules, nil
}

// isUTF16 reports whether the first two bytes of a file are those of
// UTF-16 text: a byte order mark (FF FE or FE FF), or one zero byte, as an
// ASCII character has in UTF-16 and no line of the format starts with.
func isUTF16(head []byte) bool {
	if len(head) < 2 {
		return false
	}
	if head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF {
		return true
	}
	return (head[0] == 0) != (head[1] == 0)
}

func parseRange(s string) (from, to Date, err error) {
	a, b, isRange := strings.Cut(s, "..")
	if from, err = parseDate(a); err != nil {
		return from, to, err
	}
	if !isRange {
		return from, from, nil
	}
	to, err = parseDate(b)
	return from, to, err
}

func parseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return Date{}, fmt.Errorf("日期“%s”无效，应为 YYYY-MM-DD 格式的真实日期", s)
	}
	d := Date{t.Year(), t.Month(), t.Day()}
	if !d.valid() {
		return Date{}, fmt.Errorf("日期“%s”超出支持范围", s)
	}
	return d, nil
}

// Format writes rules in the text format that Parse reads, one per line.
func Format(w io.Writer, rules []Rule) error {
	bw := bufio.NewWriter(w)
	for _, r := range rules {
		bw.WriteString(r.String())
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

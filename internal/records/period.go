package records

import (
	"regexp"
	"strings"

	"github.com/hutong-gov/hutong/internal/text"
)

// Period is how often an entry whose update frequency is 其他 (other) is
// updated, as its description (具体更新周期) states it: Months calendar
// months, Weeks weeks, Days calendar days (天, 日) or WorkingDays working
// days (工作日), exactly one of them not zero.
type Period struct {
	Months, Weeks, Days, WorkingDays int
}

// everyPeriod reads the usual descriptions of a period: 每三年, 每2个月,
// 每两周, 每半年, 每隔三年, 每30天, 每5个工作日, and the same as 三年一次,
// 每三年更新一次.
var everyPeriod = regexp.MustCompile(`^(?:每隔|每)?([0-9一二两三四五六七八九十]*|半)(?:个)?(年|季度|季|月|周|星期|工作日|日|天)(?:更新)?(?:一次)?$`)

// maxPeriodCount is the most units a period counts (OtherPeriod): a larger
// number (每99999999999999999999年, which text.ChineseNumber reads as
// math.MaxInt) counts as it, a period no entry waits out, so that its
// months (12 a year) and its length in time (Stale) cannot overflow into
// a short or negative one.
const maxPeriodCount = 10000

// OtherPeriod reads the period a 具体更新周期 states: every N years, quarters,
// months, weeks, calendar days (天, 日) or working days (工作日), N in digits (full-width too) or Chinese numerals up
// to 99 (三, 两, 十二), or every half year (每半年, 6 months) or half month
// (每半月, 2 weeks). The text must say it is a period: start with 每 (every)
// or end with 一次 (once). ok is false for any other text (不定期, 按需更新,
// 每年两次, 一次性): the platform cannot tell when such an entry is due, and
// does not judge it.
func OtherPeriod(s string) (Period, bool) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return text.NarrowRune(r)
		case r == ' ' || r == '\u3000' || r == '\t':
			return -1
		}
		return r
	}, s)
	m := everyPeriod.FindStringSubmatch(s)
	if m == nil || !(strings.HasPrefix(s, "每") || strings.HasSuffix(s, "一次")) {
		return Period{}, false
	}
	unit := m[2]
	if m[1] == "半" {
		switch unit {
		case "年":
			return Period{Months: 6}, true
		case "月":
			return Period{Weeks: 2}, true
		}
		return Period{}, false
	}
	n := 1
	if m[1] != "" {
		n = min(text.ChineseNumber(m[1]), maxPeriodCount)
	}
	if n <= 0 {
		return Period{}, false
	}
	switch unit {
	case "年":
		return Period{Months: 12 * n}, true
	case "季度", "季":
		return Period{Months: 3 * n}, true
	case "月":
		return Period{Months: n}, true
	case "周", "星期":
		return Period{Weeks: n}, true
	case "工作日":
		return Period{WorkingDays: n}, true
	}
	return Period{Days: n}, true
}

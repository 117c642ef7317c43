package ident

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/errs"
)

// citizenWeights are the GB 11643 weights 2^(18-i) mod 11.
var citizenWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// earliestBirth is the earliest birth year accepted: no one living was
// born before, and eighteen digits read as born earlier (a credit code's,
// 91110118500611000X: 1850) are no citizen ID.
const earliestBirth = 1900

// CitizenID validates a citizen identity number (公民身份号码, GB 11643-1999):
// 18 digits, the last possibly X (x is accepted), with a province code from
// GB/T 2260 (for the foreign permanent resident ID card, first digit 9, in
// the second and third), a real birth date from 1900 up to today (China
// Standard Time) and the ISO 7064 MOD 11-2 check digit. A legacy 15-digit
// number is upgraded to 18 digits and reported with Upgraded set.
func CitizenID(s string) (Result, error) {
	return citizenID(s, time.Now())
}

func citizenID(input string, now time.Time) (Result, error) {
	const label = "公民身份号码"
	r := Result{Kind: KindCitizenID, Input: input}
	s := clean(input)
	n := utf8.RuneCountInString(s)
	if n != 18 && n != 15 {
		return r, citizenError(lengthMessage(label, "18位（旧版15位）", n))
	}
	if pos, c := firstBad(s, func(pos int, c byte) bool {
		return isDigit(c) || (pos == 18 && c == 'X')
	}); pos > 0 {
		return r, citizenError(badCharMessage(label, pos, c))
	}
	if n == 15 {
		body := s[:6] + "19" + s[6:]
		s = body + string(CitizenIDCheck(body))
		r.Upgraded = true
	}
	if p, ok := province(s); !ok {
		return r, citizenError(fmt.Sprintf("%s地址码无效：省级代码 %s 不存在", label, p))
	}
	birth, ok := birthDate(s)
	switch {
	case !ok:
		return r, citizenError(fmt.Sprintf("%s出生日期无效：%s", label, s[6:14]))
	case birth.Year() < earliestBirth:
		return r, citizenError(fmt.Sprintf("%s出生日期无效：%s 早于%d年", label, s[6:14], earliestBirth))
	case birth.After(chinaToday(now)):
		return r, citizenError(fmt.Sprintf("%s出生日期无效：%s 晚于今天", label, s[6:14]))
	}
	if want := CitizenIDCheck(s[:17]); s[17] != want {
		return r, citizenError(fmt.Sprintf("%s校验码错误，应为 %c", label, want))
	}
	r.Normalized = s
	r.Valid = true
	r.Birth = birth
	r.Male = (s[16]-'0')%2 == 1
	return r, nil
}

// CitizenIDCheck returns the check digit ('0'–'9' or 'X') for the first 17
// digits of a citizen ID, or 0 if first17 is not exactly 17 ASCII digits.
func CitizenIDCheck(first17 string) byte {
	if len(first17) != 17 || !isDigits(first17) {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * citizenWeights[i]
	}
	return "10X98765432"[sum%11]
}

func citizenError(msg string) error {
	return errs.E(errs.Invalid, CodeCitizenID, msg)
}

// plausibleCitizenID reports whether the 18 digits of s have a valid
// province, check digit and birth date, within the bounds CitizenID
// applies: from 1900 up to today in China (now).
func plausibleCitizenID(s string, now time.Time) bool {
	if _, ok := province(s); !ok || CitizenIDCheck(s[:17]) != s[17] {
		return false
	}
	birth, ok := birthDate(s)
	return ok && birth.Year() >= earliestBirth && !birth.After(chinaToday(now))
}

// province returns the province-level code of the citizen ID s (18
// digits) and whether it is one. It is the first two digits, but for the
// foreign permanent resident ID card of 2023 (外国人永久居留身份证), whose
// first digit is 9: its second and third are the issuing province, one of
// the mainland's (11–65), followed by a 3-digit nationality code
// (931840198501010013: Shanghai, 840 the United States).
func province(s string) (string, bool) {
	if s[0] == '9' {
		p := s[1:3]
		return p, '1' <= p[0] && p[0] <= '6' && isProvince(p)
	}
	return s[:2], isProvince(s[:2])
}

// isProvince reports whether the two digits p are a province-level code of
// GB/T 2260, including 71 (Taiwan), 81/82 (Hong Kong, Macao) and 83
// (Taiwan residents).
func isProvince(p string) bool {
	switch p[0] {
	case '1':
		return '1' <= p[1] && p[1] <= '5'
	case '2':
		return '1' <= p[1] && p[1] <= '3'
	case '3':
		return '1' <= p[1] && p[1] <= '7'
	case '4':
		return '1' <= p[1] && p[1] <= '6'
	case '5':
		return '0' <= p[1] && p[1] <= '4'
	case '6':
		return '1' <= p[1] && p[1] <= '5'
	case '7':
		return p[1] == '1'
	case '8':
		return '1' <= p[1] && p[1] <= '3'
	}
	return false
}

// birthDate parses the YYYYMMDD at positions 7–14 of the 18 digits of s.
func birthDate(s string) (time.Time, bool) {
	y, m, d := atoi(s[6:10]), atoi(s[10:12]), atoi(s[12:14])
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, t.Year() == y && int(t.Month()) == m && t.Day() == d
}

// chinaToday returns today's date in China Standard Time (UTC+8, no daylight
// saving) as midnight UTC, comparable with birthDate.
func chinaToday(now time.Time) time.Time {
	y, m, d := now.UTC().Add(8 * time.Hour).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// atoi converts a string of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

package ident

import (
	"fmt"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/errs"
)

// orgWeights are the GB 11714 weights.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// OrgCode validates an organisation code (组织机构代码, GB 11714-1997): 8
// digits or upper-case letters and a check character (digit or X), printed
// as XXXXXXXX-C; the hyphen may be omitted and lower-case letters are
// accepted. Normalized is the 9-character form without hyphen; Printed gives
// the hyphenated form.
func OrgCode(input string) (Result, error) {
	const label = "组织机构代码"
	r := Result{Kind: KindOrgCode, Input: input}
	s := clean(input)
	switch n := utf8.RuneCountInString(s); {
	case n == 10 && s[8] == '-':
		s = s[:8] + s[9:]
	case n == 10:
		return r, orgError(label + "格式应为 XXXXXXXX-C，连字符在第9位")
	case n != 9:
		return r, orgError(lengthMessage(label, "9位（含连字符10位）", n))
	}
	if pos, c := firstBad(s, func(pos int, c byte) bool {
		return pos == 9 || isDigit(c) || ('A' <= c && c <= 'Z')
	}); pos > 0 {
		return r, orgError(badCharMessage(label, pos, c))
	}
	if c := s[8]; !isDigit(c) && c != 'X' {
		return r, orgError(fmt.Sprintf("%s校验码应为数字或 X，实际为%s", label, charText(rune(c))))
	}
	if want := orgCheck(s[:8]); s[8] != want {
		return r, orgError(fmt.Sprintf("%s校验码错误，应为 %c", label, want))
	}
	r.Normalized = s
	r.Valid = true
	return r, nil
}

// OrgCodeCheck returns the check character ('0'–'9' or 'X') for the 8 body
// characters of an organisation code, which must be digits or upper-case
// letters.
func OrgCodeCheck(first8 string) (byte, error) {
	const label = "组织机构代码本体"
	if n := utf8.RuneCountInString(first8); n != 8 {
		return 0, orgError(lengthMessage(label, "8位", n))
	}
	if pos, c := firstBad(first8, func(pos int, c byte) bool {
		return isDigit(c) || ('A' <= c && c <= 'Z')
	}); pos > 0 {
		return 0, orgError(badCharMessage(label, pos, c))
	}
	return orgCheck(first8), nil
}

// orgCheck computes the check character of body, 8 characters from 0–9 and
// A–Z (A=10 … Z=35).
func orgCheck(body string) byte {
	sum := 0
	for i := 0; i < 8; i++ {
		v := int(body[i] - '0')
		if body[i] >= 'A' {
			v = int(body[i]-'A') + 10
		}
		sum += v * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

func orgError(msg string) error {
	return errs.E(errs.Invalid, CodeOrgCode, msg)
}

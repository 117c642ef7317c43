package ident

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/errs"
)

// usccAlphabet lists the 31 characters of GB 32100 (no I, O, S, V, Z); a
// character's value is its index.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the GB 32100 weights 3^(i-1) mod 31.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCC validates a unified social credit code (统一社会信用代码, GB 32100-2015):
// 18 characters from the GB 32100 alphabet, digits at positions 3–8 (the
// administrative division of the registering authority) and a check
// character. Lower-case letters are accepted.
//
// In Strict mode a wrong check character is an error; in Lenient mode it is
// a warning. In both modes an unknown registration department and category
// pair, and a wrong check character of the embedded organisation code
// (positions 9–17), are only warnings.
func USCC(input string, mode Mode) (Result, error) {
	const label = "统一社会信用代码"
	r := Result{Kind: KindUSCC, Input: input}
	s := clean(input)
	if n := utf8.RuneCountInString(s); n != 18 {
		return r, usccError(lengthMessage(label, "18位", n))
	}
	if pos, c := firstBad(s, func(pos int, c byte) bool {
		if 3 <= pos && pos <= 8 {
			return true // checked below, with its own message
		}
		return strings.IndexByte(usccAlphabet, c) >= 0
	}); pos > 0 {
		return r, usccError(badCharMessage(label, pos, c))
	}
	for i := 2; i < 8; i++ {
		if !isDigit(s[i]) {
			return r, usccError(fmt.Sprintf("%s第3–8位（登记管理机关行政区划码）应为数字，第%d位为%s", label, i+1, charText(rune(s[i]))))
		}
	}
	want, _ := USCCCheck(s[:17]) // cannot fail: s is checked above
	if s[17] != want {
		if mode != Lenient {
			return r, usccError(fmt.Sprintf("%s校验码错误，应为 %c", label, want))
		}
		r.Warnings = append(r.Warnings, fmt.Sprintf("校验码不符，应为 %c", want))
		r.WantCheck = want
	}
	if !knownCategory(s[0], s[1]) {
		r.Warnings = append(r.Warnings, fmt.Sprintf("登记管理部门和机构类别代码 %s 不在已知列表中", s[:2]))
	}
	if c := orgCheck(s[8:16]); s[16] != c {
		r.Warnings = append(r.Warnings, fmt.Sprintf("主体标识码（组织机构代码 %s）校验码不符，应为 %c", s[8:17], c))
	}
	r.Normalized = s
	r.Valid = true
	return r, nil
}

// LegalEntityMode is the Mode in which s, a legal entity's or a
// department's code, is taken as its identifier: Lenient, since real
// early credit codes fail the check and their company is known by the
// code it was issued, except Strict when s has a citizen ID's shape
// (Detect reads KindCitizenID: eighteen digits, or 17 and X, whose check
// fails as a credit code's). Such a number is a citizen ID or a code
// mistyped, never to be taken for a company's; the early codes known hold
// letters. A department's code and a record's subject follow this one
// rule, so that a department is always a subject under its own code.
func LegalEntityMode(s string) Mode {
	if Detect(s) == KindCitizenID {
		return Strict
	}
	return Lenient
}

// USCCCheck returns the check character for the first 17 characters of a
// unified social credit code. It does not require digits at positions 3–8.
func USCCCheck(first17 string) (byte, error) {
	const label = "统一社会信用代码本体"
	if n := utf8.RuneCountInString(first17); n != 17 {
		return 0, usccError(lengthMessage(label, "17位", n))
	}
	if pos, c := firstBad(first17, func(_ int, c byte) bool {
		return strings.IndexByte(usccAlphabet, c) >= 0
	}); pos > 0 {
		return 0, usccError(badCharMessage(label, pos, c))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(usccAlphabet, first17[i]) * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31], nil
}

func usccError(msg string) error {
	return errs.E(errs.Invalid, CodeUSCC, msg)
}

// knownCategory reports whether the registration department code dept and
// the category code cat form a pair listed in REQUIREMENTS B1.
func knownCategory(dept, cat byte) bool {
	var cats string
	switch dept {
	case '1': // 机构编制: 机关, 事业单位, 编办管理群团, 其他
		cats = "1239"
	case '2': // 外交
		cats = "19"
	case '3': // 司法行政: 律所, 公证处, 基层法律服务所, 司法鉴定, 仲裁委, 其他
		cats = "123459"
	case '4': // 文化
		cats = "19"
	case '5': // 民政: 社会团体, 民办非企业, 基金会, 其他
		cats = "1239"
	case '6': // 旅游
		cats = "129"
	case '7': // 宗教
		cats = "129"
	case '8': // 工会
		cats = "19"
	case '9': // 工商: 企业, 个体工商户, 农民专业合作社
		cats = "123"
	case 'A': // 中央军委改革和编制办公室
		cats = "19"
	case 'N': // 农业
		cats = "1239"
	case 'Y': // 其他
		cats = "1"
	}
	return strings.IndexByte(cats, cat) >= 0
}

// MakeUSCC completes a unified social credit code from its first eight
// characters (registration department, category, six-digit region code) and
// an eight-character organisation code body, adding both check characters.
// It is for generating demo and test data.
func MakeUSCC(first8, orgBody string) (string, error) {
	c, err := OrgCodeCheck(orgBody)
	if err != nil {
		return "", err
	}
	first17 := first8 + orgBody + string(c)
	check, err := USCCCheck(first17)
	if err != nil {
		return "", err
	}
	return first17 + string(check), nil
}

// Package ident validates the identifiers Hutong uses as subject keys: the
// citizen identity number (公民身份号码, GB 11643-1999), the unified social
// credit code (统一社会信用代码, GB 32100-2015), the organisation code
// (组织机构代码, GB 11714-1997) and the registration number of a business
// licence (工商注册号, GS15-2006); and the numbers of a person's other
// identity documents a record may be keyed by: a passport's, a mainland
// travel permit's, a foreigner's permanent residence ID's or a 证件号码 of
// a kind not given (document.go).
//
// Validators return a Result and, for invalid input, an *errs.Error of kind
// errs.Invalid whose Chinese message says exactly what is wrong.
package ident

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/text"
)

// Kind is the kind of an identifier.
type Kind int

// The constants carry a Kind prefix because CitizenID, USCC and OrgCode
// name the validators.
const (
	KindUnknown   Kind = iota // 未知
	KindCitizenID             // 公民身份号码
	KindUSCC                  // 统一社会信用代码
	KindOrgCode               // 组织机构代码
	KindRegNo                 // 工商注册号
	// The numbers of a person's other identity documents, which Validate
	// does not detect: a record names its subject by them where its entry
	// is keyed by one.
	KindPassport           // 护照号码
	KindHKMOPermit         // 港澳居民来往内地通行证号码
	KindTWPermit           // 台湾居民来往大陆通行证号码
	KindPermanentResidence // 外国人永久居留证号码
	KindDocument           // 证件号码, of a kind not given
)

// String returns the English name of k.
func (k Kind) String() string {
	switch k {
	case KindCitizenID:
		return "citizen ID"
	case KindUSCC:
		return "unified social credit code"
	case KindOrgCode:
		return "organisation code"
	case KindRegNo:
		return "business registration number"
	case KindPassport:
		return "passport number"
	case KindHKMOPermit:
		return "Hong Kong and Macao residents' mainland travel permit number"
	case KindTWPermit:
		return "Taiwan residents' mainland travel permit number"
	case KindPermanentResidence:
		return "foreign permanent resident ID number"
	case KindDocument:
		return "identity document number"
	}
	return "unknown"
}

// Label returns the Chinese name of k.
func (k Kind) Label() string {
	switch k {
	case KindCitizenID:
		return "公民身份号码"
	case KindUSCC:
		return "统一社会信用代码"
	case KindOrgCode:
		return "组织机构代码"
	case KindRegNo:
		return "工商注册号"
	case KindPassport:
		return "护照号码"
	case KindHKMOPermit:
		return "港澳居民来往内地通行证号码"
	case KindTWPermit:
		return "台湾居民来往大陆通行证号码"
	case KindPermanentResidence:
		return "外国人永久居留证号码"
	case KindDocument:
		return "证件号码"
	}
	return "未知"
}

// Mode selects how strictly a unified social credit code is checked.
type Mode int

const (
	// Strict rejects a code whose check digit is wrong.
	Strict Mode = iota
	// Lenient accepts a wrong check digit with a warning, for the early
	// (Fujian pilot) codes that were issued without a correct one.
	Lenient
)

// Error codes of the *errs.Error values returned by this package.
const (
	CodeCitizenID  = "invalid_citizen_id"
	CodeUSCC       = "invalid_uscc"
	CodeOrgCode    = "invalid_org_code"
	CodeRegNo      = "invalid_reg_no"
	CodeIdentifier = "invalid_identifier"
)

// Result describes a validated identifier.
//
// On error the validators still return the Kind and Input, with Valid false
// and Normalized empty.
type Result struct {
	Kind       Kind
	Input      string // as given
	Normalized string // canonical form: trimmed, upper case, no hyphen, 18 digits for citizen IDs
	Valid      bool
	Upgraded   bool      // a 15-digit citizen ID was upgraded to 18 digits
	Warnings   []string  // problems that do not make the identifier invalid, in Chinese
	Birth      time.Time // citizen ID only: the birth date, at midnight UTC
	Male       bool      // citizen ID only: the 17th digit is odd
	// WantCheck is, for a unified social credit code accepted in Lenient
	// mode with a wrong check character, the one GB 32100 computes (its
	// warning says so in Chinese); 0 for any other result.
	WantCheck byte
}

// Printed returns the identifier as it is printed on documents: the
// organisation code with its hyphen (XXXXXXXX-C), anything else as Normalized.
func (r Result) Printed() string {
	if r.Kind == KindOrgCode && len(r.Normalized) == 9 {
		return r.Normalized[:8] + "-" + r.Normalized[8:]
	}
	return r.Normalized
}

// Detect guesses the kind of s from its length and shape, without checking
// it fully. Eighteen characters may be a citizen ID or a unified social
// credit code: a plausible citizen ID (province, check digit and a birth
// date CitizenID accepts: from 1900 up to today in China) wins, then a code
// whose USCC check digit is right, so that 915001209904010053 (born in
// 2099) and 91110118500611000X (in 1850) are credit codes. Fifteen digits may be
// a legacy citizen ID or a business registration number: a plausible
// citizen ID (province and birth date) wins, then a number whose
// registration check digit is right.
func Detect(s string) Kind {
	return detect(s, time.Now())
}

func detect(s string, now time.Time) Kind {
	s = clean(s)
	switch len(s) {
	case 15:
		if isDigits(s) {
			if !plausibleLegacyCitizenID(s) && regNoCheck(s[:14]) == s[14] {
				return KindRegNo
			}
			return KindCitizenID
		}
	case 18:
		if isDigits(s[:17]) && (isDigit(s[17]) || s[17] == 'X') {
			if plausibleCitizenID(s, now) {
				return KindCitizenID
			}
			if c, err := USCCCheck(s[:17]); err == nil && c == s[17] {
				return KindUSCC
			}
			return KindCitizenID
		}
		if isAlnum(s) {
			return KindUSCC
		}
	case 9:
		if isAlnum(s) {
			return KindOrgCode
		}
	case 10:
		if s[8] == '-' && isAlnum(s[:8]) && isAlnum(s[9:]) {
			return KindOrgCode
		}
	}
	return KindUnknown
}

// CodeShaped reports whether s has the shape of a citizen ID, a unified
// social credit code or a business registration number (Detect), or of a
// citizen ID with a digit missing or too many: 16 to 19 digits, the last
// possibly X. Where s is valid as none, it is one of them mistyped rather
// than another document's number (Document, which would take it).
func CodeShaped(s string) bool {
	if Detect(s) != KindUnknown && Detect(s) != KindOrgCode {
		return true
	}
	s = clean(s)
	n := len(s)
	return n >= 16 && n <= 19 && isDigits(s[:n-1]) && (isDigit(s[n-1]) || s[n-1] == 'X')
}

// Validate detects the kind of s and validates it. mode applies to unified
// social credit codes only.
func Validate(s string, mode Mode) (Result, error) {
	switch Detect(s) {
	case KindCitizenID:
		return CitizenID(s)
	case KindUSCC:
		return USCC(s, mode)
	case KindOrgCode:
		return OrgCode(s)
	case KindRegNo:
		return RegNo(s)
	}
	return Result{Kind: KindUnknown, Input: s}, errs.E(errs.Invalid, CodeIdentifier,
		"无法识别的号码：应为18位公民身份号码或统一社会信用代码、15位旧版公民身份号码或工商注册号，或9位组织机构代码")
}

// clean trims surrounding white space (the full-width space among it),
// reads full-width digits, letters and hyphens (０-９, Ａ-Ｚ, ａ-ｚ, －), as
// a Chinese input method types them, as ASCII, and upper-cases ASCII
// letters. It allocates only when there is a lower-case or full-width one.
func clean(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsFunc(s, fullWidth) {
		s = strings.Map(func(r rune) rune {
			if fullWidth(r) {
				return text.NarrowRune(r)
			}
			return r
		}, s)
	}
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			b := []byte(s)
			for j, c := range b {
				if 'a' <= c && c <= 'z' {
					b[j] = c - 'a' + 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// fullWidth reports whether r is a full-width digit, letter or hyphen: of
// the characters text.FoldWidth folds, the only ones an identifier holds.
func fullWidth(r rune) bool {
	return '０' <= r && r <= '９' || 'Ａ' <= r && r <= 'Ｚ' || 'ａ' <= r && r <= 'ｚ' || r == '－'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && (s[i] < 'A' || s[i] > 'Z') {
			return false
		}
	}
	return true
}

// firstBad returns the 1-based position and value of the first character of
// s that ok rejects, or 0 if there is none.
func firstBad(s string, ok func(pos int, c byte) bool) (int, rune) {
	pos := 0
	for _, c := range s {
		pos++
		if c >= utf8.RuneSelf || !ok(pos, byte(c)) {
			return pos, c
		}
	}
	return 0, 0
}

func lengthMessage(label string, want string, got int) string {
	return fmt.Sprintf("%s长度应为%s，实际为%d位", label, want, got)
}

func badCharMessage(label string, pos int, c rune) string {
	return fmt.Sprintf("%s含非法字符%s（第%d位）", label, charText(c), pos)
}

// charText shows a character in a message: in quotes (“号”), or by its
// code point after a space ( U+00A0) when it shows nothing, a space, a
// control or an invisible format character.
func charText(c rune) string {
	if unicode.IsGraphic(c) && !unicode.IsSpace(c) {
		return "“" + string(c) + "”"
	}
	return fmt.Sprintf(" U+%04X", c)
}

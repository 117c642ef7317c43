package ident

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/errs"
)

// RegNo validates the registration number of a business licence (工商注册号,
// also 营业执照注册号; GS15-2006 工商行政管理市场主体注册号编制规则): 15 digits,
// the code of the first registering authority (6), a sequence number (8)
// and an ISO 7064 MOD 11,10 check digit. Market entities registered before
// the unified social credit code (2015), and individual businesses, are
// known by it. Numbers of other shapes issued before GS15-2006 are not
// accepted.
func RegNo(input string) (Result, error) {
	const label = "工商注册号"
	r := Result{Kind: KindRegNo, Input: input}
	s := clean(input)
	if n := utf8.RuneCountInString(s); n != 15 {
		return r, regNoError(lengthMessage(label, "15位", n))
	}
	if pos, c := firstBad(s, func(_ int, c byte) bool { return isDigit(c) }); pos > 0 {
		return r, regNoError(badCharMessage(label, pos, c))
	}
	if want := regNoCheck(s[:14]); s[14] != want {
		return r, regNoError(fmt.Sprintf("%s校验码错误，应为 %c", label, want))
	}
	r.Normalized = s
	r.Valid = true
	return r, nil
}

// RegNoCheck returns the check digit for the first 14 digits of a
// registration number.
func RegNoCheck(first14 string) (byte, error) {
	const label = "工商注册号本体"
	if n := utf8.RuneCountInString(first14); n != 14 {
		return 0, regNoError(lengthMessage(label, "14位", n))
	}
	if pos, c := firstBad(first14, func(_ int, c byte) bool { return isDigit(c) }); pos > 0 {
		return 0, regNoError(badCharMessage(label, pos, c))
	}
	return regNoCheck(first14), nil
}

// regNoCheck computes the ISO 7064 MOD 11,10 check digit of body, 14 ASCII
// digits: p starts at 10; for each digit, s = (p + digit) mod 10, taken
// as 10 when 0, and p = 2s mod 11; the check digit c makes (p + c) mod 10
// equal 1.
func regNoCheck(body string) byte {
	p := 10
	for i := 0; i < len(body); i++ {
		s := (p + int(body[i]-'0')) % 10
		if s == 0 {
			s = 10
		}
		p = 2 * s % 11
	}
	return byte('0' + (11-p)%10)
}

// plausibleLegacyCitizenID reports whether the 15 digits of s have a
// valid province and birth date as a legacy citizen ID.
func plausibleLegacyCitizenID(s string) bool {
	body := s[:6] + "19" + s[6:]
	return plausibleCitizenID(body+string(CitizenIDCheck(body)), time.Now())
}

// livingLegacyCitizenID is plausibleLegacyCitizenID for someone alive:
// born 1920 or later. Before, the digits are those of most registration
// numbers of domestic enterprises, whose seventh digit is 0 or 1 and whose
// sequence numbers start with zeros (440605000123453: 1900-01-23), which
// a legal entity's identifier takes; Detect, which has no subject kind to
// go by, still reads them as a citizen ID.
func livingLegacyCitizenID(s string) bool {
	return s[6] >= '2' && plausibleLegacyCitizenID(s)
}

func regNoError(msg string) error {
	return errs.E(errs.Invalid, CodeRegNo, msg)
}

// LegalEntity validates the identifier of a legal person or another
// organisation in the form its length tells: a unified social credit code
// (18 characters; mode applies), an organisation code (9, or 10 with its
// hyphen) or, for a market entity without either, its business licence's
// registration number (15 digits). Any other length is refused with
// CodeIdentifier, naming the three, as are 15 digits that pass the check
// of a registration number but read as a legacy citizen ID (a province
// and a birth date, as Detect reads them): a person's number, which one
// time in ten passes that check, is not taken for a company's. A real
// registration number whose digits read so (born 1920 or later) is
// refused too; its entity is pushed under its credit code.
func LegalEntity(input string, mode Mode) (Result, error) {
	switch n := utf8.RuneCountInString(clean(input)); n {
	case 18:
		return USCC(input, mode)
	case 15:
		r, err := RegNo(input)
		if err == nil && livingLegacyCitizenID(r.Normalized) {
			return Result{Kind: KindUnknown, Input: input}, errs.E(errs.Invalid, CodeIdentifier,
				"该号码像是15位的旧版公民身份号码，不是工商注册号；法人和其他组织的标识应为18位统一社会信用代码、9位组织机构代码（含连字符10位）或15位工商注册号（营业执照注册号）")
		}
		return r, err
	case 9, 10:
		return OrgCode(input)
	default:
		return Result{Kind: KindUnknown, Input: input}, errs.E(errs.Invalid, CodeIdentifier, fmt.Sprintf(
			"法人和其他组织的标识应为18位统一社会信用代码、9位组织机构代码（含连字符10位）或15位工商注册号（营业执照注册号），实际为%d位", n))
	}
}

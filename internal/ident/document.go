package ident

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/text"
)

// Error codes of the document numbers' validators.
const (
	CodePassport           = "invalid_passport"
	CodeTravelPermit       = "invalid_travel_permit"
	CodePermanentResidence = "invalid_permanent_residence"
	CodeDocument           = "invalid_document_number"
)

// Passport validates a passport number (护照号码) of any country, as the
// holder's data page prints it: 5 to 20 Latin letters and digits, at
// least one a digit. A Chinese ordinary passport's (E and 8 digits, or EA
// and 7; G and 8 before 2012) is one, as are the other countries' forms,
// which differ (ICAO 9303 fixes none beyond letters and digits); no check
// digit is checked, the machine-readable zone's being no part of the
// number. Its canonical form is cleaned (trimmed, full-width forms read
// as ASCII, upper case).
func Passport(s string) (Result, error) {
	return token(KindPassport, s, 5, 20, CodePassport, false)
}

// Document validates the number of an identity document of a kind not
// given (证件号码, beside a 证件类型): 4 to 32 Latin letters, digits and
// Chinese characters (ideograph), at least one a digit, without spaces or
// punctuation; Chinese ones as a 军官证's number (南字第0123456号) has.
// Letters of other scripts are refused: a Cyrillic Е12345678 would be
// another subject than the Latin E12345678 it looks like. Nothing else is
// checked: the document's kind is not known. Its canonical form is
// cleaned as a passport number's is: a citizen ID in it is its 18
// characters as CitizenID stores them, a legacy 15-digit one is kept as
// it is (not upgraded).
//
// Document and Passport refuse a number of a citizen ID's or legal entity
// code's shape (CodeShaped) that is valid as neither, as 17 or 19 digits
// or a credit code with a letter it never holds: that code mistyped, not
// another document's number (mistypedCode). ParseSubject refuses it too,
// so that every subject a record is stored under can be looked up.
func Document(s string) (Result, error) {
	return token(KindDocument, s, 4, MaxDocument, CodeDocument, true)
}

// MaxDocument is the most characters of a document's number (Document),
// the longest identifier of a subject of any kind.
const MaxDocument = 32

// token validates s as a document number of kind k: min to max
// characters, Latin letters and digits (Chinese characters too when cjk),
// at least one digit, and no mistyped code (mistypedCode).
func token(k Kind, input string, min, max int, code string, cjk bool) (Result, error) {
	r := Result{Kind: k, Input: input}
	label := k.Label()
	s := clean(input)
	n := utf8.RuneCountInString(s)
	if n < min || n > max {
		return r, errs.E(errs.Invalid, code, lengthMessage(label, fmt.Sprintf("%d至%d位", min, max), n))
	}
	digit := false
	pos := 0
	for _, c := range s {
		pos++
		switch {
		case c < utf8.RuneSelf && isDigit(byte(c)):
			digit = true
		case 'A' <= c && c <= 'Z', cjk && ideograph(c):
		case cjk:
			return r, errs.E(errs.Invalid, code, badCharMessage(label, pos, c)+"：只能由拉丁字母、数字和汉字组成")
		default:
			return r, errs.E(errs.Invalid, code, badCharMessage(label, pos, c)+"：只能由拉丁字母和数字组成")
		}
	}
	if !digit {
		return r, errs.E(errs.Invalid, code, label+"应含有数字："+s)
	}
	if why := mistypedCode(s); why != "" {
		return r, errs.E(errs.Invalid, code, label+why)
	}
	r.Normalized, r.Valid = s, true
	return r, nil
}

// ideograph reports whether c is a Chinese character (a CJK ideograph:
// Han script, Ideographic) in the form Unicode normalises it to: a
// compatibility ideograph (U+F900 豈 for U+8C48 豈) would make one number
// two subjects, as would a Kangxi radical (⼈ for 人), which is no
// ideograph.
func ideograph(c rune) bool {
	return unicode.Is(unicode.Han, c) && unicode.Is(unicode.Ideographic, c) && norm.NFC.IsNormalString(string(c))
}

// mistypedCode returns, for s (cleaned) of a citizen ID's or a legal
// entity code's shape (CodeShaped) that is valid as neither (CitizenID;
// LegalEntity in LegalEntityMode, as ParseSubject reads them), why, as
// the end of a message naming the document: such a number is one of them
// mistyped. "" for any other s.
func mistypedCode(s string) string {
	if !CodeShaped(s) {
		return ""
	}
	_, cerr := CitizenID(s)
	if cerr == nil {
		return ""
	}
	_, lerr := LegalEntity(s, LegalEntityMode(s))
	if lerr == nil {
		return ""
	}
	kind, err := KindCitizenID, cerr
	if k := Detect(s); k == KindUSCC || k == KindRegNo {
		kind, err = k, lerr
	}
	return "像是输错的" + kind.Label() + "，请核对：" + errs.As(err).Message
}

// HKMOPermit validates the number of a 港澳居民来往内地通行证 (回乡证):
// H (Hong Kong residents) or M (Macao residents) and the holder's 8-digit
// lifetime number, which the card of 2013 prints alone; the earlier one
// added 2 digits counting its renewals (H1234567801). Its canonical form
// is the letter and the lifetime number (H12345678), which identify the
// holder across renewals (公安部《港澳居民来往内地通行证号码规则》).
func HKMOPermit(input string) (Result, error) {
	r := Result{Kind: KindHKMOPermit, Input: input}
	s := clean(input)
	if len(s) != 9 && len(s) != 11 || s[0] != 'H' && s[0] != 'M' || !isDigits(s[1:]) {
		return r, errs.E(errs.Invalid, CodeTravelPermit, fmt.Sprintf(
			"%s应为 H（香港居民）或 M（澳门居民）加8位数字（旧版证件另加2位换证次数）：%s", KindHKMOPermit.Label(), clip(s)))
	}
	r.Normalized, r.Valid = s[:9], true
	return r, nil
}

// TWPermit validates the number of a 台湾居民来往大陆通行证 (台胞证): the
// holder's 8-digit lifetime number, which permits issued since 2008 carry
// alone; earlier ones added 2 digits counting the issues and, in
// brackets, the issuing authority's code (0561682001(D)). Its canonical
// form is the lifetime number, which identifies the holder across
// permits.
func TWPermit(input string) (Result, error) {
	r := Result{Kind: KindTWPermit, Input: input}
	s := clean(input)
	for _, p := range [][2]string{{"(", ")"}, {"（", "）"}} {
		if body, ok := strings.CutSuffix(s, p[1]); ok {
			if i := strings.LastIndex(body, p[0]); i >= 0 && len(body)-i-len(p[0]) == 1 && isAlnum(body[i+len(p[0]):]) {
				s = body[:i]
			}
			break
		}
	}
	if len(s) != 8 && len(s) != 10 || !isDigits(s) {
		return r, errs.E(errs.Invalid, CodeTravelPermit, fmt.Sprintf(
			"%s应为8位数字（旧版证件为10位数字，可带括号内的签发机关代码）：%s", KindTWPermit.Label(), clip(strings.TrimSpace(input))))
	}
	r.Normalized, r.Valid = s[:8], true
	return r, nil
}

// PermanentResidence validates the number of a foreigner's permanent
// residence ID (外国人永久居留身份证, earlier 外国人永久居留证): 18 digits
// since 2023, a citizen ID's form whose first digit is 9 (CitizenID reads
// it), or 15 characters before, 3 Latin letters (the nationality) and 12
// digits. The 15-character form's digits are not checked further.
func PermanentResidence(input string) (Result, error) {
	label := KindPermanentResidence.Label()
	s := clean(input)
	if len(s) == 18 && s[0] == '9' {
		r, err := CitizenID(input)
		r.Kind = KindPermanentResidence
		if e := errs.As(err); e != nil {
			return r, errs.E(errs.Invalid, CodePermanentResidence, strings.Replace(e.Message, KindCitizenID.Label(), label, 1))
		}
		return r, nil
	}
	r := Result{Kind: KindPermanentResidence, Input: input}
	if len(s) != 15 || !isUpper(s[:3]) || !isDigits(s[3:]) {
		return r, errs.E(errs.Invalid, CodePermanentResidence, fmt.Sprintf(
			"%s应为18位（2023年起签发，首位为9）或15位（3位字母加12位数字）：%s", label, clip(s)))
	}
	r.Normalized, r.Valid = s, true
	return r, nil
}

func isUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// clip shortens s, a value quoted in a message, to 40 characters.
func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}

// documentTypes are the names a 证件类型 item's value gives the kinds of
// identity document whose numbers have a form Hutong checks, as the
// catalogs and the documents themselves write them (DocumentKind reads
// them without spaces, full-width forms as ASCII). A 临时居民身份证 bears
// its holder's citizen ID number; a 外国人永久居留身份证 of 2023 a number of
// a citizen ID's form, the earlier 永久居留证 one of 15 characters, both of
// which PermanentResidence takes. A legal entity's certificates name its
// code: 统一社会信用代码 a credit code (USCC), 组织机构代码 an
// organisation code (OrgCode), 营业执照 and 工商注册号 the number a
// business licence bears (BusinessLicence: a credit code since 2015,
// the registration number before). Codes of a code list (GA/T 517's 111,
// 414 …) are not read: the platform's catalogs and records use none, and
// another list gives the same digits other meanings.
var documentTypes = map[string]Kind{
	"居民身份证": KindCitizenID, "身份证": KindCitizenID, "中华人民共和国居民身份证": KindCitizenID,
	"第二代居民身份证": KindCitizenID, "二代身份证": KindCitizenID, "临时居民身份证": KindCitizenID,

	"护照": KindPassport, "普通护照": KindPassport, "因私普通护照": KindPassport, "因公普通护照": KindPassport,
	"公务普通护照": KindPassport, "公务护照": KindPassport, "外交护照": KindPassport, "中国护照": KindPassport,
	"中华人民共和国护照": KindPassport, "外国护照": KindPassport, "外国人护照": KindPassport,

	"港澳居民来往内地通行证": KindHKMOPermit, "港澳居民往来内地通行证": KindHKMOPermit, "回乡证": KindHKMOPermit,
	"港澳同胞回乡证": KindHKMOPermit,

	"台湾居民来往大陆通行证": KindTWPermit, "台湾居民往来大陆通行证": KindTWPermit, "台胞证": KindTWPermit,

	"外国人永久居留身份证": KindPermanentResidence, "外国人永久居留证": KindPermanentResidence,
	"中华人民共和国外国人永久居留身份证": KindPermanentResidence, "永久居留身份证": KindPermanentResidence,
	"永久居留证": KindPermanentResidence,

	"统一社会信用代码": KindUSCC, "社会信用代码": KindUSCC, "统一社会信用代码证": KindUSCC, "统一代码": KindUSCC,

	"营业执照": KindRegNo, "企业营业执照": KindRegNo, "工商营业执照": KindRegNo, "营业执照注册号": KindRegNo,
	"工商注册号": KindRegNo, "营业执照号码": KindRegNo,

	"组织机构代码": KindOrgCode, "组织机构代码证": KindOrgCode,
}

// DocumentKind returns the kind of document a 证件类型's value names
// (documentTypes: 居民身份证 and 身份证 a citizen ID, 护照, the travel
// permits, the permanent residence ID; a legal entity's 统一社会信用代码
// KindUSCC, 组织机构代码 KindOrgCode, 营业执照 KindRegNo, whose number
// BusinessLicence checks), read without white space and with
// full-width forms as ASCII; KindDocument, a 证件号码 of a kind not given,
// for an empty value or one it does not know (其他, 军官证). A name it does
// not know as written is read without a bracketed qualifier of the copy
// at its end (营业执照(副本), 居民身份证（正本）, …(复印件)), and then
// without the suffix 证书 or 证 (统一社会信用代码证书), where that leaves a
// name it knows: 法人证书 and 身份证号码 stay unknown.
func DocumentKind(typeName string) Kind {
	name := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, text.FoldWidth(typeName))
	if k, ok := documentTypes[name]; ok {
		return k
	}
	for _, q := range copyQualifiers {
		if n, ok := strings.CutSuffix(name, q); ok {
			name = n
			break
		}
	}
	for _, n := range []string{name, strings.TrimSuffix(name, "书"), strings.TrimSuffix(name, "证书"), strings.TrimSuffix(name, "证")} {
		if k, ok := documentTypes[n]; ok && n != "" {
			return k
		}
	}
	return KindDocument
}

// copyQualifiers are the bracketed words at the end of a 证件类型 that say
// which copy of the document was seen, not which document it is, as
// DocumentKind reads them (full-width brackets as ASCII).
var copyQualifiers = []string{"(副本)", "(正本)", "(复印件)", "(原件)", "[副本]", "[正本]", "[复印件]", "[原件]",
	"【副本】", "【正本】", "【复印件】", "【原件】"}

// BusinessLicence validates the number a business licence (营业执照)
// bears: since 2015 its unified social credit code (USCC, in
// LegalEntityMode: a wrong check character is a warning but in a number
// of a citizen ID's shape), before then the 15-digit registration number
// (RegNo; not one that is a living person's old citizen ID, as
// LegalEntity reads it).
func BusinessLicence(input string) (Result, error) {
	switch n := utf8.RuneCountInString(clean(input)); n {
	case 18:
		return USCC(input, LegalEntityMode(input))
	case 15:
		return LegalEntity(input, Lenient)
	default:
		return Result{Kind: KindRegNo, Input: input}, errs.E(errs.Invalid, CodeUSCC, fmt.Sprintf(
			"营业执照号码应为18位统一社会信用代码或15位工商注册号，实际为%d位", n))
	}
}

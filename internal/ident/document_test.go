package ident_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
)

// TestDocuments: the numbers of a person's documents other than the
// citizen ID are checked by their form, and read in the canonical form a
// record's subject takes: a foreign passport of any form of letters and
// digits, a travel permit by its holder's lifetime number, the 2023
// permanent residence ID by its check digit; a 证件号码 of no kind given is
// a token of letters and digits.
func TestDocuments(t *testing.T) {
	for _, tt := range []struct {
		name     string
		check    func(string) (ident.Result, error)
		in, want string // want "" for a refusal
		code     string
	}{
		{"China ordinary passport", ident.Passport, "E12345678", "E12345678", ""},
		{"China passport, 2 letters", ident.Passport, " ea1234567 ", "EA1234567", ""},
		{"full-width passport", ident.Passport, "Ｇ１２３４５６７８", "G12345678", ""},
		{"German passport", ident.Passport, "C01X00T47", "C01X00T47", ""},
		{"French passport", ident.Passport, "12AB34567", "12AB34567", ""},
		{"US passport", ident.Passport, "123456789", "123456789", ""},
		{"passport too short", ident.Passport, "E123", "", ident.CodePassport},
		{"passport with a space", ident.Passport, "E1234 5678", "", ident.CodePassport},
		{"passport with a hyphen", ident.Passport, "E-12345678", "", ident.CodePassport},
		{"passport of letters only", ident.Passport, "ABCDEFGH", "", ident.CodePassport},
		{"passport in Chinese", ident.Passport, "护照一二三四五", "", ident.CodePassport},
		{"passport too long", ident.Passport, "E123456789012345678901", "", ident.CodePassport},

		{"HK permit", ident.HKMOPermit, "H12345678", "H12345678", ""},
		{"Macao permit", ident.HKMOPermit, "m87654321", "M87654321", ""},
		{"HK permit with renewals", ident.HKMOPermit, "H1234567801", "H12345678", ""},
		{"permit of another letter", ident.HKMOPermit, "C12345678", "", ident.CodeTravelPermit},
		{"permit of 9 digits", ident.HKMOPermit, "H123456789", "", ident.CodeTravelPermit},
		{"permit of letters", ident.HKMOPermit, "H1234567A", "", ident.CodeTravelPermit},

		{"Taiwan permit", ident.TWPermit, "05616820", "05616820", ""},
		{"old Taiwan permit", ident.TWPermit, "0561682001", "05616820", ""},
		{"old Taiwan permit, authority", ident.TWPermit, "0561682001(D)", "05616820", ""},
		{"old Taiwan permit, full-width brackets", ident.TWPermit, "0561682001（B）", "05616820", ""},
		{"Taiwan permit of 9 digits", ident.TWPermit, "056168201", "", ident.CodeTravelPermit},
		{"Taiwan permit with a letter", ident.TWPermit, "F290299977", "", ident.CodeTravelPermit},
		{"bracket alone", ident.TWPermit, "(D)", "", ident.CodeTravelPermit},

		{"permanent residence 2004", ident.PermanentResidence, "usa310185010014", "USA310185010014", ""},
		{"permanent residence 2023", ident.PermanentResidence, "931840198501010013", "931840198501010013", ""},
		{"permanent residence 2023, bad check", ident.PermanentResidence, "931840198501010014", "", ident.CodePermanentResidence},
		{"citizen ID as permanent residence", ident.PermanentResidence, "11010519491231002X", "", ident.CodePermanentResidence},
		{"permanent residence of 2 letters", ident.PermanentResidence, "US3101850100145", "", ident.CodePermanentResidence},

		{"document: citizen ID", ident.Document, "11010519491231002x", "11010519491231002X", ""},
		{"document: legacy citizen ID kept", ident.Document, "110105491231002", "110105491231002", ""},
		{"document: officer's ID", ident.Document, "南字第0123456号", "南字第0123456号", ""},
		{"document: passport", ident.Document, "k12345678", "K12345678", ""},
		{"document: name", ident.Document, "张三", "", ident.CodeDocument},
		{"document: space", ident.Document, "A123 456", "", ident.CodeDocument},
		{"document: brackets", ident.Document, "A123456(7)", "", ident.CodeDocument},
		{"document: too short", ident.Document, "A1", "", ident.CodeDocument},
		{"document: empty", ident.Document, " ", "", ident.CodeDocument},
		{"document: credit code", ident.Document, "91350100m000100y43", "91350100M000100Y43", ""},
		{"document: full-width letters", ident.Document, "Ｋ１２３４５６７８", "K12345678", ""},
		{"document: ideograph of extension B", ident.Document, "\U00020000字0123", "\U00020000字0123", ""},

		// A citizen ID's or a credit code's shape valid as neither is
		// that code mistyped, not another document's number.
		{"document: citizen ID short of a digit", ident.Document, "11010519491231002", "", ident.CodeDocument},
		{"document: citizen ID a digit over", ident.Document, "1101051949123100211", "", ident.CodeDocument},
		{"document: citizen ID with a wrong check digit", ident.Document, "110105194912310021", "", ident.CodeDocument},
		{"document: credit code with I", ident.Document, "91350100I000100Y43", "", ident.CodeDocument},
		{"passport: citizen ID short of a digit", ident.Passport, "11010519491231002", "", ident.CodePassport},
		{"passport: citizen ID a digit over", ident.Passport, "1101051949123100211", "", ident.CodePassport},
		{"passport: citizen ID", ident.Passport, "11010519491231002x", "11010519491231002X", ""},

		// Latin letters and Chinese characters only: a look-alike of
		// another script would be another subject.
		{"document: Cyrillic Е", ident.Document, "\u041512345678", "", ident.CodeDocument},
		{"document: Greek Α", ident.Document, "\u039112345678", "", ident.CodeDocument},
		{"document: double-struck H", ident.Document, "\u210d12345", "", ident.CodeDocument},
		{"document: sharp s", ident.Document, "\u00df1234", "", ident.CodeDocument},
		{"document: katakana", ident.Document, "\u30a212345", "", ident.CodeDocument},
		{"document: compatibility ideograph", ident.Document, "\uf90012345", "", ident.CodeDocument},
		{"document: Kangxi radical", ident.Document, "\u2f0812345", "", ident.CodeDocument},
		{"passport: Cyrillic Е", ident.Passport, "\u041512345678", "", ident.CodePassport},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.check(tt.in)
			if tt.want == "" {
				if e := errs.As(err); e == nil || e.Kind != errs.Invalid || e.Code != tt.code || r.Valid || r.Normalized != "" {
					t.Errorf("%q: got %+v, %v; want a refusal %s", tt.in, r, err, tt.code)
				}
				return
			}
			if err != nil || !r.Valid || r.Normalized != tt.want {
				t.Errorf("%q: got %q %v, %v; want %q", tt.in, r.Normalized, r.Valid, err, tt.want)
			}
		})
	}
}

// TestCodeShaped: a citizen ID's or credit code's shape, a digit short or
// over too, is a mistyped code, not another document's number; a
// passport's or a permit's is none.
func TestCodeShaped(t *testing.T) {
	for in, want := range map[string]bool{
		"11010519491231002X": true, "11010519491231002": true, "1101051949123100211": true,
		"110105491231002": true, "91350100M000100Y43": true, "1101051949123100": true,
		"E12345678": false, "H1234567801": false, "0561682001": false, "123456789": false, "USA310185010014": false,
	} {
		if got := ident.CodeShaped(in); got != want {
			t.Errorf("CodeShaped(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestDocumentKind: a 证件类型's value names the kind of document whose
// number the 证件号码 beside it holds, in the names catalogs write
// (with spaces or full-width forms too); any other, a code among them,
// and none leave the kind not given; a legal entity's 统一社会信用代码,
// 营业执照 and 组织机构代码 name its codes (they were left not given).
func TestDocumentKind(t *testing.T) {
	for in, want := range map[string]ident.Kind{
		"居民身份证": ident.KindCitizenID, " 身份证 ": ident.KindCitizenID, "居民 身份证": ident.KindCitizenID,
		"临时居民身份证": ident.KindCitizenID, "护照": ident.KindPassport, "普通护照": ident.KindPassport,
		"外国人护照": ident.KindPassport, "港澳居民来往内地通行证": ident.KindHKMOPermit, "回乡证": ident.KindHKMOPermit,
		"台湾居民来往大陆通行证": ident.KindTWPermit, "台胞证": ident.KindTWPermit,
		"外国人永久居留身份证": ident.KindPermanentResidence, "外国人永久居留证": ident.KindPermanentResidence,
		"其他": ident.KindDocument, "军官证": ident.KindDocument, "111": ident.KindDocument, "": ident.KindDocument,
		"身份证号码": ident.KindDocument, "法人证书": ident.KindDocument,
		"统一社会信用代码": ident.KindUSCC, "社会信用代码": ident.KindUSCC, "统一社会信用代码证": ident.KindUSCC,
		"营业执照": ident.KindRegNo, "工商注册号": ident.KindRegNo, "组织机构代码": ident.KindOrgCode,
		"组织机构代码证": ident.KindOrgCode,
		// A copy's qualifier and the suffixes 证书 and 证, where they
		// leave a known name.
		"统一社会信用代码证书": ident.KindUSCC, "营业执照(副本)": ident.KindRegNo, "营业执照（副本）": ident.KindRegNo,
		"营业执照 (正本)": ident.KindRegNo, "居民身份证(正本)": ident.KindCitizenID, "居民身份证（复印件）": ident.KindCitizenID,
		"护照【原件】": ident.KindPassport, "统一社会信用代码证书（副本）": ident.KindUSCC, "组织机构代码证书": ident.KindOrgCode,
		"组织机构代码证（副本）": ident.KindOrgCode, "外国人永久居留身份证(正本)": ident.KindPermanentResidence,
		"法人证书(副本)": ident.KindDocument, "军官证（正本）": ident.KindDocument, "(副本)": ident.KindDocument,
		"证": ident.KindDocument, "证书": ident.KindDocument, "护照(外国)": ident.KindDocument, "身份证号码(副本)": ident.KindDocument,
		"营业执照副本": ident.KindDocument, "副本(营业执照)": ident.KindDocument,
	} {
		if got := ident.DocumentKind(in); got != want {
			t.Errorf("DocumentKind(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestBusinessLicence: a business licence's number is its credit code
// (a wrong check character a warning, but in a citizen ID's shape) or its
// 15-digit registration number; a citizen ID or any other length is none.
func TestBusinessLicence(t *testing.T) {
	for _, tt := range []struct {
		in, want, code string
		warned         bool
	}{
		{"91350100M000100Y43", "91350100M000100Y43", "", false},
		{"91350100m000100y4a", "91350100M000100Y4A", "", true},
		{"110108000000016", "110108000000016", "", false},
		{"11010519491231002X", "", ident.CodeUSCC, false},
		{"110105491231002", "", ident.CodeIdentifier, false},
		{"12345678-9", "", ident.CodeUSCC, false},
	} {
		r, err := ident.BusinessLicence(tt.in)
		if tt.code != "" {
			if e := errs.As(err); e == nil || e.Code != tt.code {
				t.Errorf("BusinessLicence(%q): %+v, %v; want %s", tt.in, r, err, tt.code)
			}
			continue
		}
		if err != nil || r.Normalized != tt.want || (len(r.Warnings) > 0) != tt.warned {
			t.Errorf("BusinessLicence(%q): %+v, %v; want %s, warned %v", tt.in, r, err, tt.want, tt.warned)
		}
	}
}

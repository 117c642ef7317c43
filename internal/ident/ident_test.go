package ident_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
)

// now is 2025-06-01 00:30 in China Standard Time, still 2025-05-31 in UTC.
var now = time.Date(2025, 5, 31, 16, 30, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// checkErr reports whether err matches: nil when wantErr is empty, otherwise
// an Invalid *errs.Error with the given code whose message contains wantErr.
func checkErr(t *testing.T, err error, code, wantErr string) {
	t.Helper()
	if wantErr == "" {
		if err != nil {
			t.Fatalf("got error %v, want nil", err)
		}
		return
	}
	e := errs.As(err)
	if e == nil {
		t.Fatalf("got error %v, want *errs.Error containing %q", err, wantErr)
	}
	if e.Kind != errs.Invalid || e.Code != code || !strings.Contains(e.Message, wantErr) {
		t.Errorf("got %v (kind %v), want kind invalid, code %s, message containing %q", e, e.Kind, code, wantErr)
	}
}

var resultOpts = cmpopts.EquateEmpty()

func TestCitizenID(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    ident.Result // Kind and Input are filled in by the test
		wantErr string
	}{
		{name: "worked example", in: "11010519491231002X",
			want: ident.Result{Normalized: "11010519491231002X", Valid: true, Birth: date(1949, 12, 31)}},
		{name: "lower-case x", in: "11010519491231002x",
			want: ident.Result{Normalized: "11010519491231002X", Valid: true, Birth: date(1949, 12, 31)}},
		{name: "surrounding space", in: " 11010519491231002X\n",
			want: ident.Result{Normalized: "11010519491231002X", Valid: true, Birth: date(1949, 12, 31)}},
		{name: "male", in: "110105194912310011",
			want: ident.Result{Normalized: "110105194912310011", Valid: true, Birth: date(1949, 12, 31), Male: true}},
		{name: "legacy 15 digits upgraded", in: "110105491231002",
			want: ident.Result{Normalized: "11010519491231002X", Valid: true, Upgraded: true, Birth: date(1949, 12, 31)}},
		{name: "leap day 2000", in: "110105200002290013",
			want: ident.Result{Normalized: "110105200002290013", Valid: true, Birth: date(2000, 2, 29), Male: true}},
		{name: "earliest year", in: "11010519000101001X",
			want: ident.Result{Normalized: "11010519000101001X", Valid: true, Birth: date(1900, 1, 1), Male: true}},
		// The foreign permanent resident ID card of 2023 (外国人永久居留身份证):
		// 9, the issuing province (31 Shanghai, 44 Guangdong), the
		// nationality (840), birth date, sequence, check digit.
		{name: "foreign permanent resident Shanghai", in: "931840198501010013",
			want: ident.Result{Normalized: "931840198501010013", Valid: true, Birth: date(1985, 1, 1), Male: true}},
		{name: "foreign permanent resident Guangdong", in: "944840198501010018",
			want: ident.Result{Normalized: "944840198501010018", Valid: true, Birth: date(1985, 1, 1), Male: true}},
		{name: "foreign permanent resident Beijing", in: "91184019850101001X",
			want: ident.Result{Normalized: "91184019850101001X", Valid: true, Birth: date(1985, 1, 1), Male: true}},
		{name: "born today in China", in: "110105202506010029",
			want: ident.Result{Normalized: "110105202506010029", Valid: true, Birth: date(2025, 6, 1)}},

		{name: "wrong check digit", in: "110105194912310012", wantErr: "校验码错误，应为 1"},
		{name: "check X expected", in: "110105194912310020", wantErr: "校验码错误，应为 X"},
		{name: "February 30", in: "110105194902300020", wantErr: "出生日期无效：19490230"},
		{name: "no leap day 1900", in: "110105190002290025", wantErr: "出生日期无效：19000229"},
		{name: "before 1900", in: "110105189912310023", wantErr: "早于1900年"},
		// A credit code of 18 digits read as a citizen ID born in 1850.
		{name: "credit code born 1850", in: "91110118500611000X", wantErr: "出生日期无效：18500611 早于1900年"},
		{name: "born tomorrow", in: "110105202506020024", wantErr: "晚于今天"},
		{name: "bad province", in: "100105194912310028", wantErr: "省级代码 10 不存在"},
		{name: "foreign bad province", in: "901840198501010018", wantErr: "省级代码 01 不存在"},
		{name: "foreign province 10", in: "910840198501010019", wantErr: "省级代码 10 不存在"},
		{name: "foreign province 66", in: "966840198501010013", wantErr: "省级代码 66 不存在"},
		{name: "legacy bad date", in: "110105490230002", wantErr: "出生日期无效：19490230"},
		{name: "legacy with X", in: "11010549123100X", wantErr: "含非法字符“X”（第15位）"},
		{name: "X not last", in: "1101051949123100X2", wantErr: "含非法字符“X”（第17位）"},
		{name: "bad last char", in: "11010519491231002Y", wantErr: "含非法字符“Y”（第18位）"},
		{name: "Chinese char", in: "11010519491231002号", wantErr: "含非法字符“号”（第18位）"},
		{name: "no-break space", in: "11010519491231\u00a0002", wantErr: "含非法字符 U+00A0（第15位）"},
		{name: "too short", in: "1101051949123100", wantErr: "长度应为18位（旧版15位），实际为16位"},
		{name: "too long", in: "11010519491231002X1", wantErr: "实际为19位"},
		{name: "empty", in: "", wantErr: "实际为0位"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ident.CitizenIDAt(tt.in, now)
			checkErr(t, err, ident.CodeCitizenID, tt.wantErr)
			want := tt.want
			want.Kind, want.Input = ident.KindCitizenID, tt.in
			if tt.wantErr != "" {
				want = ident.Result{Kind: ident.KindCitizenID, Input: tt.in, Upgraded: got.Upgraded}
			}
			if diff := cmp.Diff(want, got, resultOpts); diff != "" {
				t.Errorf("CitizenID(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestCitizenIDUsesToday(t *testing.T) {
	if _, err := ident.CitizenID("11010519491231002X"); err != nil {
		t.Errorf("got %v, want nil", err)
	}
	tomorrow := time.Now().AddDate(0, 0, 2).Format("20060102")
	first17 := "110105" + tomorrow + "002"
	id := first17 + string(ident.CitizenIDCheck(first17))
	if _, err := ident.CitizenID(id); err == nil {
		t.Errorf("CitizenID(%q) accepted a birth date in the future", id)
	}
}

func TestUSCC(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		mode      ident.Mode
		wantNorm  string
		wantWarns []string
		wantCheck byte
		wantErr   string
	}{
		{name: "worked example", in: "91350100M000100Y43", wantNorm: "91350100M000100Y43"},
		{name: "worked example lenient", in: "91350100M000100Y43", mode: ident.Lenient, wantNorm: "91350100M000100Y43"},
		{name: "lower case", in: " 91350100m000100y43 ", wantNorm: "91350100M000100Y43"},
		{name: "ministry, region 100000", in: "11100000000013338W", wantNorm: "11100000000013338W"},
		{name: "provincial issuer", in: "11220000013544541J", wantNorm: "11220000013544541J"},
		// Check characters from the ends of the alphabet: 0 when the
		// weighted sum is a multiple of 31, Y (30) when it leaves 1.
		{name: "all digits, a citizen ID's birth date", in: "121101198001010025", wantNorm: "121101198001010025"},
		{name: "check character 0", in: "91440605MA4U0052X0", wantNorm: "91440605MA4U0052X0"},
		{name: "check character Y", in: "91440605MA4U00183Y", wantNorm: "91440605MA4U00183Y"},
		{name: "check character Y, embedded org code wrong", in: "91110000000000015Y", wantNorm: "91110000000000015Y",
			wantWarns: []string{"主体标识码（组织机构代码 000000015）校验码不符，应为 9"}},

		{name: "Z is not in the alphabet", in: "91350100M000100Y4Z", wantErr: "含非法字符“Z”（第18位）"},
		{name: "Z is not in the alphabet lenient", in: "91350100M000100Y4Z", mode: ident.Lenient, wantErr: "含非法字符“Z”"},
		{name: "wrong check strict", in: "91350100M000100Y44", wantErr: "校验码错误，应为 3"},
		{name: "wrong check lenient", in: "91350100M000100Y44", mode: ident.Lenient,
			wantNorm: "91350100M000100Y44", wantWarns: []string{"校验码不符，应为 3"}, wantCheck: '3'},
		{name: "Fujian pilot strict", in: "91350100M0001TGQXM", wantErr: "校验码错误，应为 1"},
		{name: "Fujian pilot lenient", in: "91350100M0001TGQXM", mode: ident.Lenient,
			wantNorm: "91350100M0001TGQXM", wantWarns: []string{"校验码不符，应为 1"}, wantCheck: '1'},
		{name: "Xiamen pilot lenient", in: "91350211M0000XUF46", mode: ident.Lenient,
			wantNorm: "91350211M0000XUF46", wantWarns: []string{"校验码不符，应为 R"}, wantCheck: 'R'},
		{name: "unknown category strict", in: "99350100M000100Y4A",
			wantNorm: "99350100M000100Y4A", wantWarns: []string{"登记管理部门和机构类别代码 99 不在已知列表中"}},
		{name: "unknown category Y2", in: "Y2350100M000100Y4A",
			wantNorm: "Y2350100M000100Y4A", wantWarns: []string{"登记管理部门和机构类别代码 Y2 不在已知列表中"}},
		{name: "bad embedded org code", in: "91350100M000100Y56",
			wantNorm: "91350100M000100Y56", wantWarns: []string{"主体标识码（组织机构代码 M000100Y5）校验码不符，应为 4"}},
		{name: "letter in region", in: "91A50100M000100Y43", wantErr: "第3–8位（登记管理机关行政区划码）应为数字，第3位为“A”"},
		{name: "I in body", in: "91350100I000100Y43", wantErr: "含非法字符“I”（第9位）"},
		{name: "O in department", in: "O1350100M000100Y43", wantErr: "含非法字符“O”（第1位）"},
		{name: "too short", in: "91350100M000100Y4", wantErr: "长度应为18位，实际为17位"},
		{name: "empty", in: "", wantErr: "实际为0位"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ident.USCC(tt.in, tt.mode)
			checkErr(t, err, ident.CodeUSCC, tt.wantErr)
			want := ident.Result{Kind: ident.KindUSCC, Input: tt.in}
			if tt.wantErr == "" {
				want.Normalized, want.Valid, want.Warnings, want.WantCheck = tt.wantNorm, true, tt.wantWarns, tt.wantCheck
			}
			if diff := cmp.Diff(want, got, resultOpts); diff != "" {
				t.Errorf("USCC(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestOrgCode(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		wantNorm    string
		wantPrinted string
		wantErr     string
	}{
		{name: "worked example", in: "D2143569-X", wantNorm: "D2143569X", wantPrinted: "D2143569-X"},
		{name: "no hyphen", in: "D2143569X", wantNorm: "D2143569X", wantPrinted: "D2143569-X"},
		{name: "lower case", in: "d2143569-x", wantNorm: "D2143569X", wantPrinted: "D2143569-X"},
		{name: "from USCC", in: "M000100Y4", wantNorm: "M000100Y4", wantPrinted: "M000100Y-4"},
		{name: "check 11 becomes 0", in: "00000000-0", wantNorm: "000000000", wantPrinted: "00000000-0"},

		{name: "wrong check", in: "D2143569-1", wantErr: "校验码错误，应为 X"},
		{name: "check not digit or X", in: "D2143569-Y", wantErr: "校验码应为数字或 X，实际为“Y”"},
		{name: "illegal body char", in: "D214$569X", wantErr: "含非法字符“$”（第5位）"},
		{name: "hyphen misplaced", in: "D214356-9X", wantErr: "连字符在第9位"},
		{name: "too long", in: "D2143569-XX", wantErr: "长度应为9位（含连字符10位），实际为11位"},
		{name: "empty", in: "", wantErr: "实际为0位"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ident.OrgCode(tt.in)
			checkErr(t, err, ident.CodeOrgCode, tt.wantErr)
			want := ident.Result{Kind: ident.KindOrgCode, Input: tt.in}
			if tt.wantErr == "" {
				want.Normalized, want.Valid = tt.wantNorm, true
			}
			if diff := cmp.Diff(want, got, resultOpts); diff != "" {
				t.Errorf("OrgCode(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if p := got.Printed(); p != tt.wantPrinted {
				t.Errorf("Printed() = %q, want %q", p, tt.wantPrinted)
			}
		})
	}
}

// TestRegNo: the 15-digit registration number of a business licence
// (工商注册号, GS15-2006) with its ISO 7064 MOD 11,10 check digit. The valid
// examples are real companies' numbers: 小米科技有限责任公司 and 阿里巴巴（中国）
// 网络技术有限公司.
func TestRegNo(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantNorm string
		wantErr  string
	}{
		{name: "Xiaomi", in: "110108012660422", wantNorm: "110108012660422"},
		{name: "Alibaba", in: "330100400015575", wantNorm: "330100400015575"},
		{name: "surrounding space", in: " 440301103448669\n", wantNorm: "440301103448669"},

		{name: "wrong check", in: "110108012660423", wantErr: "工商注册号校验码错误，应为 2"},
		{name: "letter", in: "11010801266042A", wantErr: "工商注册号含非法字符“A”（第15位）"},
		{name: "Chinese char", in: "11010801266042号", wantErr: "含非法字符“号”（第15位）"},
		{name: "too short", in: "11010801266042", wantErr: "工商注册号长度应为15位，实际为14位"},
		{name: "empty", in: "", wantErr: "实际为0位"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ident.RegNo(tt.in)
			checkErr(t, err, ident.CodeRegNo, tt.wantErr)
			want := ident.Result{Kind: ident.KindRegNo, Input: tt.in}
			if tt.wantErr == "" {
				want.Normalized, want.Valid = tt.wantNorm, true
			}
			if diff := cmp.Diff(want, got, resultOpts); diff != "" {
				t.Errorf("RegNo(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestLegalEntity: a legal person's or other organisation's identifier is
// one of three forms, told apart by length and each checked by its own
// rule; any other length names all three.
func TestLegalEntity(t *testing.T) {
	tests := []struct {
		in       string
		mode     ident.Mode
		wantKind ident.Kind
		wantNorm string
		wantCode string // error code, empty when valid
		wantErr  string
	}{
		{in: "91330100716105852F", wantKind: ident.KindUSCC, wantNorm: "91330100716105852F"},
		{in: "91350100M0001TGQXM", wantKind: ident.KindUSCC, wantCode: ident.CodeUSCC, wantErr: "校验码错误，应为 1"},
		{in: "91350100M0001TGQXM", mode: ident.Lenient, wantKind: ident.KindUSCC, wantNorm: "91350100M0001TGQXM"},
		{in: "71610585-2", wantKind: ident.KindOrgCode, wantNorm: "716105852"},
		{in: "716105853", wantKind: ident.KindOrgCode, wantCode: ident.CodeOrgCode, wantErr: "组织机构代码校验码错误，应为 2"},
		{in: "330100400015575", wantKind: ident.KindRegNo, wantNorm: "330100400015575"},
		{in: "440605000123456", wantKind: ident.KindRegNo, wantCode: ident.CodeRegNo, wantErr: "工商注册号校验码错误，应为 3"},
		// A legacy citizen ID (born 1985-03-01) passing the check of a
		// registration number, with and without the mode that checks.
		{in: "440606850301126", wantCode: ident.CodeIdentifier, wantErr: "该号码像是15位的旧版公民身份号码，不是工商注册号"},
		{in: "440606850301126", mode: ident.Lenient, wantCode: ident.CodeIdentifier, wantErr: "旧版公民身份号码"},
		// A domestic enterprise's number (seventh digit 0) read as born in
		// 1900 is no living person's.
		{in: "440605000123453", wantKind: ident.KindRegNo, wantNorm: "440605000123453"},
		{in: "3301004000155", wantCode: ident.CodeIdentifier,
			wantErr: "应为18位统一社会信用代码、9位组织机构代码（含连字符10位）或15位工商注册号（营业执照注册号），实际为13位"},
		{in: "", wantCode: ident.CodeIdentifier, wantErr: "实际为0位"},
	}
	for _, tt := range tests {
		got, err := ident.LegalEntity(tt.in, tt.mode)
		if tt.wantCode != "" {
			checkErr(t, err, tt.wantCode, tt.wantErr)
		} else if err != nil {
			t.Errorf("LegalEntity(%q) = %v, want valid", tt.in, err)
		}
		if got.Kind != tt.wantKind || got.Normalized != tt.wantNorm || got.Valid != (tt.wantCode == "") {
			t.Errorf("LegalEntity(%q) = %v %q valid=%v, want %v %q", tt.in, got.Kind, got.Normalized, got.Valid, tt.wantKind, tt.wantNorm)
		}
	}
}

// TestLegalEntityMode: a legal entity's code is taken leniently (the early
// credit codes, which fail their check, hold letters), but eighteen digits
// whose check fails as a credit code's are a citizen ID's shape, checked
// strictly; a valid all-digit credit code passes either way.
func TestLegalEntityMode(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want ident.Mode
	}{
		{"91350100M0001TGQXM", ident.Lenient},
		{"91330100716105852F", ident.Lenient},
		{"716105852", ident.Lenient},
		{"114406051154000005", ident.Lenient}, // digits only, check right: a credit code
		{"114406051154099990", ident.Strict},
		{" 11440605115409999x", ident.Strict},
		{"110101199003074514", ident.Strict},
	} {
		if got := ident.LegalEntityMode(tt.in); got != tt.want {
			t.Errorf("LegalEntityMode(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if _, err := ident.USCC("114406051154099990", ident.LegalEntityMode("114406051154099990")); err == nil {
		t.Error("eighteen digits with a wrong check were accepted")
	}
}

func TestCheckHelpers(t *testing.T) {
	tests := []struct {
		name    string
		fn      func(string) (byte, error)
		in      string
		want    byte
		wantErr string
	}{
		{"citizen", citizenCheck, "11010519491231002", 'X', ""},
		{"citizen digit", citizenCheck, "11010519491231001", '1', ""},
		{"citizen short", citizenCheck, "1101051949123100", 0, "not 17 digits"},
		{"citizen letter", citizenCheck, "1101051949123100A", 0, "not 17 digits"},
		{"uscc", ident.USCCCheck, "91350100M000100Y4", '3', ""},
		{"uscc pilot", ident.USCCCheck, "91350211M0000XUF4", 'R', ""},
		{"uscc ministry", ident.USCCCheck, "11100000000013338", 'W', ""},
		{"uscc check 0", ident.USCCCheck, "91440605MA4U0052X", '0', ""},
		{"uscc check Y", ident.USCCCheck, "91440605MA4U00183", 'Y', ""},
		{"uscc illegal", ident.USCCCheck, "91350100I000100Y4", 0, "含非法字符“I”（第9位）"},
		{"uscc short", ident.USCCCheck, "91350100M000100Y", 0, "长度应为17位，实际为16位"},
		{"org", ident.OrgCodeCheck, "D2143569", 'X', ""},
		{"org from USCC", ident.OrgCodeCheck, "M000100Y", '4', ""},
		{"org zero", ident.OrgCodeCheck, "00000000", '0', ""},
		{"org lower case", ident.OrgCodeCheck, "d2143569", 0, "含非法字符“d”（第1位）"},
		{"org long", ident.OrgCodeCheck, "D2143569X", 0, "长度应为8位，实际为9位"},
		{"reg no", ident.RegNoCheck, "11010801266042", '2', ""},
		{"reg no 0", ident.RegNoCheck, "11010800000001", '6', ""},
		{"reg no letter", ident.RegNoCheck, "1101080126604A", 0, "含非法字符“A”（第14位）"},
		{"reg no long", ident.RegNoCheck, "110108012660422", 0, "长度应为14位，实际为15位"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.fn(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("got error %v, want one containing %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Errorf("got error %v, want nil", err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// citizenCheck adapts CitizenIDCheck, which signals bad input with 0.
func citizenCheck(s string) (byte, error) {
	c := ident.CitizenIDCheck(s)
	if c == 0 {
		return 0, errs.E(errs.Invalid, "", "not 17 digits")
	}
	return c, nil
}

func TestDetect(t *testing.T) {
	tests := []struct {
		in   string
		want ident.Kind
	}{
		{"11010519491231002X", ident.KindCitizenID},
		{"11010519491231002x", ident.KindCitizenID},
		{"110105491231002", ident.KindCitizenID},
		{"110105194902300020", ident.KindCitizenID}, // bad date, but citizen-shaped
		{"110108012660422", ident.KindRegNo},        // no birth date in 012660; its check digit is right
		{"110108012660423", ident.KindCitizenID},    // the same with a wrong check digit
		{"440605000123453", ident.KindCitizenID},    // a right check digit, but a plausible citizen ID (1900-01-23)
		{"91350100M000100Y43", ident.KindUSCC},
		{"91350100m000100y43", ident.KindUSCC},
		{"91350100I000100Y43", ident.KindUSCC}, // USCC-shaped, the validator explains 'I'
		{"91350100M0001TGQXM", ident.KindUSCC},
		{"111000000000133001", ident.KindUSCC}, // all digits, but the USCC check is right
		// All digits with a citizen ID's province (12) and birth date
		// (1980-01-01), but not its check digit (1 and 0 would be): credit
		// codes whose check is right.
		{"121101198001010025", ident.KindUSCC},
		{"121101198001011041", ident.KindUSCC},
		{"D2143569-X", ident.KindOrgCode},
		{"D2143569X", ident.KindOrgCode},
		{"", ident.KindUnknown},
		{"12345", ident.KindUnknown},
		{"D214356-9X", ident.KindUnknown},
		{"9135010-M000100Y43", ident.KindUnknown},
		{"11010519491231002号", ident.KindUnknown},
	}
	for _, tt := range tests {
		if got := ident.Detect(tt.in); got != tt.want {
			t.Errorf("Detect(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestDetectBirthBounds: eighteen digits with a citizen ID's province and
// check digit but a birth date CitizenID refuses (after today in China,
// before 1900) are no plausible citizen ID: when their credit code check
// is right they are a credit code, as Validate then says.
func TestDetectBirthBounds(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want ident.Kind
	}{
		{"915001209904010053", ident.KindUSCC}, // 2099-04-01, after today
		{"91110118500611000X", ident.KindUSCC}, // 1850-06-11, before 1900
		{"11010519000101001X", ident.KindCitizenID},
		{"110105202506010029", ident.KindCitizenID}, // born today in China, still yesterday in UTC
		{"110105202506020024", ident.KindCitizenID}, // born tomorrow, no credit code: CitizenID explains
	} {
		if got := ident.DetectAt(tt.in, now); got != tt.want {
			t.Errorf("Detect(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"915001209904010053", "91110118500611000X", "９１１１０１１８５００６１１０００ｘ"} {
		for _, mode := range []ident.Mode{ident.Strict, ident.Lenient} {
			r, err := ident.Validate(in, mode)
			if err != nil || r.Kind != ident.KindUSCC || !r.Valid {
				t.Errorf("Validate(%q, %v) = %v valid=%v, %v; want a valid credit code", in, mode, r.Kind, r.Valid, err)
			}
		}
		if got := ident.LegalEntityMode(in); got != ident.Lenient {
			t.Errorf("LegalEntityMode(%q) = %v, want Lenient (a credit code)", in, got)
		}
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		in       string
		mode     ident.Mode
		wantKind ident.Kind
		wantNorm string
		wantCode string // error code, empty when valid
	}{
		{"11010519491231002x", ident.Strict, ident.KindCitizenID, "11010519491231002X", ""},
		{"110105491231002", ident.Strict, ident.KindCitizenID, "11010519491231002X", ""},
		{"931840198501010013", ident.Strict, ident.KindCitizenID, "931840198501010013", ""},
		{"９４４８４０１９８５０１０１００１８", ident.Lenient, ident.KindCitizenID, "944840198501010018", ""},
		{"110105194902300020", ident.Strict, ident.KindCitizenID, "", ident.CodeCitizenID},
		{"91350100M000100Y43", ident.Strict, ident.KindUSCC, "91350100M000100Y43", ""},
		{"91350100M0001TGQXM", ident.Strict, ident.KindUSCC, "", ident.CodeUSCC},
		{"91350100M0001TGQXM", ident.Lenient, ident.KindUSCC, "91350100M0001TGQXM", ""},
		{"121101198001010025", ident.Strict, ident.KindUSCC, "121101198001010025", ""},
		{"D2143569-X", ident.Strict, ident.KindOrgCode, "D2143569X", ""},
		{"330100400015575", ident.Strict, ident.KindRegNo, "330100400015575", ""},
		{"hello", ident.Strict, ident.KindUnknown, "", ident.CodeIdentifier},
	}
	for _, tt := range tests {
		got, err := ident.Validate(tt.in, tt.mode)
		if got.Kind != tt.wantKind || got.Normalized != tt.wantNorm || got.Valid != (tt.wantCode == "") {
			t.Errorf("Validate(%q, %v) = %v %q valid=%v, want %v %q valid=%v",
				tt.in, tt.mode, got.Kind, got.Normalized, got.Valid, tt.wantKind, tt.wantNorm, tt.wantCode == "")
		}
		var code string
		if e := errs.As(err); e != nil {
			code = e.Code
		} else if err != nil {
			t.Errorf("Validate(%q): got %v, want *errs.Error", tt.in, err)
		}
		if code != tt.wantCode {
			t.Errorf("Validate(%q): got error code %q, want %q", tt.in, code, tt.wantCode)
		}
	}
}

func TestKindNames(t *testing.T) {
	tests := []struct {
		k           ident.Kind
		name, label string
	}{
		{ident.KindUnknown, "unknown", "未知"},
		{ident.KindCitizenID, "citizen ID", "公民身份号码"},
		{ident.KindUSCC, "unified social credit code", "统一社会信用代码"},
		{ident.KindOrgCode, "organisation code", "组织机构代码"},
		{ident.KindRegNo, "business registration number", "工商注册号"},
		{ident.Kind(99), "unknown", "未知"},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.name {
			t.Errorf("Kind(%d).String() = %q, want %q", int(tt.k), got, tt.name)
		}
		if got := tt.k.Label(); got != tt.label {
			t.Errorf("Kind(%d).Label() = %q, want %q", int(tt.k), got, tt.label)
		}
	}
}

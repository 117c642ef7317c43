package ident_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
)

// checkFuzzErr asserts the error contract: an Invalid *errs.Error with code,
// and a result that is not valid.
func checkFuzzErr(t *testing.T, r ident.Result, err error, code string) {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Kind != errs.Invalid || e.Code != code || e.Message == "" {
		t.Fatalf("got error %#v, want Invalid *errs.Error with code %s", err, code)
	}
	if r.Valid || r.Normalized != "" {
		t.Fatalf("got Valid=%v Normalized=%q with an error, want false and empty", r.Valid, r.Normalized)
	}
}

func FuzzCitizenID(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "11010519491231002x", "110105491231002", "110105194902300020",
		"100105194912310028", "110105179912310024", "11010519491231002", " 110105194912310011 ",
		"11010519491231002号", "", "X",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ident.CitizenID(s)
		if err != nil {
			checkFuzzErr(t, r, err, ident.CodeCitizenID)
		} else {
			n := r.Normalized
			if !r.Valid || r.Kind != ident.KindCitizenID || len(n) != 18 {
				t.Fatalf("CitizenID(%q) = %+v, want a valid 18-digit result", s, r)
			}
			if c := ident.CitizenIDCheck(n[:17]); c != n[17] {
				t.Fatalf("CitizenIDCheck(%q) = %q, validator accepted %q", n[:17], c, n)
			}
			again, err := ident.CitizenID(n)
			if err != nil || again.Normalized != n || again.Upgraded || !again.Birth.Equal(r.Birth) || again.Male != r.Male {
				t.Fatalf("re-validating %q: got %+v, %v", n, again, err)
			}
			if k := ident.Detect(s); k != ident.KindCitizenID {
				t.Fatalf("Detect(%q) = %v, want citizen ID", s, k)
			}
		}
		// Generators append CitizenIDCheck to 17 digits: the check digit must
		// then never be the problem.
		if c := ident.CitizenIDCheck(s); c != 0 {
			if _, err := ident.CitizenID(s + string(c)); err != nil && strings.Contains(err.Error(), "校验码") {
				t.Fatalf("CitizenID(%q + CitizenIDCheck) = %v", s, err)
			}
		}
	})
}

func FuzzUSCC(f *testing.F) {
	for _, s := range []string{
		"91350100M000100Y43", "91350100M000100Y4Z", "91350100M0001TGQXM", "91350211M0000XUF46",
		"11100000000013338W", "99350100M000100Y4A", "91350100M000100Y56", "91A50100M000100Y43",
		"91350100m000100y43", "91350100M000100Y4", "",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, lenient bool) {
		mode := ident.Strict
		if lenient {
			mode = ident.Lenient
		}
		r, err := ident.USCC(s, mode)
		if err != nil {
			checkFuzzErr(t, r, err, ident.CodeUSCC)
		} else {
			n := r.Normalized
			if !r.Valid || r.Kind != ident.KindUSCC || len(n) != 18 {
				t.Fatalf("USCC(%q) = %+v, want a valid 18-character result", s, r)
			}
			c, err := ident.USCCCheck(n[:17])
			if err != nil {
				t.Fatalf("USCCCheck(%q) = %v, validator accepted %q", n[:17], err, n)
			}
			checkOK := c == n[17]
			if !lenient && !checkOK {
				t.Fatalf("USCCCheck(%q) = %q, strict validator accepted %q", n[:17], c, n)
			}
			if !checkOK && (len(r.Warnings) == 0 || !strings.HasPrefix(r.Warnings[0], "校验码不符")) {
				t.Fatalf("USCC(%q) lenient: warnings %q, want a check-digit warning first", s, r.Warnings)
			}
			var wantCheck byte
			if !checkOK {
				wantCheck = c
			}
			if r.WantCheck != wantCheck {
				t.Fatalf("USCC(%q): WantCheck %q, want %q", s, r.WantCheck, wantCheck)
			}
			again, err := ident.USCC(n, mode)
			if err != nil || again.Normalized != n || !slices.Equal(again.Warnings, r.Warnings) {
				t.Fatalf("re-validating %q: got %+v, %v", n, again, err)
			}
			if _, err := ident.USCC(n, ident.Strict); (err == nil) != checkOK {
				t.Fatalf("USCC(%q, Strict) = %v, but check digit ok = %v", n, err, checkOK)
			}
		}
		// A generator appending USCCCheck to 17 characters with digits at
		// positions 3–8 must get a code valid in strict mode.
		if c, err := ident.USCCCheck(s); err == nil && len(s) == 17 && isDigits(s[2:8]) {
			if _, err := ident.USCC(s+string(c), ident.Strict); err != nil {
				t.Fatalf("USCC(%q + USCCCheck) = %v", s, err)
			}
		}
	})
}

func FuzzOrgCode(f *testing.F) {
	for _, s := range []string{
		"D2143569-X", "D2143569X", "d2143569-x", "M000100Y4", "00000000-0", "D2143569-1",
		"D2143569-Y", "D214356-9X", "D214$569X", "D2143569", "", "-",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ident.OrgCode(s)
		if err != nil {
			checkFuzzErr(t, r, err, ident.CodeOrgCode)
		} else {
			n := r.Normalized
			if !r.Valid || r.Kind != ident.KindOrgCode || len(n) != 9 {
				t.Fatalf("OrgCode(%q) = %+v, want a valid 9-character result", s, r)
			}
			if c, err := ident.OrgCodeCheck(n[:8]); err != nil || c != n[8] {
				t.Fatalf("OrgCodeCheck(%q) = %q, %v; validator accepted %q", n[:8], c, err, n)
			}
			for _, in := range []string{n, r.Printed()} {
				if again, err := ident.OrgCode(in); err != nil || again.Normalized != n {
					t.Fatalf("re-validating %q: got %+v, %v", in, again, err)
				}
			}
			if k := ident.Detect(s); k != ident.KindOrgCode {
				t.Fatalf("Detect(%q) = %v, want organisation code", s, k)
			}
		}
		if c, err := ident.OrgCodeCheck(s); err == nil {
			if _, err := ident.OrgCode(s + string(c)); err != nil {
				t.Fatalf("OrgCode(%q + OrgCodeCheck) = %v", s, err)
			}
		}
	})
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func FuzzRegNo(f *testing.F) {
	for _, s := range []string{
		"110108012660422", "330100400015575", "440301103448669", " 110108000000016\n", "110108012660423",
		"440605000123456", "440605000123453", "11010801266042A", "11010801266042号", "11010801266042", "", "X",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ident.RegNo(s)
		if err != nil {
			checkFuzzErr(t, r, err, ident.CodeRegNo)
		} else {
			n := r.Normalized
			if !r.Valid || r.Kind != ident.KindRegNo || len(n) != 15 || !isDigits(n) {
				t.Fatalf("RegNo(%q) = %+v, want a valid 15-digit result", s, r)
			}
			if c, err := ident.RegNoCheck(n[:14]); err != nil || c != n[14] {
				t.Fatalf("RegNoCheck(%q) = %q, %v; validator accepted %q", n[:14], c, err, n)
			}
			if again, err := ident.RegNo(n); err != nil || again.Normalized != n {
				t.Fatalf("re-validating %q: got %+v, %v", n, again, err)
			}
			// Fifteen digits are a registration number unless they read as
			// a legacy citizen ID.
			if k := ident.Detect(s); k != ident.KindRegNo && k != ident.KindCitizenID {
				t.Fatalf("Detect(%q) = %v, want registration number or citizen ID", s, k)
			}
		}
		// A legal entity's identifier of 15 characters is checked as a
		// registration number, with the same answer.
		if le, lerr := ident.LegalEntity(s, ident.Strict); le.Kind == ident.KindRegNo &&
			(le.Normalized != r.Normalized || (lerr == nil) != (err == nil)) {
			t.Fatalf("LegalEntity(%q) = %+v, %v; RegNo = %+v, %v", s, le, lerr, r, err)
		}
		if c, err := ident.RegNoCheck(s); err == nil {
			if _, err := ident.RegNo(s + string(c)); err != nil {
				t.Fatalf("RegNo(%q + RegNoCheck) = %v", s, err)
			}
		}
	})
}

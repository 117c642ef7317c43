package ident_test

import (
	"slices"
	"testing"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
)

// TestParseSubject: an identifier typed without its kind is read in the
// forms records store it in, and the audit log names it by one of them;
// a citizen ID's or credit code's shape mistyped is refused, as the
// validators of documents refuse it.
func TestParseSubject(t *testing.T) {
	for _, tt := range []struct {
		in          string
		person, le  string
		docs        []string
		named, code string
	}{
		{in: " 11010519491231002x ", person: "11010519491231002X", named: "11010519491231002X"},
		{in: "110105491231002", person: "11010519491231002X", docs: []string{"110105491231002"}, named: "11010519491231002X"},
		{in: "91350100M000100Y43", le: "91350100M000100Y43", docs: []string{"91350100M000100Y43"}, named: "91350100M000100Y43"},
		{in: "e12345678", docs: []string{"E12345678"}, named: "E12345678"},
		{in: "H1234567801", docs: []string{"H1234567801", "H12345678"}, named: "H1234567801"},
		{in: "南字第0123456号", docs: []string{"南字第0123456号"}, named: "南字第0123456号"},
		{in: "11010519491231002", code: ident.CodeIdentifier},
		{in: "1101051949123100211", code: ident.CodeIdentifier},
		{in: "91350100I000100Y43", code: ident.CodeUSCC},
		{in: "\u041512345678", code: ident.CodeIdentifier},
		{in: "张三", code: ident.CodeIdentifier},
	} {
		f, err := ident.ParseSubject(tt.in)
		if tt.code != "" {
			if e := errs.As(err); e == nil || e.Code != tt.code {
				t.Errorf("ParseSubject(%q) = %+v, %v; want %s", tt.in, f, err, tt.code)
			}
			continue
		}
		if err != nil || f.Person != tt.person || f.LegalEntity != tt.le || !slices.Equal(f.Documents, tt.docs) || f.Named() != tt.named {
			t.Errorf("ParseSubject(%q) = %+v named %q, %v; want %q %q %q named %q", tt.in, f, f.Named(), err, tt.person, tt.le, tt.docs, tt.named)
		}
	}
}

// FuzzDocumentSubject: whatever a passport's or a 证件号码's validator
// takes, ParseSubject takes too and reads it in the same form, so that a
// subject a record is stored under can always be looked up (the
// discrepancy filter, the audit log's); pushed 17 digits were stored and
// then refused as a filter.
func FuzzDocumentSubject(f *testing.F) {
	for _, s := range []string{"11010519491231002", "1101051949123100211", "110105194912310021", "91350100I000100Y43",
		"91350100M000100Y43", "11010519491231002X", "110105491231002", "E12345678", "南字第0123456号", "1234567890123456",
		"AB12345678901234XY", "\u041512345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []func(string) (ident.Result, error){ident.Passport, ident.Document} {
			r, err := v(s)
			if err != nil {
				continue
			}
			forms, err := ident.ParseSubject(s)
			if err != nil || forms.Person != r.Normalized && !slices.Contains(forms.Documents, r.Normalized) {
				t.Fatalf("%s(%q) = %q, but ParseSubject = %+v, %v", r.Kind, s, r.Normalized, forms, err)
			}
		}
	})
}

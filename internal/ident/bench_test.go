package ident_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/ident"
)

func BenchmarkValidators(b *testing.B) {
	benchmarks := []struct {
		name string
		fn   func() (ident.Result, error)
	}{
		{"CitizenID", func() (ident.Result, error) { return ident.CitizenID("11010519491231002X") }},
		{"CitizenID/legacy", func() (ident.Result, error) { return ident.CitizenID("110105491231002") }},
		{"USCC", func() (ident.Result, error) { return ident.USCC("91350100M000100Y43", ident.Strict) }},
		{"USCC/lenient-warning", func() (ident.Result, error) { return ident.USCC("91350100M0001TGQXM", ident.Lenient) }},
		{"OrgCode", func() (ident.Result, error) { return ident.OrgCode("D2143569X") }},
		{"OrgCode/hyphen", func() (ident.Result, error) { return ident.OrgCode("D2143569-X") }},
		{"Validate/USCC", func() (ident.Result, error) { return ident.Validate("91350100M000100Y43", ident.Strict) }},
		{"Validate/CitizenID", func() (ident.Result, error) { return ident.Validate("11010519491231002X", ident.Strict) }},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bm.fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkInvalid(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ident.USCC("91350100M000100Y44", ident.Strict); err == nil {
			b.Fatal("accepted a wrong check digit")
		}
	}
}

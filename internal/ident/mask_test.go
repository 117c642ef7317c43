package ident_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/ident"
)

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"/api/v1/public/catalog/44060550010100":                          "/api/v1/public/catalog/44060550010100",
		"/records/entries/1/subjects":                                    "/records/entries/1/subjects",
		"/api/v1/ident/":                                                 "/api/v1/ident/",
		"44060550010100 E12345678":                                       "44060550010100 E12345678",
		"/api/v1/records/entries/1/subjects/440605195001010008":          "/api/v1/records/entries/1/subjects/440605**********08",
		"/api/v1/records/entries/12/subjects/44060519500101000x/history": "/api/v1/records/entries/12/subjects/440605**********0x/history",
		"/api/v1/ident/440605500101001":                                  "/api/v1/ident/440605*******01",
		"91440605MA4UXXXX0X,440605195001010008":                          "914406**********0X,440605**********08",
		"/api/v1/public/catalog/101001/000001":                           "/api/v1/public/catalog/101001/000001",
		"":                                                               "",
		"/api/v1/ident/４４０６０５１９５００１０１０００８":      "/api/v1/ident/４４０６０５**********０８",
		"/subjects/１１０１０５１９４９１２３１００２ｘ/history":  "/subjects/１１０１０５**********２ｘ/history",
		"/api/v1/ident/1101051949１２３１００２X":      "/api/v1/ident/110105**********２X",
		"/api/v1/ident/９１４４０６０５ＭＡ４ＵＸＸＸＸ０Ｘ":      "/api/v1/ident/９１４４０６**********０Ｘ",
		"/api/v1/ident/４４０６０５５００１０１００１":         "/api/v1/ident/４４０６０５*******０１",
		"/文件/440605195001010008/证照":             "/文件/440605**********08/证照",
		"９１４４０６０５ＭＡ４ＵＸＸＸＸ０Ｘ，440605195001010008": "９１４４０６**********０Ｘ，440605**********08",
	} {
		if got := ident.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMaskSubjectSegments: the segment after subjects/ or ident/ is a
// subject's identifier whatever its shape, masked whole — a passport or
// permit number is no run of 15, an ID typed with a space or a hyphen is
// several shorter runs — while the rest of the path stays readable.
func TestMaskSubjectSegments(t *testing.T) {
	for in, want := range map[string]string{
		"/api/v1/records/entries/1/subjects/E12345678":           "/api/v1/records/entries/1/subjects/*********",
		"/api/v1/records/entries/1/subjects/H1234567801/history": "/api/v1/records/entries/1/subjects/***********/history",
		"/records/entries/7/subjects/EA1234567":                  "/records/entries/7/subjects/*********",
		"/api/v1/records/entries/1/subjects/1101051949 12310021": "/api/v1/records/entries/1/subjects/110105***********21",
		"/api/v1/ident/110105 1949123100 2X":                     "/api/v1/ident/110105************2X",
		"/api/v1/ident/110105-19491231-002X":                     "/api/v1/ident/110105************2X",
		"/api/v1/ident/44060550010100":                           "/api/v1/ident/**************",
		"/records/entries/1/subjects/４４０６０５":                     "/records/entries/1/subjects/******",
		"/api/v1/ident/欧阳娜娜":                                     "/api/v1/ident/****",
		"/api/v1/records/entries/1/subjects/440605195001010008":  "/api/v1/records/entries/1/subjects/440605**********08",
		// The segment after a second subjects or ident is a subject's too:
		// which segment names a subject is read from the path as given,
		// not from the segment before it as already masked.
		"/api/v1/ident/ident/E12345678":                         "/api/v1/ident/*****/*********",
		"/api/v1/records/entries/1/subjects/subjects/E12345678": "/api/v1/records/entries/1/subjects/********/*********",
		"subjects/subjects/000000000":                           "subjects/********/*********",
		"/api/v1/ident/subjects/E12345678":                      "/api/v1/ident/********/*********",
	} {
		if got := ident.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMaskValue: one identifier is masked whole, as the segment after
// subjects/ or ident/ is, '/' and all: a passport or permit number shows
// no letter or digit, a citizen ID or credit code its first 6 and last 2.
func TestMaskValue(t *testing.T) {
	for in, want := range map[string]string{
		"E12345678":           "*********",
		"H1234567801":         "***********",
		"440605195001010008":  "440605**********08",
		"1101051949 12310021": "110105***********21",
		"E1234/5678":          "**********",
		// usernames (auth's lock-out warning), separated as one may be
		"110105-19491231-0021": "110105************21",
		"110105.19491231.002x": "110105************2x",
		"91440605-ma4u0052x0":  "914406***********x0",
		"１１０１０５-１９４９１２３１-００２１": "１１０１０５************２１",
		"mz.reviewer":    "***********",
		"zhang-san.1990": "**************",
		"e12345678":      "*********",
		"":               "",
	} {
		if got := ident.MaskValue(in); got != want {
			t.Errorf("MaskValue(%q) = %q, want %q", in, got, want)
		}
	}
}

package server

import (
	"regexp"
	"strings"

	"github.com/hutong-gov/hutong/internal/ident"
)

// requestIDChars is what a client's X-Request-ID may hold to be kept: 1 to
// 64 ASCII letters, digits and . _ : - (a UUID, a trace or span ID, a
// proxy's request ID).
var requestIDChars = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// numberLike is a token of an ID that looks like a person's number: at
// least 7 digits with at most 2 letters before and 1 after — a citizen ID
// (11010519491231002X), a mobile number (13912345678), a passport or a
// permit (E12345678, EA1234567, H1234567801).
var numberLike = regexp.MustCompile(`^[A-Za-z]{0,2}[0-9]{7,}[A-Za-z]?$`)

// clientRequestID reports whether id, a client's X-Request-ID, is kept as
// the request's ID, which the request log writes and the answer returns.
// The log is no place for personal data, so an ID is kept only when it is
// made of requestIDChars and none of its tokens (between . _ : -) looks
// like a person's number (numberLike) or has the shape of a citizen ID or
// a credit code (ident.CodeShaped); the server gives any other request an
// ID of its own. Until 2026-12-05 any value up to 64 bytes was kept, and
// "11010519491231002X 13912345678 欧阳娜娜" was logged as it came.
func clientRequestID(id string) bool {
	if !requestIDChars.MatchString(id) {
		return false
	}
	for tok := range strings.FieldsFuncSeq(id, func(r rune) bool { return r == '.' || r == '_' || r == ':' || r == '-' }) {
		if numberLike.MatchString(tok) || ident.CodeShaped(tok) {
			return false
		}
	}
	return true
}

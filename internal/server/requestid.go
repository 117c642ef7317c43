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

// traceShaped is a UUID (8-4-4-4-12 hex digits) or a trace ID (32 hex
// digits, W3C Trace Context's trace-id): random, kept whatever digits it
// holds (a random UUID has a group of 7 or more digits about once in 16).
var traceShaped = regexp.MustCompile(`^(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9A-Fa-f]{32})$`)

// clientRequestID reports whether id, a client's X-Request-ID, is kept as
// the request's ID, which the request log writes and the answer returns.
// The log is no place for personal data, so an ID is kept only when it is
// a UUID or a trace ID (traceShaped), or made of requestIDChars with none
// of its tokens (between . _ : -) looking like a person's number
// (numberLike) or having the shape of a citizen ID or a credit code
// (ident.CodeShaped): a timestamp's run of digits (req-20261205161800) is
// not told from a number's. The server gives any other request an ID of
// its own. Until 2026-12-05 any value up to 64 bytes was kept, and
// "11010519491231002X 13912345678 欧阳娜娜" was logged as it came; then,
// until the same day's later fix, a UUID with a group of 7 or more digits
// was replaced.
func clientRequestID(id string) bool {
	if traceShaped.MatchString(id) {
		return true
	}
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

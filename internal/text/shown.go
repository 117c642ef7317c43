package text

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Shown is s as a message quotes a value it refuses: its first max
// characters, an ellipsis marking a cut, each character that shows
// nothing or moves the text around it (a control, a format character such
// as a zero-width space or a bidi control, invalid UTF-8, any other
// character unicode.IsGraphic refuses but the space) written as its code
// point in brackets ([U+200B]), a byte that is not UTF-8 as [\xFF], so that the message
// shows what the value holds and nothing that hides or reorders it. It reads
// no further into s than the characters it keeps: a value of any length
// costs a message of at most max characters and their escapes.
func Shown(s string, max int) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); n++ {
		if n == max {
			b.WriteString("…")
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "[\\x%02X]", s[i])
		case r == ' ' || unicode.IsGraphic(r) && !Invisible(r):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "[U+%04X]", r)
		}
		i += size
	}
	return b.String()
}

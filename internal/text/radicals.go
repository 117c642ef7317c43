package text

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// radicals maps the CJK Radicals Supplement U+2E81–U+2EF3 (radicals[r-0x2E80])
// to their equivalent unified ideographs, as Unicode's
// EquivalentUnifiedIdeograph.txt (UCD 14.0.0) lists them: ⻋ U+2ECB is 车, ⻔ U+2ED4 is 门, ⻓ U+2ED3 is 长, ⻢
// U+2EE2 is 马. These radicals have no compatibility decomposition (but
// U+2E9F and U+2EF3), so NFKC keeps them, while text copied out of a PDF
// often holds them in place of the ideograph they look like. U+2E80 and
// the unassigned U+2E9A have none (0). The Kangxi radicals U+2F00–U+2FD5
// need no table: their NFKC forms are the ideographs the file lists.
var radicals = [...]rune{
	0, '\u5382', '\u4e5b', '\u4e5a', '\u4e59', '\u4ebb', '\u5182', '\U00020628',
	'\u5200', '\u5202', '\u535c', '\u353e', '\u5c0f', '\u5c0f', '\u5140', '\u5c23',
	'\u5c22', '\U00021bc2', '\u5df3', '\u5e7a', '\u5f51', '\u5f50', '\u5fc4', '\u5fc3',
	'\u624c', '\u6535', 0, '\u65e1', '\u65e5', '\u6708', '\u6b7a', '\u6bcd',
	'\u6c11', '\u6c35', '\u6c3a', '\u706c', '\u722b', '\u722b', '\u4e2c', '\u725b',
	'\u72ad', '\u738b', '\U00024d14', '\u76ee', '\u793a', '\u793b', '\U00025ad7', '\u7cf9',
	'\u7e9f', '\u7f53', '\u7f52', '\u34c1', '\u5197', '\U0002626b', '\u7f8a', '\U0002634c',
	'\U0002634b', '\u8002', '\u8080', '\u807f', '\u8089', '\U00026951', '\u8279', '\u8279',
	'\u8279', '\u864e', '\u8864', '\u8980', '\u897f', '\u89c1', '\u89d2', '\U000278b2',
	'\u8ba0', '\u8d1d', '\U00027fb7', '\u8f66', '\u8fb6', '\u8fb6', '\u8fb6', '\u9091',
	'\u9485', '\u9577', '\u9578', '\u957f', '\u95e8', '\U00028e0f', '\u961d', '\u96e8',
	'\u9752', '\u97e6', '\u9875', '\u98ce', '\u98de', '\u98df', '\U0002967f', '\u98e0',
	'\u9963', '\U00029810', '\u9a6c', '\u9aa8', '\u9b3c', '\u9c7c', '\u9e1f', '\u5364',
	'\u9ea6', '\u9ec4', '\u9efe', '\u6589', '\u9f50', '\u6b6f', '\u9f7f', '\u7adc',
	'\u9f99', '\u9f9c', '\u4e80', '\u9f9f',
}

// radical returns the equivalent unified ideograph of r, a radical of the
// CJK Radicals Supplement (radicals), or r itself.
func radical(r rune) rune {
	if i := r - 0x2e80; 0 <= i && int(i) < len(radicals) && radicals[i] != 0 {
		return radicals[i]
	}
	return r
}

// Radical returns the unified ideograph the radical r reads as, as Fold
// reads it: one of the CJK Radicals Supplement as its equivalent ideograph
// (radicals), one of the Kangxi radicals U+2F00–U+2FD5 as its NFKC form,
// an ideograph; any other r as it is. A comparison that folds radicals
// but keeps the other forms NFKC would change (org's department search
// as typed: ⻔户（筹） finds 门户（筹）, ㈱ does not find (株)) folds them
// by it.
func Radical(r rune) rune {
	if '\u2f00' <= r && r <= '\u2fd5' {
		d := norm.NFKC.PropertiesString(string(r)).Decomposition()
		if u, n := utf8.DecodeRune(d); n == len(d) {
			return u
		}
		return r
	}
	return radical(r)
}

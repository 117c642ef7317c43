package catalog

import "github.com/hutong-gov/hutong/internal/text"

// NameKey is the form in which entry names are compared, as the catalog
// keeps them in name_key: folded as text that looks alike (text.Fold:
// NFKC, so a decomposed é is é and full-width forms are ASCII; zero-width
// and other default-ignorable characters such as U+200B and U+FE0F
// dropped; middle dots unified), white space collapsed, the ideographic
// space width-folded, ASCII letters in lower case. Two names of one key are
// one name to the rule against cataloging a resource twice
// (duplicate_entry_name). Keys stored before NameKey folded with text.Fold
// are rewritten by RekeyNames.
func NameKey(name string) string {
	return foldWidth(collapse(text.Fold(name)))
}

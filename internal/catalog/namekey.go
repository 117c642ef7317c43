package catalog

// NameKey is the form in which entry names are compared, as the catalog
// keeps them in name_key: white space collapsed, full-width ASCII forms
// and the ideographic space width-folded, ASCII letters in lower case.
// Two names of one key are one name to the rule against cataloging a
// resource twice (duplicate_entry_name).
func NameKey(name string) string {
	return foldWidth(collapse(name))
}

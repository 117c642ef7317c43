package catalogtest

import (
	"fmt"
	"strings"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// Astral is a Han character outside the Basic Multilingual Plane (CJK
// Extension B): one character to the catalog's limits, two UTF-16 units to
// a workbook's cell, four bytes of UTF-8 and twelve urlencoded.
const Astral = "𠀀"

// Maximal is a valid entry at every limit of catalog.ValidateEntry: its
// name, every free text and every name at its length, catalog.MaxItems
// data items with descriptions of catalog.MaxText, catalog.MaxServiceItems
// service items and catalog.MaxRelatedCodes related codes at theirs. Names
// are of Astral (a service item's alternates it with ；, which its written
// form escapes: two UTF-16 units a character either way); the free texts
// (abstract, conditions, scope, timeliness, descriptions) repeat fill, one
// character, after a Han one, so that a test can take the character
// dearest to its encoding (< is six bytes in JSON that escapes HTML,
// Astral twelve urlencoded).
func Maximal(fill string) catalog.Resource {
	text := func(n int) string { return "文" + strings.Repeat(fill, n-1) }
	name := func(prefix string, n int) string {
		return prefix + strings.Repeat(Astral, n-len([]rune(prefix)))
	}
	r := catalog.Resource{
		Name:     name("户籍", catalog.MaxName),
		Abstract: text(catalog.MaxText),
		Classification: catalog.Classification{Class: catalog.Departmental, CategoryCode: "07",
			CategoryName: name("项", catalog.MaxClassName), SubcategoryCode: "012", SubcategoryName: name("目", catalog.MaxClassName),
			DetailCode: "3", DetailName: name("细目", catalog.MaxClassName)},
		Format:    "spreadsheet",
		ShareType: catalog.Conditional, ShareConditions: text(catalog.MaxText),
		ShareMethods: []catalog.ShareMethod{"batch", "file"}, ShareScope: text(catalog.MaxText),
		OpenAttribute: catalog.OpenConditional, OpenConditions: text(catalog.MaxText),
		UpdateFrequency: catalog.FrequencyOther, FrequencyOther: name("每", catalog.MaxOther),
		Timeliness: text(catalog.MaxText), SecurityLevel: 2, NetworkZone: "internet",
		Domain: catalog.DomainOther, DomainOther: name("领域", catalog.MaxOther), SubjectKind: catalog.LegalEntity,
	}
	r.Items = append(r.Items, catalog.Item{Name: "统一社会信用代码", Type: "C", Length: 18, IdentifiesSubject: true,
		Description: text(catalog.MaxText)})
	for i := 1; i < catalog.MaxItems; i++ {
		r.Items = append(r.Items, catalog.Item{Name: name(fmt.Sprintf("项%03d", i), catalog.MaxItemName), Type: "C",
			Length: 100, Description: text(catalog.MaxText)})
	}
	for i := range catalog.MaxServiceItems {
		n := fmt.Sprintf("事项%02d", i) + strings.Repeat(Astral+"；", catalog.MaxServiceName)
		r.ServiceItems = append(r.ServiceItems, catalog.ServiceItem{Name: string([]rune(n)[:catalog.MaxServiceName]),
			Code: fmt.Sprintf("%02d", i) + strings.Repeat("X", catalog.MaxServiceCode-2)})
	}
	for i := range catalog.MaxRelatedCodes {
		r.RelatedCodes = append(r.RelatedCodes, fmt.Sprintf("301001/%0*d", catalog.MaxRelatedCode-7, i+1))
	}
	return r
}

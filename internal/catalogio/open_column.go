package catalogio

import (
	"strings"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// openAttributeColumn reads a column headed 开放条件 (or a synonym of it)
// as 开放属性 when the file has no 开放属性 column and every cell of it
// that is not empty is an open attribute (无条件开放, 有条件开放, 不予开放,
// or a synonym such as 普遍开放 or 不开放, but for those that also name a
// condition, 依申请开放): open-data portals head their open attribute so,
// and read as our 开放条件 every row failed twice (开放属性应为… and 只有有条
// 件开放的资源才填写开放条件). The column is then reported as a synonym of
// 开放属性, which a mapping saved from the report keeps. A column the
// user's mapping names is read as mapped.
func openAttributeColumn(p *parsed) {
	at := -1
	for i, c := range p.columns {
		switch {
		case c.Field == "open_attribute":
			return
		case c.Field == "open_conditions" && c.Source != "mapping":
			at = i
		}
	}
	if at < 0 {
		return
	}
	seen := false
	for _, rec := range p.records {
		v := strings.TrimSpace(rec.vals["open_conditions"])
		if v == "" || catalog.IsPlaceholder(v) {
			continue
		}
		if !openLabel(v) {
			return
		}
		seen = true
	}
	if !seen {
		return
	}
	p.columns[at].Field, p.columns[at].Source = "open_attribute", "synonym"
	for _, rec := range p.records {
		if v, ok := rec.vals["open_conditions"]; ok {
			rec.vals["open_attribute"] = v
			delete(rec.vals, "open_conditions")
		}
	}
}

// openLabel reports whether v is an open attribute, by its code, label or
// a synonym, and names no condition (依申请开放 may be either).
func openLabel(v string) bool {
	if _, ok := catalog.Lookup("open_attribute", v); ok {
		return true
	}
	_, ok := openSyn[fold(v)]
	return ok && !openConditionWords[fold(v)]
}

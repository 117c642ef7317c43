package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
)

// fieldChangeRow is one changed metadata field, as the reader sees it.
type fieldChangeRow struct {
	Label, Old, New string
}

// itemChangeRow is one data item added, removed or changed.
type itemChangeRow struct {
	Name   string
	Change string // added, removed, changed
	Label  string // 新增, 删除, 修改
	Attrs  []attrChange
	Old    *catalog.Item
	New    *catalog.Item
}

type attrChange struct {
	Label, Old, New string
}

type catalogDiffData struct {
	Entry    catalog.Entry
	Old, New catalog.Version
	Fields   []fieldChangeRow
	Items    []itemChangeRow
	// Order is the items' order in each version when items kept changed
	// places (Diff's items_order), shown with the item changes.
	Order *fieldChangeRow
	Empty bool
}

var itemChangeLabels = map[string]string{"added": "新增", "removed": "删除", "changed": "修改"}

var itemAttrLabels = map[string]string{"type": "数据类型", "length": "长度", "identifies_subject": "标识主体", "description": "说明"}

// fieldText shows the value of one metadata field of r, by the JSON name
// Diff uses.
func fieldText(field string, r catalog.Resource) string {
	c := r.Classification
	switch field {
	case "name":
		return r.Name
	case "abstract":
		return r.Abstract
	case "classification":
		s := fmt.Sprintf("%s / %s %s / %s %s", c.Class.Label(), c.CategoryCode, c.CategoryName, c.SubcategoryCode, c.SubcategoryName)
		if c.DetailCode != "" || c.DetailName != "" {
			s += " / " + c.DetailCode + " " + c.DetailName
		}
		return s
	case "format":
		return r.Format.Label()
	case "share_type":
		return r.ShareType.Label()
	case "share_conditions":
		return r.ShareConditions
	case "legal_basis":
		return r.LegalBasis
	case "share_methods":
		var ms []string
		for _, m := range r.ShareMethods {
			ms = append(ms, m.Label())
		}
		return strings.Join(ms, "、")
	case "share_scope":
		return r.ShareScope
	case "open_attribute":
		return r.OpenAttribute.Label()
	case "open_conditions":
		return r.OpenConditions
	case "update_frequency":
		return r.UpdateFrequency.Label()
	case "update_frequency_other":
		return r.FrequencyOther
	case "timeliness":
		return r.Timeliness
	case "security_level":
		if r.SecurityLevel == 0 {
			return ""
		}
		return strconv.Itoa(r.SecurityLevel) + "级"
	case "network_zone":
		return r.NetworkZone.Label()
	case "domain":
		return catalog.Label("domain", r.Domain)
	case "domain_other":
		return r.DomainOther
	case "subject_kind":
		return r.SubjectKind.Label()
	case "service_items":
		return catalog.FormatServiceItems(r.ServiceItems, "；")
	case "related_codes":
		return strings.Join(r.RelatedCodes, "、")
	case "items_order":
		names := make([]string, len(r.Items))
		for i, it := range r.Items {
			names[i] = it.Name
		}
		return strings.Join(names, "、")
	}
	return ""
}

func itemAttrText(attr string, it *catalog.Item) string {
	if it == nil {
		return ""
	}
	switch attr {
	case "type":
		return string(it.Type) + " " + it.Type.Label()
	case "length":
		if it.Length == 0 {
			return ""
		}
		return strconv.Itoa(it.Length)
	case "identifies_subject":
		if it.IdentifiesSubject {
			return "是"
		}
		return "否"
	case "description":
		return it.Description
	}
	return ""
}

// catalogDiffPage compares version n of an entry with the version before
// it that the reader may see.
func (w *Web) catalogDiffPage(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := entryID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n <= 0 {
		return errs.E(errs.NotFound, "version_not_found", "版本不存在")
	}
	by := catalogActor(auth.From(ctx))
	q := w.cfg.DB.Read()
	e, err := catalog.Get(ctx, q, by, id)
	if err != nil {
		return err
	}
	vs, err := catalog.Versions(ctx, q, by, id)
	if err != nil {
		return err
	}
	var d catalogDiffData
	found := false
	for i, v := range vs {
		if v.Version == n {
			if i == 0 {
				return errs.E(errs.NotFound, "no_previous_version", fmt.Sprintf("第%d版之前没有可比较的版本", n))
			}
			d.Old, d.New, found = vs[i-1], v, true
		}
	}
	if !found {
		return errs.E(errs.NotFound, "version_not_found", fmt.Sprintf("版本 %d 不存在", n))
	}
	d.Entry = e
	if err := displayNames(ctx, q, &d.Old.CreatedBy, &d.New.CreatedBy); err != nil {
		return err
	}
	ch := catalog.Diff(d.Old.Resource, d.New.Resource)
	d.Empty = ch.Empty()
	for _, f := range ch.Fields {
		row := fieldChangeRow{Label: f.Label, Old: fieldText(f.Field, d.Old.Resource), New: fieldText(f.Field, d.New.Resource)}
		if f.Field == "items_order" {
			d.Order = &row
			continue
		}
		d.Fields = append(d.Fields, row)
	}
	for _, ic := range ch.Items {
		row := itemChangeRow{Name: ic.Name, Change: ic.Change, Label: itemChangeLabels[ic.Change], Old: ic.Old, New: ic.New}
		for _, a := range ic.Attributes {
			row.Attrs = append(row.Attrs, attrChange{Label: itemAttrLabels[a], Old: itemAttrText(a, ic.Old), New: itemAttrText(a, ic.New)})
		}
		d.Items = append(d.Items, row)
	}
	return w.render(rw, r, http.StatusOK, "catalog_diff", fmt.Sprintf("%s 第%d版与第%d版比较", e.Name, d.New.Version, d.Old.Version), d)
}

// Package catalogio imports and exports catalog entries as Excel workbooks
// (XLSX), CSV and JSON lines, the way offices really compile catalogs
// (docs/catalog-workbook.md).
//
// Export writes the documented workbook: sheet 目录 with one row per entry
// and sheet 信息项 with one row per data item, controlled values as their
// Chinese labels. Import reads that workbook back, and also foreign files:
// a column mapping (saved per department and reused, or suggested from known
// header synonyms) says which column holds which field, messy values are
// normalised with a report of every change, and every row that still cannot
// be stored is reported with its row number and the catalog's validation
// errors. Import is all or nothing in one transaction unless the caller asks
// for the good rows only.
package catalogio

import (
	"regexp"
	"slices"
	"strings"

	"github.com/hutong-gov/hutong/internal/text"
)

// Field is one column of the workbook layout: the key used in mappings,
// reports and the API, and the Chinese header written on export.
type Field struct {
	Key    string `json:"key"`
	Header string `json:"header"`
	// Sheet is 目录 for entry fields and 信息项 for data item fields.
	Sheet string `json:"sheet"`
	// Required fields make the file unreadable when their column is missing.
	Required bool `json:"required,omitempty"`
}

// Sheet names of the workbook.
const (
	SheetEntries = "目录"
	SheetItems   = "信息项"
)

// Entry fields, in workbook column order. Keys are the JSON names of
// catalog.Resource where one exists.
var entryFields = []Field{
	{Key: "name", Header: "资源名称", Required: true},
	{Key: "code", Header: "资源代码"},
	{Key: "provider", Header: "数源部门"},
	{Key: "abstract", Header: "摘要"},
	{Key: "class", Header: "资源分类（类）"},
	{Key: "category_code", Header: "项代码"},
	{Key: "category_name", Header: "项名称"},
	{Key: "subcategory_code", Header: "目代码"},
	{Key: "subcategory_name", Header: "目名称"},
	{Key: "detail_code", Header: "细目代码"},
	{Key: "detail_name", Header: "细目名称"},
	{Key: "format", Header: "信息资源格式"},
	{Key: "share_type", Header: "共享类型"},
	{Key: "share_conditions", Header: "共享条件"},
	{Key: "legal_basis", Header: "不予共享依据"},
	{Key: "share_methods", Header: "共享方式"},
	{Key: "share_scope", Header: "共享范围"},
	{Key: "open_attribute", Header: "开放属性"},
	{Key: "open_conditions", Header: "开放条件"},
	{Key: "update_frequency", Header: "更新周期"},
	{Key: "update_frequency_other", Header: "具体更新周期"},
	{Key: "timeliness", Header: "时效要求"},
	{Key: "security_level", Header: "安全级别"},
	{Key: "network_zone", Header: "网络环境"},
	{Key: "domain", Header: "所属领域"},
	{Key: "domain_other", Header: "领域名称"},
	{Key: "subject_kind", Header: "主体类型"},
	{Key: "service_items", Header: "关联政务服务事项"},
	{Key: "related_codes", Header: "关联资源代码"},
}

// itemsListField is the optional column of a one-sheet file that lists the
// data items' names in one cell ("姓名、公民身份号码").
var itemsListField = Field{Key: "items", Header: "信息项", Sheet: SheetEntries}

// Data item fields, in 信息项 sheet column order. item.code and item.entry
// link an item row to its entry (by resource code, else by name).
var itemFields = []Field{
	{Key: "item.code", Header: "资源代码"},
	{Key: "item.entry", Header: "资源名称"},
	{Key: "item.name", Header: "信息项名称", Required: true},
	{Key: "item.type", Header: "数据类型"},
	{Key: "item.length", Header: "长度"},
	{Key: "item.identifies_subject", Header: "标识主体"},
	{Key: "item.description", Header: "说明"},
}

// formerHeaders are the headers the export wrote before, by field key: a
// workbook exported then is still read as our own layout (its cells
// unescaped as ours, escapeCell), and a saved mapping or a default that
// names a field by its former header still names it.
var formerHeaders = map[string][]string{
	"provider": {"提供部门"}, "class": {"资源分类(类)"}, "format": {"资源格式"}, "update_frequency_other": {"更新周期说明"},
	"domain_other": {"领域说明"}, "subject_kind": {"数据主体"}, "service_items": {"关联事项"},
	"item.identifies_subject": {"是否主体标识"},
}

// isHeader reports whether h, trimmed, is f's header, or one the export
// wrote before.
func isHeader(f Field, h string) bool {
	h = strings.TrimSpace(h)
	return h == f.Header || slices.Contains(formerHeaders[f.Key], h)
}

func init() {
	for i := range entryFields {
		entryFields[i].Sheet = SheetEntries
	}
	for i := range itemFields {
		itemFields[i].Sheet = SheetItems
	}
}

// Fields lists every field a column can be mapped to: the 目录 columns, the
// one-cell item list 信息项, and the 信息项 sheet columns (keys item.*). The
// web console offers them as mapping targets.
func Fields() []Field {
	out := append([]Field(nil), entryFields...)
	out = append(out, itemsListField)
	return append(out, itemFields...)
}

// fieldByKey finds a field by key or Chinese header (or a former one,
// formerHeaders). Headers of item fields shared with entry fields (资源代码,
// 资源名称) resolve to the entry field; use the item.* key for the others.
func fieldByKey(s string) (Field, bool) {
	s = strings.TrimSpace(s)
	for _, f := range Fields() {
		if f.Key == s || isHeader(f, s) {
			return f, true
		}
	}
	return Field{}, false
}

// headerOf returns the Chinese header of a field key (for reports), or the
// key itself.
func headerOf(key string) string {
	for _, f := range Fields() {
		if f.Key == key {
			return f.Header
		}
	}
	return key
}

// synonyms are header spellings seen in real catalogs and open-data
// portals, by field key, besides the field's former headers
// (formerHeaders), which Suggest takes as synonyms too and which are not
// repeated here. Headers are compared after fold(): lower case, without
// spaces, brackets and punctuation.
var synonyms = map[string][]string{
	"name": {"resource_name", "name", "title", "资源名称", "数据资源名称", "信息资源名称", "目录名称", "数据集名称",
		"数据名称", "名称", "标题", "资源标题", "数据目录名称"},
	"code": {"code", "resource_code", "资源代码", "信息资源代码", "数据资源代码", "目录代码", "目录编码", "资源编码", "资源编号"},
	"provider": {"provider_dept", "provider", "department", "dept", "提供单位", "来源部门", "数据提供方",
		"数源单位", "数源部门", "资源提供方", "信息资源提供方", "数据提供单位", "数据提供部门", "资源提供部门", "提供方",
		"数据来源", "来源单位", "所属部门", "责任部门", "部门"},
	"abstract": {"abstract", "description", "desc", "summary", "摘要", "资源摘要", "信息资源摘要", "描述", "数据描述",
		"简介", "数据简介", "资源描述", "资源简介", "说明"},
	"class":            {"class", "资源分类", "类", "分类", "信息资源分类", "目录分类"},
	"category_code":    {"category_code", "项代码", "项编码"},
	"category_name":    {"category_name", "项名称", "项"},
	"subcategory_code": {"subcategory_code", "目代码", "目编码"},
	"subcategory_name": {"subcategory_name", "目名称", "目"},
	"detail_code":      {"detail_code", "细目代码", "细目编码"},
	"detail_name":      {"detail_name", "细目名称", "细目"},
	"format":           {"format", "resource_format", "信息资源格式", "数据格式", "文件格式", "格式", "资源类型"},
	"share_type":       {"share_type", "共享类型", "共享属性"},
	"share_conditions": {"share_conditions", "共享条件"},
	"legal_basis":      {"legal_basis", "不予共享依据", "不共享依据", "不予共享理由", "法律依据"},
	"share_methods":    {"share_methods", "share_method", "共享方式"},
	"share_scope":      {"share_scope", "共享范围"},
	"open_attribute": {"open_attribute", "open_type", "开放属性", "开放类型", "开放方式", "开放状态", "公开属性",
		"是否向社会开放", "开放"},
	"open_conditions":         {"open_conditions", "开放条件"},
	"update_frequency":        {"update_frequency", "frequency", "更新周期", "更新频率", "更新频次", "更新周期类型"},
	"update_frequency_other":  {"update_frequency_other", "更新周期备注", "具体更新周期"},
	"timeliness":              {"timeliness", "时效要求", "时效性"},
	"security_level":          {"security_level", "安全级别", "安全等级", "分级", "数据分级", "敏感级别"},
	"network_zone":            {"network_zone", "网络环境", "所属网络", "网络类型", "运行网络"},
	"domain":                  {"domain", "所属领域", "领域", "主题", "主题分类", "数据领域", "数据主题", "所属主题"},
	"domain_other":            {"domain_other", "其他领域"},
	"subject_kind":            {"subject_kind", "主体类型", "数据主体类型", "主体"},
	"service_items":           {"service_items", "关联政务服务事项", "政务服务事项", "关联服务事项"},
	"related_codes":           {"related_codes", "关联资源代码", "关联资源"},
	"items":                   {"data_items", "items", "fields", "信息项", "数据项", "字段", "字段列表", "信息项列表", "数据项列表"},
	"item.name":               {"item_name", "field_name", "信息项名称", "数据项名称", "字段名称", "字段名", "中文名称", "中文信息项名"},
	"item.type":               {"item_type", "data_type", "type", "数据类型", "字段类型", "类型"},
	"item.length":             {"length", "item_length", "长度", "数据长度", "字段长度"},
	"item.identifies_subject": {"identifies_subject", "主体标识", "是否标识主体", "标识主体"},
	"item.description":        {"item_description", "说明", "信息项说明", "字段说明", "备注", "字段描述"},
}

// isItemName reports whether header h names the column of item names
// (信息项名称, 字段名称, item_name), as Suggest reads it.
func isItemName(h string) bool {
	f := fold(unmarked(h))
	return f == fold("item.name") || slices.ContainsFunc(synonyms["item.name"], func(s string) bool { return fold(s) == f })
}

// requiredMark is a header's trailing note that the column must or may be
// filled in, as templates mark theirs: 资源名称（必填）, 资源名称\n(必填),
// 说明（选填）.
var requiredMark = regexp.MustCompile(`\s*[（(]\s*(必填项?|选填项?)\s*[）)]\s*$`)

// unmarked returns header h without its requiredMark.
func unmarked(h string) string {
	return requiredMark.ReplaceAllString(h, "")
}

// fold simplifies a header, a vocabulary term or a department's name for
// comparison (text.NameKey): the organisation refuses a department name
// or short name another's folds alike, so that matchProvider never finds
// two where one was meant.
func fold(s string) string {
	return text.NameKey(s)
}

// Suggest proposes a field for each header it recognises, by exact layout
// header first and then by known synonyms, a header's requiredMark
// (（必填）) aside; unknown headers are left out.
// item* keys are suggested for a 信息项 sheet (items true), and for a
// one-sheet file only when it has a column of item names (信息项名称): a
// file without one has no item rows, and its 说明, 备注 or 类型 are about the
// entry (说明 its 摘要) or nothing of ours, not the items' (the values of
// such columns were lost).
func Suggest(headers []string, items bool) map[string]string {
	out := map[string]string{}
	taken := map[string]bool{}
	fields := itemFields
	if !items {
		fields = append(append([]Field(nil), entryFields...), itemsListField)
		// A one-sheet file may carry item columns (one row per item).
		if slices.ContainsFunc(headers, isItemName) {
			fields = append(fields, itemFields[2:]...)
		}
	}
	try := func(match func(h string, f Field) bool) {
		for _, h := range headers {
			if _, done := out[h]; done || strings.TrimSpace(h) == "" {
				continue
			}
			for _, f := range fields {
				if !taken[f.Key] && match(unmarked(h), f) {
					out[h], taken[f.Key] = f.Key, true
					break
				}
			}
		}
	}
	try(func(h string, f Field) bool { return isHeader(f, h) })
	try(func(h string, f Field) bool { return fold(h) == fold(f.Header) || fold(h) == fold(f.Key) })
	try(func(h string, f Field) bool {
		for _, s := range slices.Concat(formerHeaders[f.Key], synonyms[f.Key]) {
			if fold(h) == fold(s) {
				return true
			}
		}
		return false
	})
	return out
}

package catalogio

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/text"
)

// record is one entry as read from a file, before normalisation: raw cell
// values by field key, and its data item rows. errs are problems of the
// entry found while reading (conflicting rows of a flat file). services
// are a JSON line's service items, which have no cell.
type record struct {
	sheet    string
	row      int
	vals     map[string]string
	items    []itemRecord
	errs     []RowError
	services []catalog.ServiceItem
}

type itemRecord struct {
	sheet string
	row   int
	vals  map[string]string // item.* keys
}

// Change is one value the import changed: a synonym mapped to the catalog's
// value, a placeholder cleared, a default filled in, a code padded.
type Change struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Field  string `json:"field"`  // field key, e.g. update_frequency
	Column string `json:"column"` // Chinese header, e.g. 更新周期
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason"` // 同义词 | 占位符 | 默认值 | 补零 | 推断 | 多值取一 | 新编代码 | 不间断空格 | 分隔符
}

// SkippedRow is a row of the file that is not blank but was read as
// neither an entry nor an item, and so imported nothing: a row of the
// 信息项 sheet that holds no value of an item, only its entry's code or
// name (a note below the items, 注：资源代码须与…, in the 资源代码
// column). It does not keep the file from being imported: the report
// lists it so that a row meant as an item is not lost unseen, the first
// MaxSkippedRows of them.
type SkippedRow struct {
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row"`
	Message string `json:"message"`
}

// MaxSkippedRows is how many rows skipped (SkippedRow) a report lists;
// it counts them all (Report.SkippedCount). A 资源代码 filled down past
// the items over 200,000 rows of a template listed each until 2026-12-06,
// a report of 46 MB.
const MaxSkippedRows = 100

// RowError is why one row cannot be imported. Row 0 is about the whole file
// (a missing sheet or column, a malformed workbook).
type RowError struct {
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row"`
	Field   string `json:"field,omitempty"`  // as catalog.ValidateEntry names it: share_type, items[2].type
	Column  string `json:"column,omitempty"` // Chinese header
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e RowError) String() string {
	where := "文件"
	if e.Row > 0 {
		where = fmt.Sprintf("第 %d 行", e.Row)
		if e.Sheet != "" {
			where = e.Sheet + " " + where
		}
	}
	if e.Column != "" {
		where += " " + e.Column
	}
	return where + "：" + e.Message
}

// builder turns a record into a Resource, noting changes and problems.
type builder struct {
	rec      *record
	defaults map[string]string
	changes  []Change
	errs     []RowError
}

func (b *builder) change(sheet string, row int, key, from, to, reason string) {
	b.changes = append(b.changes, Change{Sheet: sheet, Row: row, Field: key, Column: headerOf(key), From: from, To: to, Reason: reason})
}

func (b *builder) fail(sheet string, row int, key, code, msg string) {
	b.errs = append(b.errs, RowError{Sheet: sheet, Row: row, Field: key, Column: headerOf(key), Code: code, Message: msg})
}

// get returns the cleaned value of an entry field: whitespace trimmed, a
// no-break space within it a space, placeholders cleared, the mapping's
// default used when empty.
func (b *builder) get(key string) string {
	return b.value(b.rec.sheet, b.rec.row, key, b.rec.vals[key])
}

func (b *builder) value(sheet string, row int, key, raw string) string {
	v := strings.TrimSpace(raw)
	// A no-break space (U+00A0, pasted from a web page) within the value
	// becomes a space: a change the report shows, as it shows the others.
	if strings.ContainsRune(v, '\u00a0') {
		from := v
		v = strings.ReplaceAll(v, "\u00a0", " ")
		b.change(sheet, row, key, from, v, "不间断空格")
	}
	if catalog.IsPlaceholder(v) {
		b.change(sheet, row, key, v, "", "占位符")
		v = ""
	}
	if v == "" {
		if d := strings.TrimSpace(b.defaults[key]); d != "" {
			b.change(sheet, row, key, "", d, "默认值")
			v = d
		}
	}
	return v
}

// conditional returns a conditional field's value, using its default only
// when the condition holds (共享条件 only for 有条件共享 …).
func (b *builder) conditional(key string, needed bool) string {
	v := strings.TrimSpace(b.rec.vals[key])
	if v == "" && !needed {
		return ""
	}
	return b.get(key)
}

// vocab reads a coded field with its own normaliser.
func (b *builder) vocab(key, label string, norm func(string) (string, bool)) string {
	v := b.get(key)
	if v == "" {
		return ""
	}
	c, ok := norm(v)
	return b.normalised(key, v, c, ok, fmt.Sprintf("%s“%s”无法识别，应为%s", label, v, labels(key)), "同义词")
}

// vocabOne reads a coded field of one value by codedOne: a value whose
// keywords name two codes or more (主体类型 自然人、法人, 网络环境 互联网、政务外网:
// no code means both) is an error of the row naming them (ambiguous_value).
func (b *builder) vocabOne(key, label string, syn map[string]string, keywords [][2]string) string {
	v := b.get(key)
	if v == "" {
		return ""
	}
	c, candidates, ok := codedOne(key, v, syn, keywords)
	if len(candidates) > 1 {
		b.fail(b.rec.sheet, b.rec.row, key, "ambiguous_value", label+"“"+v+"”可能是"+orList(key, candidates)+
			"，无法确定是哪一个；"+label+"只能填写一个，请填写其中一个")
		return v // ValidateEntry refuses it too, an error validation leaves out
	}
	return b.normalised(key, v, c, ok, fmt.Sprintf("%s“%s”无法识别，应为%s", label, v, labels(key)), "同义词")
}

// orList names codes of a coded field by their labels: 互联网或政务外网,
// 资源能源、生态环境或医疗卫生.
func orList(key string, codes []string) string {
	ls := make([]string, len(codes))
	for i, c := range codes {
		ls[i] = catalog.Label(key, c)
	}
	return strings.Join(ls[:len(ls)-1], "、") + "或" + ls[len(ls)-1]
}

// labels lists the labels of a coded field as a message offers them: 互联网、
// 政务外网或部门专网.
func labels(key string) string {
	var out []string
	for _, o := range catalog.Vocabulary(key) {
		out = append(out, o.Label)
	}
	if len(out) < 2 {
		return strings.Join(out, "")
	}
	return strings.Join(out[:len(out)-1], "、") + "或" + out[len(out)-1]
}

// normalised returns the value of coded field key to store, given what its
// normaliser made of the cell's value v: a value it did not understand (ok
// false) fails the row with the message unknown and is kept as it is; one
// it read as the code c of another wording is a change for reason.
func (b *builder) normalised(key, v, c string, ok bool, unknown, reason string) string {
	if !ok {
		b.fail(b.rec.sheet, b.rec.row, key, "unknown_value", unknown)
		return v // ValidateEntry refuses it too, an error validation leaves out
	}
	if l := catalog.Label(key, c); l != v && !strings.EqualFold(c, v) {
		b.change(b.rec.sheet, b.rec.row, key, v, l, reason)
	}
	return c
}

func (b *builder) build() (catalog.Resource, string) {
	var r catalog.Resource
	r.Name = b.get("name")
	r.Abstract = b.get("abstract")
	c := &r.Classification
	c.Class = catalog.Class(b.vocab("class", "资源分类", func(v string) (string, bool) { return coded("class", v, classSyn, classKeywords) }))
	c.CategoryCode = b.code("category_code", 2)
	c.CategoryName = b.get("category_name")
	c.SubcategoryCode = b.code("subcategory_code", 3)
	c.SubcategoryName = b.get("subcategory_name")
	c.DetailCode = b.code("detail_code", 0)
	c.DetailName = b.get("detail_name")
	if v := b.get("format"); v != "" {
		c, several, ok := normFormat(v)
		reason := "同义词"
		if several {
			reason = "多值取一"
		}
		r.Format = catalog.Format(b.normalised("format", v, c, ok, "信息资源格式“"+v+"”无法识别，应为"+labels("format"), reason))
	}
	r.ShareType = catalog.ShareType(b.vocab("share_type", "共享类型", func(v string) (string, bool) {
		return coded("share_type", v, shareTypeSyn, nil)
	}))
	r.ShareConditions = b.conditional("share_conditions", r.ShareType == catalog.Conditional)
	r.LegalBasis = b.conditional("legal_basis", r.ShareType == catalog.NotShared)
	r.ShareMethods = b.methods()
	r.ShareScope = b.conditional("share_scope", r.ShareType != catalog.NotShared)
	b.openness(&r)
	b.frequency(&r)
	r.Timeliness = b.get("timeliness")
	if v := b.get("security_level"); v != "" {
		n, ok := normLevel(v)
		if !ok {
			b.fail(b.rec.sheet, b.rec.row, "security_level", "unknown_value", "安全级别“"+v+"”无法识别，应为1至4级")
		} else if strconv.Itoa(n) != v {
			b.change(b.rec.sheet, b.rec.row, "security_level", v, strconv.Itoa(n), "同义词")
		}
		r.SecurityLevel = n
	}
	r.NetworkZone = catalog.NetworkZone(b.vocabOne("network_zone", "网络环境", zoneSyn, zoneKeywords))
	b.domain(&r)
	r.SubjectKind = catalog.SubjectKind(b.vocabOne("subject_kind", "主体类型", subjectSyn, subjectKeywords))
	r.ServiceItems = b.services()
	r.RelatedCodes = catalog.SplitList(b.get("related_codes"), anySep+" ")
	r.Items = b.items(r.SubjectKind)
	return r, b.get("provider")
}

// services reads the 关联政务服务事项 cell in its written form
// (catalog.ParseServiceItems), or takes a JSON line's service items as they
// are. An item named only by a placeholder, without a code, is dropped.
func (b *builder) services() []catalog.ServiceItem {
	items := b.rec.services
	if len(items) == 0 {
		items = catalog.ParseServiceItems(b.get("service_items"))
	}
	var out []catalog.ServiceItem
	for _, s := range items {
		if s.Code == "" && catalog.IsPlaceholder(s.Name) {
			b.change(b.rec.sheet, b.rec.row, "service_items", s.Name, "", "占位符")
			continue
		}
		out = append(out, s)
	}
	return out
}

// decimalZeros is a whole number a spreadsheet wrote as a decimal: 1.0, 1.00.
var decimalZeros = regexp.MustCompile(`^([0-9]+)\.0+$`)

// code reads a classification code, padding numbers a spreadsheet
// shortened (1.0, 1.00, 1 → 01) as the catalog does (catalog.PadCode),
// its full-width digits narrowed first (text.FoldWidth: ０１ → 01), as the
// catalog's normalize does: else the row's classification, 3０１００１
// beside the stored 301001, read as changed (classification_changed).
func (b *builder) code(key string, width int) string {
	v := b.get(key)
	if p := catalog.PadCode(decimalZeros.ReplaceAllString(text.FoldWidth(v), "$1"), width); p != v {
		b.change(b.rec.sheet, b.rec.row, key, v, p, "补零")
		v = p
	}
	return v
}

func (b *builder) methods() []catalog.ShareMethod {
	v := b.get("share_methods")
	var out []catalog.ShareMethod
	var labels []string
	changed := false
	for _, p := range catalog.SplitList(v, anySep+"/ ") {
		if codes, ok := methodAmbiguous[fold(p)]; ok {
			b.fail(b.rec.sheet, b.rec.row, "share_methods", "ambiguous_value", "共享方式“"+p+"”可能是"+
				orList("share_methods", codes)+"，无法确定是哪一个；请写明是哪一种接口")
			continue
		}
		c, ok := coded("share_methods", p, methodSyn, nil)
		if !ok {
			b.fail(b.rec.sheet, b.rec.row, "share_methods", "unknown_value",
				"共享方式“"+p+"”无法识别，应为信息查询接口、信息核验接口、批量库表交换或文件下载交换")
			continue
		}
		l := catalog.Label("share_methods", c)
		if l != p && c != p {
			changed = true
		}
		dup := false
		for _, m := range out {
			dup = dup || string(m) == c
		}
		if dup {
			changed = true
			continue
		}
		out, labels = append(out, catalog.ShareMethod(c)), append(labels, l)
	}
	if changed {
		b.change(b.rec.sheet, b.rec.row, "share_methods", v, strings.Join(labels, "、"), "同义词")
	}
	return out
}

func (b *builder) openness(r *catalog.Resource) {
	v := b.get("open_attribute")
	if v != "" {
		c, fault, ok := normOpen(v)
		switch {
		case !ok:
			code, msg := openFaultMessage(v, fault)
			b.fail(b.rec.sheet, b.rec.row, "open_attribute", code, msg)
			c = v
		case catalog.Label("open_attribute", c) != v && c != v:
			b.change(b.rec.sheet, b.rec.row, "open_attribute", v, catalog.Label("open_attribute", c), "同义词")
		}
		r.OpenAttribute = catalog.OpenAttribute(c)
		// 依申请开放, 实名注册用户可下载: the value names the condition.
		if ok && c == string(catalog.OpenConditional) && strings.TrimSpace(b.rec.vals["open_conditions"]) == "" &&
			inferCondition(v) {
			b.change(b.rec.sheet, b.rec.row, "open_conditions", "", v, "推断")
			r.OpenConditions = v
			return
		}
	}
	r.OpenConditions = b.conditional("open_conditions", r.OpenAttribute == catalog.OpenConditional)
}

func (b *builder) frequency(r *catalog.Resource) {
	v := b.get("update_frequency")
	other := strings.TrimSpace(b.rec.vals["update_frequency_other"])
	if v != "" {
		c, o, ok := normFrequency(v)
		switch {
		case !ok:
			b.fail(b.rec.sheet, b.rec.row, "update_frequency", "unknown_value",
				"更新周期“"+v+"”无法识别，应为实时、每日、每周、每月、每季度、每年或其他（写明具体周期）")
			c = v
		case c != v && catalog.Label("update_frequency", c) != v:
			b.change(b.rec.sheet, b.rec.row, "update_frequency", v, catalog.Label("update_frequency", c), "同义词")
		}
		r.UpdateFrequency = catalog.Frequency(c)
		if o != "" && other == "" {
			b.change(b.rec.sheet, b.rec.row, "update_frequency_other", "", o, "推断")
			r.FrequencyOther = o
			return
		}
	}
	r.FrequencyOther = b.conditional("update_frequency_other", r.UpdateFrequency == catalog.FrequencyOther)
}

// domain reads the domain as vocab reads a coded field, but for the
// message of a value not understood and the reason of a cell of several
// values, of which the first that maps is kept. A value that could mean
// two domains or more is an error of the row naming them (ambiguous_value).
func (b *builder) domain(r *catalog.Resource) {
	if v := b.get("domain"); v != "" {
		c, candidates, several, ok := normDomain(v)
		if len(candidates) > 1 {
			b.fail(b.rec.sheet, b.rec.row, "domain", "ambiguous_value", "所属领域“"+v+"”可能是"+orList("domain", candidates)+
				"，无法确定是哪一个；请填写其中一个领域")
			r.Domain = v // ValidateEntry refuses it too, an error validation leaves out
		} else {
			reason := "同义词"
			if several {
				reason = "多值取一"
			}
			r.Domain = b.normalised("domain", v, c, ok, "所属领域“"+v+
				"”无法识别，应为22个领域之一（如 公共安全、医疗卫生、市场监管）；不属于其中任何一个的，填“其他”并在“领域名称”中写明", reason)
		}
	}
	r.DomainOther = b.conditional("domain_other", r.Domain == catalog.DomainOther)
}

// items reads the item rows, or else the one-cell list of item names, of
// an entry of the given subject kind. An item named as an identifier of a
// person or legal entity (identifierNames) with 标识主体 left empty is
// inferred identifying when the entry is about that kind of subject: a
// 身份证号 in an entry about legal entities, or any in one about no subject,
// may not identify it (catalog.ValidateEntry) and is left as written.
func (b *builder) items(subject catalog.SubjectKind) []catalog.Item {
	var out []catalog.Item
	for _, ir := range b.rec.items {
		out = append(out, b.item(ir.sheet, ir.row, ir.vals, subject))
	}
	if list := b.rec.vals["items"]; strings.TrimSpace(list) != "" {
		if len(out) > 0 {
			b.fail(b.rec.sheet, b.rec.row, "items", "items_twice", "信息项既在“信息项”列又在信息项行中给出，请只用一种")
			return out
		}
		for _, name := range catalog.SplitList(list, anySep) {
			// A | left in a name is inside brackets, where a portal lists
			// what the item holds (统计指标(进出口合计|出口|进口)): the
			// brackets are the item's, their | no name may hold, 、. The
			// change is the list column's, where the | is.
			if strings.Contains(name, "|") {
				to := strings.ReplaceAll(name, "|", "、")
				b.change(b.rec.sheet, b.rec.row, "items", name, to, "分隔符")
				name = to
			}
			out = append(out, b.item(b.rec.sheet, b.rec.row, map[string]string{"item.name": name}, subject))
		}
	}
	return out
}

func (b *builder) item(sheet string, row int, vals map[string]string, subject catalog.SubjectKind) catalog.Item {
	var it catalog.Item
	it.Name = strings.TrimSpace(vals["item.name"])
	it.Description = strings.TrimSpace(vals["item.description"])
	if v := b.value(sheet, row, "item.length", vals["item.length"]); v != "" {
		n, ok := ParseLength(v)
		if !ok {
			b.fail(sheet, row, "item.length", "unknown_value", fmt.Sprintf("信息项“%s”的长度“%s”不是整数", it.Name, v))
		}
		it.Length = n
	}
	if v := b.value(sheet, row, "item.type", vals["item.type"]); v != "" {
		t, n, ok := normType(v)
		switch {
		case !ok:
			b.fail(sheet, row, "item.type", "unknown_value",
				fmt.Sprintf("信息项“%s”的数据类型“%s”无法识别，应为 C N Y D T L M G B I F 之一", it.Name, v))
			t = v
		case t != strings.ToUpper(v) && catalog.Label("data_type", t) != v:
			b.change(sheet, row, "item.type", v, t+" "+catalog.Label("data_type", t), "同义词")
		}
		it.Type = catalog.DataType(t)
		if n > 0 && it.Length == 0 {
			b.change(sheet, row, "item.length", "", strconv.Itoa(n), "推断")
			it.Length = n
		}
	}
	v := strings.TrimSpace(vals["item.identifies_subject"])
	switch id, ok := normBool(v); {
	case v == "" && identifierNames[it.Name] && catalog.IdentifierKind(it.Name) == subject:
		b.change(sheet, row, "item.identifies_subject", "", "是", "推断")
		it.IdentifiesSubject = true
	case v == "":
	case !ok:
		b.fail(sheet, row, "item.identifies_subject", "unknown_value", fmt.Sprintf("信息项“%s”的“标识主体”应为是或否", it.Name))
	default:
		it.IdentifiesSubject = id
	}
	return it
}

// inferCondition reports whether a conditional open attribute written as
// v names its condition: 依申请开放, or a phrase only a keyword matched
// (实名注册用户可下载).
func inferCondition(v string) bool {
	if openConditionWords[fold(v)] {
		return true
	}
	_, known := openSyn[fold(v)]
	_, label := catalog.Lookup("open_attribute", v)
	return !known && !label
}

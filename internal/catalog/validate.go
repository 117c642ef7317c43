package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/text"
)

// Limits of free-text fields, in characters.
const (
	MaxName     = 100
	MaxItemName = 50
	MaxText     = 2000
	MaxOther    = 50 // domain_other, update_frequency_other
	MaxItems    = 500
	maxLength   = 100000
	// MaxClassName bounds the names of the 项, 目 and 细目, as the console's
	// form always did.
	MaxClassName = 50
	// MaxServiceName, MaxServiceCode and MaxServiceItems bound the linked
	// service items (关联政务服务事项) with room to spare: the longest item
	// name in the shared realdata's service materials is 12 characters, its
	// longest catalog resource name, four items' names joined, 59; codes
	// are ASCII identifiers (serviceCode). MaxRelatedCodes and
	// MaxRelatedCode bound the related codes (a code is at most 17
	// characters as the platform writes them). Together they keep the
	// joined 关联事项 and 关联资源代码 cells of an XLSX export within
	// excelize.TotalCellChars (32,767 UTF-16 units) however each name is
	// escaped and whatever plane its characters are of: 50 × (2 × 200 +
	// 64 + 2) + 49 = 23,349 and 100 × 32 + 99 = 3,299.
	MaxServiceName  = 200
	MaxServiceCode  = 64
	MaxServiceItems = 50
	MaxRelatedCodes = 100
	MaxRelatedCode  = 32
)

var (
	digits2     = regexp.MustCompile(`^[0-9]{2}$`)
	digits3     = regexp.MustCompile(`^[0-9]{3}$`)
	detailCode  = regexp.MustCompile(`^[0-9]{1,4}$`)
	codePattern = regexp.MustCompile(`^[123][0-9]{5,9}/[0-9]{6,}$`)
	// codeForm is the form of a resource code whatever its class digit.
	codeForm = regexp.MustCompile(`^[0-9]{6,10}/[0-9]{6,}$`)
	// A legal basis cites a law or regulation by title and an article:
	// 《中华人民共和国居民身份证法》第六条.
	lawArticle = regexp.MustCompile(`《[^》]+》.*第[0-9一二三四五六七八九十百零〇]+条`)
	// badNameChars may not appear in names (命名规范).
	badNameChars = "<>\"'\\`|{}[]"
)

// placeholders mean "no value" in real catalogs.
var placeholders = map[string]bool{"暂无": true, "无": true, "-": true, "--": true, "—": true, "/": true,
	"n/a": true, "null": true, "空": true, "未知": true, "待定": true, "待补充": true}

// IsPlaceholder reports whether s only says "no value" (暂无, 无, -, / …).
// An entry's fields never hold one alone (placeholder_value): left empty
// they mean the same, and imports clear them from files, so an entry
// holding one would not come back from its own export.
func IsPlaceholder(s string) bool { return placeholders[strings.ToLower(strings.TrimSpace(s))] }

// clearPlaceholders empties the fields of r that hold only a placeholder,
// as the workbook import does, and returns what it cleared ("时效要求“无”").
// Entries stored before placeholder_value was refused may hold them: a
// registration import and a submission clear them rather than refuse the
// document or the version. A service item named only by a placeholder,
// without a code, is dropped.
func clearPlaceholders(r *Resource) []string {
	var out []string
	c := &r.Classification
	for _, f := range []struct {
		label string
		v     *string
	}{{"数据资源名称", &r.Name}, {"摘要", &r.Abstract}, {"“项”名称", &c.CategoryName},
		{"“目”名称", &c.SubcategoryName}, {"“细目”名称", &c.DetailName}, {"共享条件", &r.ShareConditions},
		{"不予共享依据", &r.LegalBasis}, {"共享范围", &r.ShareScope}, {"开放条件", &r.OpenConditions},
		{"具体更新周期", &r.FrequencyOther}, {"时效要求", &r.Timeliness}, {"领域名称", &r.DomainOther}} {
		if *f.v != "" && IsPlaceholder(*f.v) {
			out = append(out, f.label+"“"+strings.TrimSpace(*f.v)+"”")
			*f.v = ""
		}
	}
	kept := r.ServiceItems[:0:0]
	for _, s := range r.ServiceItems {
		if s.Name != "" && IsPlaceholder(s.Name) {
			out = append(out, "关联政务服务事项名称“"+strings.TrimSpace(s.Name)+"”")
			s.Name = ""
			if s.Code == "" {
				continue
			}
		}
		kept = append(kept, s)
	}
	if len(out) > 0 {
		r.ServiceItems = kept
	}
	return out
}

// ValidCode reports whether s has the form of a resource code:
// classification code (6–10 digits starting with the class 1, 2 or 3), "/",
// sequence of at least 6 digits.
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// ValidateEntry checks r against the compilation guide and returns every
// problem found, each an Invalid *errs.Error whose Field names the field
// (items as items[2].name), in field order. It validates a normalised copy
// (trimmed text, upper-case data types), as Create and Update do; nil means r
// can be stored. Text must be valid UTF-8 without control characters
// (invalid_characters); the abstract, item descriptions, conditions, legal
// basis, share scope and timeliness may hold tabs and line breaks. The
// entry's and its items' names are on one line and hold no invisible
// character (text.NameProblem: zero-width space, BOM, bidi control,
// variation selector, Hangul filler), else invalid_characters; two item
// names of one text.Fold are duplicates; a required text that shows
// nothing (text.Blank: "\u200b") is missing. The legal
// basis (不予共享依据) is the law article a resource is not shared by: a
// shared entry has none (unexpected_legal_basis). An entry of subject kind
// none marks no identifier of a person or legal entity (IdentifierKind) as
// identifying its subject (unexpected_identifying_item); one about persons
// or legal entities marks only an identifier of its own kind
// (not_subject_identifier). An entry
// field holding only a placeholder (无, 暂无, -, / …) is refused
// (placeholder_value, see IsPlaceholder). A level-4 entry (泄露后导致非常
// 严重损害, seed 002) is neither shared unconditionally
// (inconsistent_share_type) nor produced or managed on the internet
// (inconsistent_network_zone).
func ValidateEntry(r Resource) []*errs.Error {
	return validateKeeping(r, nil)
}

// validateKeeping is ValidateEntry of r as an edit of stored, if not nil:
// the names r keeps from stored (its name, an item's name, its class
// names, 领域名称, a service item's name), compared
// normalised, are not checked by text.NameProblem, so that a name stored
// before that check (U+200B, U+FE0F) does not keep its entry from other
// changes; a name changed is checked as a new one. Likewise a 时效要求 of
// 次日 r keeps from stored, when stored was a licence already, is not
// refused as 1 day for a licence (keptTimeliness): it read as real time
// when stored. hutong catalog check (Nonconforming, ValidateEntry) still
// lists such entries.
func validateKeeping(r Resource, stored *Resource) []*errs.Error {
	return validateKeepingIn(r, stored, stored)
}

// validateKeepingIn is validateKeeping of r as an edit of stored whose
// 次日 is kept only from inForce, the version in force (nil before the
// first approval): a licence's 次日 is let through where a submission and
// an approval let it through (inForce in lifecycle.go), so that a save
// they would refuse is refused first, with the same message.
func validateKeepingIn(r Resource, stored, inForce *Resource) []*errs.Error {
	if es := tooMany(r); es != nil {
		return es
	}
	r = r.clone()
	r.normalize()
	v := &validator{}
	if stored != nil {
		old := stored.Normalized()
		v.keptName = old.Name
		v.keptItems = map[string]bool{}
		for _, it := range old.Items {
			v.keptItems[it.Name] = true
		}
		c := old.Classification
		v.keptText = map[string]map[string]bool{"category_name": {c.CategoryName: true}, "subcategory_name": {c.SubcategoryName: true},
			"detail_name": {c.DetailName: true}, "domain_other": {old.DomainOther: true}, "service_items": {}}
		for _, si := range old.ServiceItems {
			v.keptText["service_items"][si.Name] = true
		}
	}
	if inForce != nil {
		if old := inForce.Normalized(); licenceBasis(old) != "" {
			v.keptTimeliness = old.Timeliness
		}
	}
	v.name(r)
	v.classification(r.Classification)
	v.items(r)
	v.sharing(r)
	v.openness(r)
	v.frequency(r)
	v.misc(r)
	return v.errs
}

// tooMany returns too_many_items for each of r's lists longer than its
// limit (MaxItems, MaxServiceItems, MaxRelatedCodes), nil when none is. A
// list over its limit is refused alone, before any of its elements is read
// or normalized: a body of millions of empty items would otherwise cost an
// error or more per item (gigabytes for the 8 MiB an entry body may hold).
func tooMany(r Resource) []*errs.Error {
	var es []*errs.Error
	for _, l := range Lists {
		if l.Len(r) > l.Max {
			es = append(es, l.TooMany())
		}
	}
	return es
}

// List is a list of a Resource, bounded: its JSON key, its limit, what
// its elements are called, and its length in a Resource.
type List struct {
	Key   string
	Max   int
	label string
	Len   func(Resource) int
}

// Lists are the bounded lists of a Resource, in the order validation
// refuses them (tooMany), for the API to refuse a body with too many
// elements as validation does before decoding them.
var Lists = []List{
	{"items", MaxItems, "信息项", func(r Resource) int { return len(r.Items) }},
	{"service_items", MaxServiceItems, "关联政务服务事项", func(r Resource) int { return len(r.ServiceItems) }},
	{"related_codes", MaxRelatedCodes, "关联资源代码", func(r Resource) int { return len(r.RelatedCodes) }},
}

// TooMany is the too_many_items of the list longer than its limit.
func (l List) TooMany() *errs.Error {
	return errs.Field(l.Key, "too_many_items", fmt.Sprintf("%s不能超过 %d 个", l.label, l.Max))
}

type validator struct {
	errs []*errs.Error
	// keptName and keptItems are the stored names an edit keeps
	// (validateKeeping), which text.NameProblem does not check.
	keptName  string
	keptItems map[string]bool
	// keptText are the other one-line names stored (the class names,
	// 领域名称, the service items' names), by field (category_name,
	// subcategory_name, detail_name, domain_other, service_items), which an
	// edit may keep in the same field as keptName: a value stored in one
	// is no exemption for another that never held it.
	keptText map[string]map[string]bool
	// keptTimeliness is the 时效要求 an edit keeps from the version in
	// force, when that is a licence (validateKeepingIn, inForce), not from
	// the version edited: its 次日, 1 day since 2026-12-05, is not refused
	// (timeLimit).
	keptTimeliness string
}

func (v *validator) add(field, code, msg string) {
	v.errs = append(v.errs, errs.Field(field, code, msg))
}

// placeholder refuses a field that holds only a placeholder.
func (v *validator) placeholder(field, label, s string) {
	if IsPlaceholder(s) {
		v.add(field, "placeholder_value", fmt.Sprintf("%s不能只填“%s”：没有内容时请留空，必填项请填写实际内容", label, s))
	}
}

// text checks a text field's length (max characters, 0 for no limit) and
// characters: valid UTF-8 without control characters, but for tabs and line
// breaks when lines is set (long free texts such as the abstract).
func (v *validator) text(field, label, s string, max int, lines bool) {
	switch {
	case !text.Plain(s, lines) && lines:
		v.add(field, "invalid_characters", label+"含有控制字符（换行和制表符除外）或无效的字符编码，请删除后再保存")
	case !text.Plain(s, lines):
		v.add(field, "invalid_characters", label+"含有控制字符或无效的字符编码，请删除后再保存")
	case max > 0 && utf8.RuneCountInString(s) > max:
		v.add(field, "too_long", fmt.Sprintf("%s不能超过 %d 个字", label, max))
	}
}

// name1 checks a name written on one line (an entry's, an item's, a
// class's, a service item's, 领域名称): a
// line break, a control character or an invisible one (text.NameProblem:
// zero-width space, BOM, bidi control, variation selector, Hangul filler)
// is refused as invalid_characters, so that two names that show alike
// are not two names to the duplicate checks, unless kept (a stored name an
// edit keeps, validateKeeping); one that shows nothing is left to the
// field's required check. Then its length (max characters).
func (v *validator) name1(field, label, s string, max int, kept bool) {
	if text.Blank(s) {
		return
	}
	if p := text.NameProblem(s); p != "" && !kept {
		v.add(field, "invalid_characters", label+p+"，请修改后再保存")
		return
	}
	v.text(field, label, s, max, false)
}

// badCharsOf says which of badNameChars name holds, each once in the order
// of name: 含有特殊字符“|”：名称不能包含 <>"'\`|{}[] 中的字符.
func badCharsOf(name string) string {
	var b strings.Builder
	b.WriteString("含有特殊字符")
	seen := map[rune]bool{}
	for _, r := range name {
		if strings.ContainsRune(badNameChars, r) && !seen[r] {
			seen[r] = true
			b.WriteString("“" + string(r) + "”")
		}
	}
	b.WriteString("：名称不能包含 " + badNameChars + " 中的字符")
	return b.String()
}

// genericWords are words that say an entry holds data but not which (命名
// 规范): a name made of them alone (数据, 信息资源表) names nothing.
var genericWords = []string{"数据资源", "信息资源", "数据集", "数据表", "信息表", "数据", "信息", "资源", "资料",
	"目录", "清单", "表格", "表", "库"}

// genericName reports whether name is generic words alone (genericWords,
// each as often as it likes: 数据, 信息资源表, 数据 信息), but for white space,
// punctuation and numbers that name nothing. A Latin word names the subject
// (GDP数据), and so does a number of three digits or more that is not a
// year: an identifier (12345数据, the hotline) or a sequence number
// (数据资源00001, 资源100). A number of one or two digits (数据1, 表12) or a
// year (信息2024) does not: it tells one generic table from another, not what
// data it holds.
func genericName(name string) bool {
	var han strings.Builder
	rs := []rune(name)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case isCJK(r):
			han.WriteRune(r)
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && unicode.IsDigit(rs[j]) {
				j++
			}
			if n := j - i; n >= 3 && !year(rs[i:j]) {
				return false
			}
			i = j - 1
		case unicode.IsLetter(r):
			return false
		}
	}
	return han.Len() > 0 && genericWordsOnly(han.String())
}

// year reports whether digits are a year of 1900 to 2099.
func year(digits []rune) bool {
	return len(digits) == 4 && (digits[0] == '1' && digits[1] == '9' || digits[0] == '2' && digits[1] == '0')
}

// letters counts the characters of name but its digits, punctuation and
// spaces: 户1 and 户。 are of one.
func letters(name string) int {
	n := 0
	for _, r := range name {
		if !unicode.IsDigit(r) && !unicode.IsPunct(r) && !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// genericWordsOnly reports whether s is a sequence of genericWords.
func genericWordsOnly(s string) bool {
	if s == "" {
		return true
	}
	for _, w := range genericWords {
		if rest, ok := strings.CutPrefix(s, w); ok && genericWordsOnly(rest) {
			return true
		}
	}
	return false
}

func (v *validator) name(r Resource) {
	switch {
	case text.Blank(r.Name):
		v.add("name", "name_required", "数据资源名称不能为空")
	case strings.ContainsAny(r.Name, badNameChars):
		v.add("name", "invalid_name", "数据资源名称“"+r.Name+"”"+badCharsOf(r.Name))
	case strings.Trim(r.Name, "0123456789 ") == "":
		v.add("name", "invalid_name", "数据资源名称不能只由数字组成")
	case IsPlaceholder(r.Name): // placeholder_value, below
	case !strings.ContainsFunc(r.Name, isCJK):
		v.add("name", "invalid_name", "数据资源名称“"+r.Name+"”没有中文：请用中文写明数据的内容，如“户籍人口基本信息”")
	case letters(r.Name) < 2:
		v.add("name", "invalid_name", "数据资源名称“"+r.Name+"”太短：至少2个字（数字和标点不计），请写明数据的内容，如“户籍人口基本信息”")
	case genericName(r.Name):
		v.add("name", "generic_name", "数据资源名称“"+r.Name+"”只由“数据”“信息”“资源”“表”等泛称组成，看不出是什么数据："+
			"请写明数据的内容（事项、证照或对象），如“户籍人口基本信息”“营业执照信息”")
	}
	v.name1("name", "数据资源名称", r.Name, MaxName, v.keptName != "" && r.Name == v.keptName)
	v.placeholder("name", "数据资源名称", r.Name)
	if text.Blank(r.Abstract) {
		v.add("abstract", "abstract_required", "摘要不能为空，请说明数据资源的内容")
	}
	v.text("abstract", "摘要", r.Abstract, MaxText, true)
	v.placeholder("abstract", "摘要", r.Abstract)
	if !formats.has(string(r.Format)) {
		v.add("format", "invalid_format", "信息资源格式应为电子文件、电子表格、数据库、图形图像、流媒体、自描述格式或服务接口")
	}
}

func (v *validator) classification(c Classification) {
	const f = "classification."
	if !classes.has(string(c.Class)) {
		v.add(f+"class", "invalid_class", "资源分类应为基础信息资源、主题信息资源或部门信息资源")
	}
	switch {
	case !digits2.MatchString(c.CategoryCode):
		v.add(f+"category_code", "invalid_category_code", "“项”代码应为2位数字")
	case c.Class == Basic && !basicCategories.has(c.CategoryCode):
		v.add(f+"category_code", "invalid_category_code",
			"基础信息资源的“项”只能是 01 人口、02 法人、03 自然资源和空间地理、04 社会信用、05 电子证照")
	}
	if text.Blank(c.CategoryName) {
		v.add(f+"category_name", "category_name_required", "“项”名称不能为空")
	}
	v.name1(f+"category_name", "“项”名称", c.CategoryName, MaxClassName, v.keptText["category_name"][c.CategoryName])
	v.placeholder(f+"category_name", "“项”名称", c.CategoryName)
	if !digits3.MatchString(c.SubcategoryCode) {
		v.add(f+"subcategory_code", "invalid_subcategory_code", "“目”代码应为3位数字")
	}
	if text.Blank(c.SubcategoryName) {
		v.add(f+"subcategory_name", "subcategory_name_required", "“目”名称不能为空")
	}
	v.name1(f+"subcategory_name", "“目”名称", c.SubcategoryName, MaxClassName, v.keptText["subcategory_name"][c.SubcategoryName])
	v.placeholder(f+"subcategory_name", "“目”名称", c.SubcategoryName)
	switch {
	case c.DetailCode != "" && !detailCode.MatchString(c.DetailCode):
		v.add(f+"detail_code", "invalid_detail_code", "“细目”代码应为1至4位数字")
	case c.DetailCode != "" && text.Blank(c.DetailName):
		v.add(f+"detail_name", "detail_name_required", "填写了“细目”代码时，“细目”名称不能为空")
	case c.DetailCode == "" && c.DetailName != "":
		v.add(f+"detail_code", "detail_code_required", "填写了“细目”名称时，“细目”代码不能为空")
	}
	v.name1(f+"detail_name", "“细目”名称", c.DetailName, MaxClassName, v.keptText["detail_name"][c.DetailName])
	v.placeholder(f+"detail_name", "“细目”名称", c.DetailName)
}

// identifiers are the item keys (ItemKey) of the identifiers of a person or
// a legal entity, and the endings of those of qualified ones (男方公民身份号码,
// 法定代表人证件号码, 股东统一社会信用代码): a person is identified by the
// number of a 居民身份证 (公民身份号码 and the forms of it the synonym table
// knows), of a passport, of the mainland travel permits of 港澳 and 台湾
// residents, of a foreigner's permanent residence ID, or by a 证件号码 beside
// its 证件类型; a legal entity by its 统一社会信用代码 or, in records older
// than it, by its 注册号 (工商注册号), 组织机构代码 or 纳税人识别号. An
// identifier marked exact names one only as the whole key: a 商标注册号 is
// no legal entity's. 信用代码 is the synonym table's 统一社会信用代码, and
// no ending: a 个人信用代码 is a person's.
var identifiers = []struct {
	key   string
	kind  SubjectKind
	exact bool
}{
	{"公民身份号码", Person, false}, {"身份证号", Person, false}, {"身份证号码", Person, false},
	{"证件号码", Person, false}, {"护照号码", Person, false}, {"护照号", Person, false},
	{"来往内地通行证号码", Person, false}, {"来往大陆通行证号码", Person, false}, {"永久居留证号码", Person, false},
	{"统一社会信用代码", LegalEntity, false}, {"社会信用代码", LegalEntity, false},
	{"注册号", LegalEntity, true}, {"工商注册号", LegalEntity, false}, {"营业执照注册号", LegalEntity, false},
	{"组织机构代码", LegalEntity, false}, {"纳税人识别号", LegalEntity, false},
}

// IdentifierKind returns the subject kind an item named name identifies
// (see identifiers): Person for a 公民身份号码, 护照号码 or other 证件号码,
// LegalEntity for a 统一社会信用代码, 注册号, 组织机构代码 or 纳税人识别号, or
// "" when the name is neither. An entry about persons or legal entities may
// mark only an identifier of its own kind as identifying its subject: an
// item marked so leaves the one-data-one-source rule (itemKeys), and records
// are keyed by it. An entry about no subject may mark an item identifying its
// records (统一受理号, 不动产单元号), but not one of these: an entry keyed by a
// 统一社会信用代码 is about legal entities.
func IdentifierKind(name string) SubjectKind {
	k := ItemKey(name)
	for _, id := range identifiers {
		if k == id.key || !id.exact && strings.HasSuffix(k, id.key) {
			return id.kind
		}
	}
	return ""
}

func (v *validator) items(r Resource) {
	if len(r.Items) == 0 {
		v.add("items", "items_required", "至少需要一个信息项")
	}
	seen := map[string]int{}
	identifying := false
	for i, it := range r.Items {
		f := fmt.Sprintf("items[%d].", i)
		key := searchFold(it.Name) // as shown: invisible characters, width and compatibility forms aside
		switch {
		case text.Blank(it.Name):
			v.add(f+"name", "item_name_required", fmt.Sprintf("第 %d 个信息项的名称不能为空", i+1))
		case text.NameProblem(it.Name) != "" && !v.keptItems[it.Name]: // invalid_characters, below (name1)
		case seen[key] > 0:
			v.add(f+"name", "duplicate_item_name",
				fmt.Sprintf("信息项名称“%s”与第 %d 个信息项重复", it.Name, seen[key]))
		case strings.ContainsAny(it.Name, badNameChars):
			v.add(f+"name", "invalid_item_name", "信息项名称“"+it.Name+"”"+badCharsOf(it.Name))
		}
		if !text.Blank(it.Name) && seen[key] == 0 {
			seen[key] = i + 1
		}
		v.name1(f+"name", "信息项名称", it.Name, MaxItemName, v.keptItems[it.Name])
		if !dataTypes.has(string(it.Type)) {
			v.add(f+"type", "invalid_data_type",
				fmt.Sprintf("信息项“%s”的数据类型应为 C N Y D T L M G B I F 之一", it.Name))
		}
		switch {
		case it.Length < 0 || it.Length > maxLength:
			v.add(f+"length", "invalid_length", fmt.Sprintf("信息项“%s”的长度应在 0 到 %d 之间", it.Name, maxLength))
		case it.Type == "C" && it.Length == 0:
			v.add(f+"length", "length_required", fmt.Sprintf("字符型信息项“%s”必须填写长度", it.Name))
		}
		v.text(f+"description", "信息项说明", it.Description, MaxText, true)
		identifying = identifying || it.IdentifiesSubject
		k := IdentifierKind(it.Name)
		switch {
		case !it.IdentifiesSubject:
		case r.SubjectKind == NoSubject && k != "":
			v.add(f+"identifies_subject", "unexpected_identifying_item", fmt.Sprintf(
				"主体类型为“不涉及”的数据资源不能有标识主体的信息项：信息项“%s”标识%s，请将主体类型改为%s，或取消该信息项的标识主体",
				it.Name, k.Label(), k.Label()))
		case (r.SubjectKind == Person || r.SubjectKind == LegalEntity) && k != r.SubjectKind:
			v.add(f+"identifies_subject", "not_subject_identifier", fmt.Sprintf(
				"%s数据资源只能将%s标为标识主体：信息项“%s”不是%s的标识，请取消该信息项的“标识主体”",
				r.SubjectKind.Label(), identifiersOf(r.SubjectKind), it.Name, r.SubjectKind.Label()))
		}
	}
	if !subjectKinds.has(string(r.SubjectKind)) {
		v.add("subject_kind", "invalid_subject_kind", "主体类型应为自然人（person）、法人和其他组织（legal_entity）或不涉及（none）")
	} else if r.SubjectKind != NoSubject && len(r.Items) > 0 && !identifying {
		v.add("items", "identifying_item_required",
			fmt.Sprintf("%s数据资源至少要有一个标识主体的信息项（如%s），请将该信息项标为“标识主体”",
				r.SubjectKind.Label(), identifierOf(r.SubjectKind)))
	}
}

// identifiersOf names the identifiers of a subject of kind k (Person or
// LegalEntity) an entry may mark identifying, in messages.
func identifiersOf(k SubjectKind) string {
	if k == LegalEntity {
		return "统一社会信用代码（或注册号、组织机构代码、纳税人识别号）"
	}
	return "公民身份号码（或护照、通行证、永久居留身份证等证件的号码）"
}

// identifierOf names the identifier of a subject of kind k (Person or
// LegalEntity) in messages.
func identifierOf(k SubjectKind) string {
	if k == LegalEntity {
		return "统一社会信用代码"
	}
	return "公民身份号码"
}

func (v *validator) sharing(r Resource) {
	if !shareTypes.has(string(r.ShareType)) {
		v.add("share_type", "invalid_share_type", "共享类型应为无条件共享、有条件共享或不予共享")
	}
	switch r.ShareType {
	case Unconditional:
		if r.ShareConditions != "" {
			v.add("share_conditions", "unexpected_share_conditions", "无条件共享的资源不应填写共享条件")
		}
		if r.LegalBasis != "" {
			v.add("legal_basis", "unexpected_legal_basis", "无条件共享的资源不应填写不予共享依据，只有不予共享的资源才写明所依据的法律法规条款")
		}
	case Conditional:
		if text.Blank(r.ShareConditions) {
			v.add("share_conditions", "share_conditions_required", "有条件共享的资源必须写明共享条件")
		}
		if r.LegalBasis != "" {
			v.add("legal_basis", "unexpected_legal_basis", "有条件共享的资源不应填写不予共享依据：共享的条件及其依据请写在共享条件中")
		}
	case NotShared:
		if text.Blank(r.LegalBasis) {
			v.add("legal_basis", "legal_basis_required", "不予共享的资源必须写明所依据的法律法规具体条款")
		} else if !lawArticle.MatchString(r.LegalBasis) {
			v.add("legal_basis", "invalid_legal_basis", "不予共享的依据应引用法律法规的具体条款，如《中华人民共和国××法》第×条")
		}
		if len(r.ShareMethods) > 0 {
			v.add("share_methods", "unexpected_share_methods", "不予共享的资源不应填写共享方式")
		}
	}
	if r.ShareType == Unconditional && r.SecurityLevel == 4 {
		v.add("share_type", "inconsistent_share_type", "安全级别为4级（数据泄露后会对个人人身安全、法人正常运作或国家机关正常运作导致非常严重损害）"+
			"的资源不能无条件共享：请改为有条件共享并写明共享条件（由数源部门逐一审核共享申请），或不予共享并写明法律法规依据；如定级有误，请核实安全级别")
	}
	if r.ShareType != NotShared && r.ShareType != "" && len(r.ShareMethods) == 0 {
		v.add("share_methods", "share_methods_required", "至少选择一种共享方式：信息查询接口、信息核验接口、批量库表交换、文件下载交换")
	}
	for i, m := range r.ShareMethods {
		f := fmt.Sprintf("share_methods[%d]", i)
		if !shareMethods.has(string(m)) {
			v.add(f, "invalid_share_method", "共享方式应为信息查询接口（query）、信息核验接口（verify）、批量库表交换（batch）或文件下载交换（file）")
		} else if slices.Index(r.ShareMethods, m) < i {
			v.add(f, "duplicate_share_method", "共享方式“"+m.Label()+"”重复")
		}
	}
	if r.ShareType != NotShared && text.Blank(r.ShareScope) {
		v.add("share_scope", "share_scope_required", "共享的资源必须写明共享范围")
	}
	v.text("share_conditions", "共享条件", r.ShareConditions, MaxText, true)
	v.placeholder("share_conditions", "共享条件", r.ShareConditions)
	v.text("legal_basis", "不予共享依据", r.LegalBasis, MaxText, true)
	v.placeholder("legal_basis", "不予共享依据", r.LegalBasis)
	v.text("share_scope", "共享范围", r.ShareScope, MaxText, true)
	v.placeholder("share_scope", "共享范围", r.ShareScope)
}

func (v *validator) openness(r Resource) {
	if !openAttributes.has(string(r.OpenAttribute)) {
		v.add("open_attribute", "invalid_open_attribute", "开放属性应为无条件开放、有条件开放或不予开放")
	}
	switch {
	case r.OpenAttribute == OpenConditional && text.Blank(r.OpenConditions):
		v.add("open_conditions", "open_conditions_required", "有条件开放的资源必须写明开放条件")
	case r.OpenAttribute != OpenConditional && r.OpenConditions != "":
		v.add("open_conditions", "unexpected_open_conditions", "只有有条件开放的资源才填写开放条件")
	case r.ShareType == NotShared && r.OpenAttribute != NotOpen && r.OpenAttribute != "":
		v.add("open_attribute", "inconsistent_open_attribute", "不予共享的资源不能向社会开放")
	case r.SecurityLevel == 4 && r.OpenAttribute == Open:
		v.add("open_attribute", "inconsistent_open_attribute", "安全级别为4级的资源不能无条件向社会开放")
	case r.ShareType == Conditional && r.OpenAttribute == Open:
		v.add("open_attribute", "inconsistent_open_attribute",
			"有条件共享的资源不能无条件向社会开放：社会公众都能无条件获取的数据，政务部门之间应无条件共享；请改为无条件共享，或改为有条件开放、不予开放")
	}
	v.text("open_conditions", "开放条件", r.OpenConditions, MaxText, true)
	v.placeholder("open_conditions", "开放条件", r.OpenConditions)
}

func (v *validator) frequency(r Resource) {
	if !frequencies.has(string(r.UpdateFrequency)) {
		v.add("update_frequency", "invalid_update_frequency", "更新周期应为实时、每日、每周、每月、每季度、每年或其他")
	}
	switch {
	case r.UpdateFrequency == FrequencyOther && text.Blank(r.FrequencyOther):
		v.add("update_frequency_other", "update_frequency_other_required", "更新周期为“其他”时必须填写具体周期，如每三年")
	case r.UpdateFrequency != FrequencyOther && r.FrequencyOther != "":
		v.add("update_frequency_other", "unexpected_update_frequency_other", "只有更新周期为“其他”时才填写具体周期")
	}
	v.text("update_frequency_other", "具体更新周期", r.FrequencyOther, MaxOther, false)
	v.placeholder("update_frequency_other", "具体更新周期", r.FrequencyOther)
	v.text("timeliness", "时效要求", r.Timeliness, MaxText, true)
	v.placeholder("timeliness", "时效要求", r.Timeliness)
	v.timeLimit(r)
	if f, word := statedFrequency(r.Timeliness); f != "" && r.UpdateFrequency != FrequencyOther &&
		frequencies.has(string(r.UpdateFrequency)) && f != r.UpdateFrequency {
		v.add("timeliness", "inconsistent_timeliness", fmt.Sprintf(
			"更新周期为“%s”，时效要求却写明“%s”（%s），两者矛盾：请按数据实际更新和推送的频率修改更新周期或时效要求",
			r.UpdateFrequency.Label(), word, f.Label()))
	}
}

// licenceWords in an entry's name mark the data of licences and documents
// (电子证照、文书类), which are updated in real time (seed 001 七(四)). They
// cover every licence type of the realdata list (licence_types.csv,
// TestLicenceWordsCoverRealLicences): the generic words, and the licences
// whose names hold none of them (居民身份证, 普通护照, 结婚证 …).
var licenceWords = []string{"证照", "执照", "许可证", "证书", "登记证", "文书", "批复", "决定书", "审批结果", "许可",
	"身份证", "护照", "居住证", "驾驶证", "行驶证", "结婚证", "离婚证", "出生医学证明", "合格证"}

// LicenceWord returns the first word of licenceWords the entry name holds,
// or "" when it holds none.
func LicenceWord(name string) string {
	for _, w := range licenceWords {
		if strings.Contains(name, w) {
			return w
		}
	}
	return ""
}

// LicenceBasis says why an entry of class, category code and name is one
// of licences or documents, which the timeliness rule wants in real time:
// its classification (基础信息资源 05 电子证照) or a word of its name
// (LicenceWord); "" when it is not one. The catalog's validation and the
// records' timeliness rule (records.ruleOf) both judge by it.
func LicenceBasis(class Class, categoryCode, name string) string {
	if class == Basic && categoryCode == "05" {
		return "目录分类为电子证照（基础信息资源 05）"
	}
	if w := LicenceWord(name); w != "" {
		return "数据名称含“" + w + "”"
	}
	return ""
}

func licenceBasis(r Resource) string {
	return LicenceBasis(r.Classification.Class, r.Classification.CategoryCode, r.Name)
}

// LimitKind is the kind of time limit a 时效要求 text states (TimeLimit).
type LimitKind string

const (
	LimitRealTime    LimitKind = "realtime"     // 实时, 即时, 次工作日前 (下一个工作日前), 当日, 当天, 次日前, 次日零时, 次日0:00 (exactMidnight)
	LimitWorkingDays LimitKind = "working_days" // N个工作日内, 半个工作日内 (1, Part), 1个半工作日内 (2): a part counts whole
	LimitDays        LimitKind = "days"         // N日内, N天内, N个自然日内, N周内 (N×7 days), 半周内 (3), N个月内 (N×28), N年内 (N×365), 半个月内 (14), 半年内 (182), 次日 (1 day)
	LimitHours       LimitKind = "hours"        // N小时内, 半天内 (12), 一天半内 (36), 半小时内 (1: a part of an hour counts whole)
	LimitMonthly     LimitKind = "monthly"      // 每月N日前, 次月N日前: last month's data by day N
	LimitQuarterly   LimitKind = "quarterly"    // 每季度首月上旬 and other 季度
)

// TimeLimit is the time limit a catalog's 时效要求 states: its kind, N (days,
// or the day of the month) and the words stating it, as written but for
// white space (5个工作日内, 每月5日前). Part says N counts a part of a
// working day or an hour as a whole one (count): 半个工作日内 is N 1 and
// Part, shorter than 1个工作日内 (WithinRealTime).
type TimeLimit struct {
	Kind  LimitKind
	N     int
	Words string
	Part  bool
}

// Within2 reports whether the limit is kept by data that arrives within 2
// working days of being produced: real time, at most 2 working or calendar
// days, or at most 48 hours.
func (l TimeLimit) Within2() bool {
	return l.Kind == LimitRealTime || (l.Kind == LimitWorkingDays || l.Kind == LimitDays) && l.N <= 2 ||
		l.Kind == LimitHours && l.N <= 48
}

// WithinRealTime reports whether the limit is kept within the real time
// licences and documents follow (seed 001 七(四): 产生后次工作日前提供),
// as the rule compares limits (bound): real time itself, or a part of one
// working day alone (半个工作日内, 0.5个工作日内, 零点五个工作日内), shorter
// than the working day real time reaches. Records, which count whole
// days, apply real time to a licence stating it (records.ruleOf): late
// after the day the data is produced. Since d34d131 (2026-12-06) until
// this change a half working day counted as a whole one for it too and
// was refused for a licence.
func (l TimeLimit) WithinRealTime() bool {
	return l.Kind == LimitRealTime || l.Kind == LimitWorkingDays && l.N == 1 && l.Part
}

var (
	// numeral is a number of days: ASCII digits (full-width ones are
	// narrowed first), Chinese numerals, or both, which text.ChineseNumber
	// reads or refuses whole (百 is 100, 廿 20, 卅 30, 万 10000; 1万,
	// 1万五千, 3千, 1万5千, 3万零5; 12千 none).
	numeral = `([` + text.NumeralChars + `]+)`
	// amount is a number of units: a numeral, or a decimal (a part of
	// the unit, count) in ASCII digits (1.5, 0.5) or in Chinese numerals
	// with 点, its decimals one digit each (一点五, 两点五, 零点五, 三点二五:
	// decimalDigits). Digits with 点 on either side (8点2小时, 1点5天,
	// 1点五天, 8点一天, 一点5天) are a time of the day, far more common in
	// hand-written catalogs than a decimal written so (1.5天 is one): the
	// number after 点 is the limit (8点一天内 1 day). From 2026-12-06 until
	// this change, for part of the day, digits on one side and Chinese
	// numerals on the other were a decimal right before 天 or 日, so that
	// 8点一天内 read as 8.1 days and 0点三天内 as 7 hours. A number in
	// Chinese numerals with 点 after a time of the day (下午三点五天,
	// 每晚十点三天, 截至八点一天: clockBefore) is one too, and after 第 it
	// numbers a point of the text (ordinal); one no unit follows (八点三十分)
	// is no number of units.
	amount = `([0-9]+\.[0-9]+|[` + strings.Trim(text.NumeralChars, "0123456789") + `]+点[` + decimalDigits + `]+|[` +
		text.NumeralChars + `]+)`
	// within ends a limit (3天内, 3天之内, 3天以内); where it is missing, a
	// word before the number bounding it (notBeyond: 不超过3天) does.
	within       = `(?P<in>内|之内|以内)?`
	monthlyLimit = regexp.MustCompile(`(?:每(?:个)?月|次月)` + numeral + `(?:日|号)(?:前|之前|以前)`)
	// workingDayLimit may hold a half, alone or after the number (半个工作日,
	// 1个半工作日, 两个半工作日): a part of a working day counts as a whole one
	// more (count), as 2.5个工作日 does. 半工作日 is no word for a half day
	// as 半天 is: 两个半工作日 is two working days and a half.
	workingDayLimit = regexp.MustCompile(`(?:` + amount + `个?(半)?|(半)个?)工作日`)
	// dayLimit, weekLimit and hourLimit may hold a half, alone or after
	// the number (半天内, 一天半内, 半周内, 1周半内, 半小时内, 1个半小时内), as
	// monthLimit and yearLimit do: half a day is 12 hours, a week 3 days,
	// an hour 1 (count). A half after N个 before 天 or 日 is half a day
	// (两个半天: two half days, or two days and a half), the stricter.
	dayLimit  = regexp.MustCompile(`(?:` + amount + `(?:个)?|(半)(?:个)?)(?:自然日|日|天)(半)?` + within)
	weekLimit = regexp.MustCompile(`(?:` + amount + `(?:个)?(半)?|(半)(?:个)?)(?:周|星期|礼拜)(半)?` + within)
	hourLimit = regexp.MustCompile(`(?:` + amount + `(?:个)?(半)?|(半)(?:个)?)小时(半)?` + within)
	// monthLimit is a number of months (N个月内, N月内, N个自然月内) and
	// yearLimit of years (N年内, N个自然年内), read as days (limits): each
	// month its shortest, 28 days, each year 365, so that a limit is too
	// lax for a rule only when even its shortest reading is. Half a month
	// or a year, alone or after the number (半个月内, 半月内, 1个半月内, 半年内,
	// 一年半内), is half its days, rounded down: 14, 42, 182, 547.
	monthLimit = regexp.MustCompile(`(?:` + amount + `(?:个)?(半)?|(半)(?:个)?)(?:自然)?月` + within)
	yearLimit  = regexp.MustCompile(`(?:` + amount + `(?:个)?(?:自然)?年(半)?|(半)(?:个)?(?:自然)?年)` + within)
	// nextWorkingDay is the next working day as catalogs write it (次工作日,
	// 次一工作日, 下一个工作日, 下个工作日, 下一工作日): real time, read before
	// the numbers so that the 一 of 下一个工作日 is not 1 working day.
	nextWorkingDay = regexp.MustCompile(`(?:次|下)一?个?工作日`)
	// postponed is the clause regulations add to a limit in working days
	// (5个工作日内…遇节假日顺延至下一工作日, 如遇法定节假日则顺延): it moves a
	// deadline off holidays, which working days skip already, so it
	// changes no limit and is read as none, not as the next working day.
	// It names no duration of its own and ends the clause (clauseEnd):
	// 遇节假日顺延10个工作日 and 遇特殊情况可顺延至10个工作日 are not it. It may
	// name several kinds of day (遇周末或节假日, 遇节假日、休息日), say
	// 相应顺延 and be opened with 含 (当日（含遇节假日顺延）).
	postponed = regexp.MustCompile(`(?:含|包含|包括)?(?:(?:如果|如|若|凡)?遇)?` + restDays + `(?:(?:或者|或|、|和|及|与)` + restDays + `)*` +
		`[，,]?(?:则|的)?[，,]?(?:相应|依次|自动|予以)?顺延` +
		`(?:至(?:下一个?|下个|次一?个?)工作日|至节后(?:第一个|第一|首个)工作日)?(?:报送|更新|提供|推送)?`)
	// restDays is a kind of day off a postponing clause names (postponed).
	restDays = `(?:法定)?(?:节假日|节日|假日|休息日|公休日|周末|双休日)`
)

// decimalDigits are the digits of the decimals of a number in Chinese
// numerals (一点五, 三点二五: amount), and chineseDecimals reads them as
// ASCII digits for fraction.
const decimalDigits = "零〇一二三四五六七八九"

// clockBefore is the text before a number in Chinese numerals with 点
// that makes it a time of the day, not a decimal (amount): a day (当日,
// 次日, 每天, 5号), a day of the week (周一, 每周五, 星期三: the numeral
// after 周 is the day, 每周五十七点 five and seventeen), a part of the day
// (下午, 早, 晚, 每晚, 傍晚, 夜, 夜间, 夜里) or a range from a time (九点至,
// 八点半到, 9:00-). The number after 点 is the limit (每晚十点三天内 is 3
// days), as it was before Chinese decimals were read (d34d131,
// 2026-12-06). Since then until this change (the same day) only a day
// and 凌晨 … 晚上 were known (每晚十点三天内办结 read as 247 hours), and
// since 5967577 they made no limit be read (下午三点五天内办结). 截至 (as
// of) names a time, not a duration: 截至八点一天内推送 is 1 day, as
// 截至8点一天内推送 is; until this change it read as 8.1 days. 截止 is
// not one: it also names a deadline (截止一点五天内推送, 1.5 days).
//
// A range is from a time only: 九点至, 十时到, 八点半至, 8时30分至, not from
// a duration (12小时至一点五天内, 一天半到两点五天内, 30分至一点五小时内 are
// 1.5 days, 2.5 days, 1.5 hours). 周, 星期 or 礼拜 is a day of the week
// only with its numeral (weekday): 每周一点五天内 is 1.5 days.
var clockBefore = regexp.MustCompile(`(?:[日天号早晚夜]|夜间|夜里|截至|` + partOfDay + `|(?:周|星期|礼拜)[` + text.NumeralChars + `]|` +
	`(?:(?:^|[^小])[点时]|[点时][半整]|[点时][` + text.NumeralChars + `]+分|[:：][0-9]{2})(?:至|到|-|－|—|~|～))$`)

// weekday is 周, 星期 or 礼拜 just before a number in Chinese numerals with
// 点 whose first numeral is the day of the week (每周五十七点, 每周一八点):
// a time of the day when a numeral of the hour follows the day's
// (clockTime); 每周一点五天内 has none, 1.5 days.
var weekday = regexp.MustCompile(`(?:周|星期|礼拜)$`)

// notClock is 早 or 晚 in a word that is no time of the day (最晚 at the
// latest, 尽早 as soon as possible): 最晚一点五天内 is 1.5 days (clockTime).
var notClock = regexp.MustCompile(`[最至尽提及较更稍][早晚]$`)

// clockTime reports whether the text before a number in Chinese numerals
// with 点, whole its part before 点, makes it a time of the day
// (clockBefore, not notClock, or a day of the week whose numeral begins
// whole, an hour's after it: weekday).
func clockTime(before, whole string) bool {
	if weekday.MatchString(before) {
		return utf8.RuneCountInString(whole) > 1
	}
	return clockBefore.MatchString(before) && !notClock.MatchString(before)
}

// ordinal is the 第 of a number with 点 that numbers a point of the text
// (第一点, 第1点: point one), not a decimal (amount): the number after 点
// is the limit, 第一点五天内 5 days, as it was before Chinese decimals were
// read (d34d131, 2026-12-06), since which it had been 1.5 days.
const ordinal = "第"

// withinNext is within after a limit in working days, which reads
// without it (workingDayLimit holds none).
var withinNext = regexp.MustCompile(`^(?:内|之内|以内)`)

var chineseDecimals = strings.NewReplacer("零", "0", "〇", "0", "一", "1", "二", "2", "三", "3", "四", "4", "五", "5", "六", "6",
	"七", "7", "八", "8", "九", "9")

// brackets are the closing brackets of the opening ones a 时效要求 uses.
var brackets = map[rune]rune{'（': '）', '(': ')', '【': '】', '[': ']', '〔': '〕', '「': '」'}

// clauseEnd reports whether r ends a clause of a 时效要求: punctuation, a
// line break (kept as \n until clauses are found) or a bracket.
func clauseEnd(r rune) bool {
	return strings.ContainsRune("，。；,;…、\n（）()【】[]〔〕「」", r)
}

// sameDayLimit is 当日, 当天 or 次日 bounding the delivery (当日更新, 当天报送,
// 次日前, 次日内, 次日更新, or the whole text). 当日, 当天 and 次日前 (before
// the next day) end with the day data is produced: real time, which the
// seeds' 次工作日前 (seed 000, REQUIREMENTS 19) is, ending before the next
// working day. 次日 otherwise (次日内, 次日更新, 次日12时前) allows the next
// calendar day, later than real time on any working day before a working
// day: it is 1 day, as 1日内 is, and a rule is chosen for it as for 1日内
// (Within2: 2 working days for business data; not enough for a licence).
// Before the next day's midnight (次日0时前, 次日零点前, 次日00:00前) or its
// small hours (次日凌晨前) is before the next day (midnight): real time; so
// is at the next day's midnight exactly, with no 前 (次日零时, 次日0:00推送:
// exactMidnight), the same deadline. Until 2026-12-05 every 次日 read as
// real time (1日内 read as 1 day then, as it still does). They also name
// the day of production (当日产生的数据2个工作日内报送) or of a cadence
// (次日凌晨汇总上一日数据，每周更新一次; 半年更新一次，以当天为准), so they count
// only in a text that states no other limit but real time and no cadence
// (statesCadence; beside real time, limits). A time of the day may stand
// between the day and what bounds it (当日12时前推送, 当天下午5点前,
// 当日17:30前, 当日下班前, 次日上午前). Its groups are the day, the time of
// the day and what bounds it.
var sameDayLimit = regexp.MustCompile(`(当日|当天|次日)` +
	`(` + partOfDay + `?(?:(?:[0-9]+|[零〇一二两三四五六七八九十]+)(?:时|点)(?:[0-9]+分|[零〇一二两三四五六七八九十]+分|半|整)?|` +
	`[0-9]{1,2}[:：][0-9]{2})|` + partOfDay + `|下班)?` +
	`(前|之前|以前|内|之内|以内|完成|` + deliveryWords + `|[。.]?$)`)

// partOfDay is a part of the day a 时效要求 bounds a delivery by (当天下午前,
// 次日上午8点前).
const partOfDay = `(?:凌晨|早上|上午|中午|下午|晚上)`

// midnight is a time of the day that is the day's beginning: 0时, 零点,
// 〇时整, 00:00, or its small hours (凌晨) alone. 次日 before it is before
// the next day (sameDayLimit).
var midnight = regexp.MustCompile(`^(?:凌晨|(?:凌晨)?(?:0+|[零〇])(?:时|点)(?:整|0+分|[零〇]分)?|(?:凌晨)?0?0[:：]00)$`)

// exactMidnight is a time of the day that is exactly its beginning: 0时,
// 零点, 〇时整, 00:00, not 凌晨 alone (any time of the small hours). 次日 at
// it, with no 前 (次日零时推送), is the same deadline as before it
// (sameDayLimit).
var exactMidnight = regexp.MustCompile(`^(?:凌晨)?(?:(?:0+|[零〇])(?:时|点)(?:整|0+分|[零〇]分)?|0?0[:：]00)$`)

// cadenceWord is a word of a cadence longer than a day, beside which 当日,
// 当天 and 次日 state no limit (statesCadence): 每周, 每星期, 每月, 每个月,
// 每季(度), 每年, 每两周, 每3个月, 每2天, 每廿天, 每隔一天, 按周, 按月, 按季, 按年,
// 半年, and 一次 (半年更新一次); its number is any that text.ChineseNumber
// reads (until 2026-12-05 not with 千, 万, 廿 or 卅, so that 每廿天 was no
// cadence). Its groups are the number of days of 每N日 or 每N天 and that
// unit.
var cadenceWord = regexp.MustCompile(`每隔?(?:([` + text.NumeralChars + `]+)个?(日|天)|` +
	`[` + text.NumeralChars + `]*个?(?:周|星期|礼拜|月|季|年))|按(?:周|月|季|年)|半年|一次`)

// dailyCadence reports whether a clause holds a daily cadence (every day,
// 每日, 每天, 每一日, 按日, 逐日, or a day opening it that a cadence follows
// at once: 日更新一次, 天更新一次, 一日一次, 日一次): the 一次 it qualifies in its
// clause is once a day (statesCadence). clause runs from its start through
// that 一次. A word opening the clause with 日 or 天 is no cadence (日常,
// 日期, 日报, 日均, 天津); until 2026-12-05 any was, but a hand-kept list of
// exceptions, so that 日报更新一次，当日推送 and 天津分局更新一次，当日推送 read as
// real time.
func dailyCadence(clause string) bool {
	return everyDay.MatchString(clause) || dayOpening.MatchString(clause)
}

// deliveryVerbs are the verbs a daily cadence names before its count of
// times (日推送一次): not 报 alone, as 日报 is a daily report, nor 更 alone,
// as 更正, 更改 and 变更 are no delivery (日更一次 is a cadence: dayOpening).
const deliveryVerbs = `更新|推送|同步|采集|汇总|报送|上报|交换|归集|刷新|导入|共享`

// deliveryWords are the words naming the delivery, the one list a clause
// about the delivery (delivery), the delivery right after real time
// (pushedBy) and after 当日, 当天 or 次日 (sameDayLimit) are told by: the
// verbs of a daily cadence (deliveryVerbs), 提供, 汇聚, and the words of
// sending data on (上传, 发布, 传输, 传送, 补传, 对接, 回传, 下发, 送达, 传至).
// Until this change (2026-12-06) the last were missing: 实时上传，1个月内办结
// read as 28 days, 实时推送，3日内办结并上传 as real time, and 实时推送，次日上传
// as real time.
const deliveryWords = deliveryVerbs + `|提供|汇聚|上传|发布|传输|传送|补传|对接|回传|下发|送达|传至`

var (
	// everyDay is 每日, 每天, 每一日, 按日 or 逐日 (dailyCadence).
	everyDay = regexp.MustCompile(`(?:每一?|按|逐)(?:日|天)`)
	// dayOpening is 日, 天, 一日, 一天, 日日 or 天天 opening a clause with a
	// cadence right after it: 更新, or a count of times (一次), alone or
	// after a verb of delivery (日推送一次, 日同步一次, 日更一次)
	// (dailyCadence).
	dayOpening = regexp.MustCompile(`^(?:一?(?:日|天)|日日|天天)(?:更新|(?:更|` + deliveryVerbs + `)?[` + text.NumeralChars + `]+次)`)
)

// statesCadence reports whether a 时效要求 text, its white space removed,
// states a cadence longer than a day (cadenceWord), taking its words as
// words and not inside others: 一次性 (once and for all), 统一次日, 第一次,
// 唯一次 and 每一次 hold no 一次; 周期 (按周期, 每周期) no week; 每日, 每天 and
// 每一日 are daily, no longer than a day, and so is the 一次 they qualify
// in their clause (dailyCadence: 每日一次, 每天更新一次). Until 2026-12-05 the
// words were found anywhere, and 汇总 counted too, so 一次性采集，当日报送 and
// 每日汇总，次日推送 stated no limit, nor did 每日一次，当日更新.
func statesCadence(s string) bool {
	for _, m := range cadenceWord.FindAllStringSubmatchIndex(s, -1) {
		w := s[m[0]:m[1]]
		prev, _ := utf8.DecodeLastRuneInString(s[:m[0]])
		next, _ := utf8.DecodeRuneInString(s[m[1]:])
		clause := s[:m[1]]
		if k := strings.LastIndexFunc(s[:m[0]], clauseEnd); k >= 0 {
			_, n := utf8.DecodeRuneInString(s[k:])
			clause = s[k+n : m[1]]
		}
		switch {
		case w == "一次" && (next == '性' || strings.ContainsRune("统第唯每", prev)):
		case w == "一次" && dailyCadence(clause):
		case next == '期':
		case m[2] >= 0 && !strings.HasPrefix(w, "每隔") && text.ChineseNumber(s[m[2]:m[3]]) <= 1:
		default:
			return true
		}
	}
	return false
}

// ReadTimeLimit reads the time limit a 时效要求 text states, in the forms
// catalogs write it: 实时/即时/次工作日 and its synonyms (下一个工作日,
// 下个工作日, 次一工作日: real time), N个工作日内, N日内 or N天内, N小时内, N周内,
// N个月内 and N年内 (days: a month its shortest, 28 days, a year 365, half
// of either half its days, 半个月内 14, 1个半月内 42, 半年内 182, 一年半内
// 547; not a date, 每年3月内, nor the data's span, 近三年内: spanOrDate),
// a part of a unit, half or decimal, in digits or in Chinese numerals
// (1.5个月内 42 days, 2.5个工作日内 3, 一点五天内 36 hours, not after a
// time of the day, 每晚十点三天内 3 days: clockTime, nor after 第: ordinal;
// digits with 点 on either side are a time of the day, 1点5天内 and
// 1点五天内 5 days, 8点一天内 1 day: amount;
// 半个工作日内 1, Part, within a licence's real time:
// WithinRealTime; 两个半工作日内 3),
// without 内 after a word bounding it (不超过3天, 至迟不超过48小时: notBeyond)
// where its clause bounds the delivery (not 有效期不超过5年 nor
// 保存不超过3个工作日, nor working days without a bound, 有效期3个工作日:
// kept; beside
// a limit other than real time only after 最迟 or naming the delivery:
// unbound),
// half a day, a week or an hour (半天内 12 hours, 一天半内 36, 半周内 3 days,
// 半小时内 1 hour: in the unit below, rounded down, or of an hour one more,
// count), 每月N日前
// and 季度 (the quarterly exception); 当日, 当天 and 次日前 as real time, other
// 次日 as 1 day, where they bound the delivery and the text states nothing
// else but real time, no cadence either (sameDayLimit; 实时推送，次日推送
// is 1 day); a same day and a next day are a
// target and a latest bound, and the bound counts (当日更新，最迟次日推送 and
// 当日或次日更新 are 1 day), and so are a part of one working day and a next
// day (半个工作日内推送，最迟次日推送: partOfOneWorkingDay). A clause postponing a deadline
// off holidays with no duration of its own (遇节假日顺延至下一工作日,
// postponed), ending at punctuation, a line break or a bracket, states no
// limit and is taken out (dropPostponed), the rest deciding: 5个工作日内，
// 遇节假日顺延至下一工作日 is 5 working days, （遇节假日顺延） alone none. A 顺延 naming
// a duration states a limit the text allows (extensions), and the laxer
// limit counts: 2个工作日内更新，遇特殊情况可顺延至10个工作日 is 10 working
// days. Clauses are found before white space is removed; then it is
// ignored and
// full-width digits read; a word counts where StatesWord says so (not
// after a larger number or a negation: 12个工作日 does not state 2个工作日,
// 无需实时 no real time). ok is false when the text states none (按需, T+1,
// 每年3月底前) or several that differ (the whole regulation quoted: 实时…2个
// 工作日…每季度): which one the entry follows cannot be told, nor the day of
// a monthly limit outside 1 to 31 (每月32日前). Real time beside a bound
// (working days, days, hours, 每月N日前; not 季度) is the aim, and the
// bound, the laxer, is what the provider promises and counts, however the
// clauses are joined (aim: 实时推送，3天内推送 is 3 days, 实时推送，不晚于次日推送
// 1 day, 实时推送，最迟12小时内 and 实时推送，12小时内 12 hours); until this
// change (2026-12-06) only a bound after 最迟 (最晚, 至迟) counted and any
// other stated, beside real time, no limit and was not checked. Of several
// bounds, one after 最迟, the laxest, is the bound the provider promises
// and counts (latest: 2个工作日内报送，最迟5日内 is 5 days). A number above
// 3660 days or 87840 hours counts as that many (maxLimitDays).
func ReadTimeLimit(s string) (TimeLimit, bool) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９' || r == '．':
			return text.NarrowRune(r)
		case r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == '\u0085' || r == '\u2028' || r == '\u2029':
			return '\n'
		case unicode.IsSpace(r):
			return -1
		}
		return r
	}, s)
	s = dropPostponed(s)
	s, extended := extensions(s)
	found := limits(strings.ReplaceAll(s, "\n", ""))
	// Real time beside a bound is the aim (aim).
	if bounds := slices.DeleteFunc(slices.Clone(found), aim); slices.ContainsFunc(bounds, duration) {
		found = bounds
	}
	if len(found) > 1 {
		l, ok := latest(s, found)
		if !ok {
			return TimeLimit{}, false
		}
		found = []TimeLimit{l}
	}
	found = append(found, extended...)
	if len(found) == 0 || slices.ContainsFunc(found, func(l TimeLimit) bool { return l.Kind == LimitMonthly && l.N > 31 }) {
		// A month has no day 32 (每月32日前): which day is meant cannot
		// be told.
		return TimeLimit{}, false
	}
	laxest := found[0]
	for _, l := range found[1:] {
		if l.bound() >= laxest.bound() {
			laxest = l
		}
	}
	return laxest, true
}

// aim reports whether a limit is real time (实时, 即时, 次工作日, 当日): beside
// a bound (duration) it is the aim, and the bound, the laxer, what the
// provider promises and what counts, whatever joins them (ReadTimeLimit):
// 实时推送，3天内推送, 实时推送，最迟3天内 and 实时推送，不超过3个工作日 are
// all 3 days or working days. The connecting words (最迟, 不晚于, 原则上)
// no longer decide between real time and a bound: real time never is the
// laxer, however short the bound (实时推送，12小时内 is 12 hours, as
// 12小时内 is, and a licence is refused for either). A bound naming an
// action other than the delivery (ofAnotherAction: 1个月内办结) beside
// real time naming the delivery is the case's, and limits leaves it out:
// 1个月内办结，实时推送 is real time.
func aim(l TimeLimit) bool { return l.Kind == LimitRealTime }

// duration reports whether a limit is a bound of a time after the data is
// produced (working days, days, hours, 每月N日前): not the quarterly
// exception, whose 季度 may name a cadence (实时推送，按季度汇总) and beside
// real time leaves which counts untold.
func duration(l TimeLimit) bool { return !aim(l) && l.Kind != LimitQuarterly }

// latest is the limit the clauses after 最迟 (at the latest; or 最晚,
// 至迟, latestWords) state in a
// text stating several bounds (found, real time beside them taken out:
// aim): 2个工作日内报送，最迟5日内 is 5 days, 2个工作日内更新，最迟1个月内 1
// month. It is the bound the provider promises, a target beside it, and
// counts when it is one and the laxest of them, as the laxer of a pair
// does (ReadTimeLimit); ok is false otherwise (several bounds, none after
// 最迟, or a laxer one beside it: 5个工作日内报送，最迟2个工作日内; which the
// entry follows cannot be told, as of the whole regulation quoted,
// 实时…2个工作日…每季度). Here only, and in unbound, do latestWords still
// decide. A clause ends at punctuation, a line break or a bracket.
func latest(s string, found []TimeLimit) (TimeLimit, bool) {
	var bounds []TimeLimit
	for i := 0; ; {
		j, n := latestWord(s[i:])
		if j < 0 {
			break
		}
		start, end := i+j+n, len(s)
		if k := strings.IndexFunc(s[start:], clauseEnd); k >= 0 {
			end = start + k
		}
		bounds = append(bounds, limits(s[start:end])...)
		i = end
	}
	laxer := func(l TimeLimit) bool { return l.bound() > bounds[0].bound() }
	if len(bounds) != 1 || slices.ContainsFunc(found, laxer) {
		return TimeLimit{}, false
	}
	return bounds[0], true
}

// latestWords say "at the latest": 最迟, and its synonyms 最晚 and 至迟.
var latestWords = []string{"最迟", "最晚", "至迟"}

// latestWord returns where the first of latestWords in s is and its
// length in bytes, or -1.
func latestWord(s string) (at, n int) {
	at = -1
	for _, w := range latestWords {
		if j := strings.Index(s, w); j >= 0 && (at < 0 || j < at) {
			at, n = j, len(w)
		}
	}
	return at, n
}

// dropPostponed takes out each clause postponing a deadline off holidays
// with no duration of its own (postponed) that ends its clause, with the
// brackets around it or the separator before it, so that the text reads
// as it would without it: 当日（遇节假日顺延） and 当日，遇节假日顺延 as 当日
// (real time), （遇节假日顺延） alone, or with only a cadence (每日更新，遇节假日
// 顺延), as stating no limit. Until 2026-12-05 a blank stood in its place,
// after which 当日 no longer ended the text and so bounded nothing. Where
// numbers would meet (3（遇节假日顺延）2个工作日内) a blank still parts them.
func dropPostponed(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range postponed.FindAllStringIndex(s, -1) {
		start, end := m[0], m[1]
		next, n := utf8.DecodeRuneInString(s[end:])
		if end < len(s) && !clauseEnd(next) {
			continue
		}
		prev, p := utf8.DecodeLastRuneInString(s[last:start])
		switch {
		case p > 0 && end < len(s) && brackets[prev] == next:
			start, end = start-p, end+n
		case p > 0 && strings.ContainsRune("，,；;、", prev):
			start -= p
		}
		b.WriteString(s[last:start])
		if r, _ := utf8.DecodeRuneInString(s[end:]); precededByNumber(s[last:start]) && numeralRune(r) {
			b.WriteString("　")
		}
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// extensions takes out of s each clause with a 顺延 that states one limit
// of its own (遇特殊情况可顺延至10个工作日): a limit the text allows. The
// clause begins at the clause's 遇 or, without one, at its start; one
// stating none or several stays in s.
func extensions(s string) (string, []TimeLimit) {
	var found []TimeLimit
	for i := 0; ; {
		j := strings.Index(s[i:], "顺延")
		if j < 0 {
			return s, found
		}
		at := i + j
		start := 0
		if k := strings.LastIndexFunc(s[:at], clauseEnd); k >= 0 {
			_, n := utf8.DecodeRuneInString(s[k:])
			start = k + n
		}
		if k := strings.LastIndex(s[start:at], "遇"); k >= 0 {
			start += k
		}
		end := len(s)
		if k := strings.IndexFunc(s[at:], clauseEnd); k >= 0 {
			end = at + k
		}
		if l := limits(s[start:end]); len(l) == 1 {
			found = append(found, l[0])
			s = s[:start] + "　" + s[end:]
			i = start + len("　")
			continue
		}
		i = end
	}
}

// bound is the longest a limit allows, in hours, roughly: what compares
// a limit with a 顺延 of another (the laxer one counts). Real time is the
// next working day, as 1 working day; N working days span a weekend in
// each 5.
func (l TimeLimit) bound() int {
	switch l.Kind {
	case LimitRealTime:
		return (1 + 2) * 24
	case LimitWorkingDays:
		return (l.N + 2*((l.N+4)/5)) * 24
	case LimitDays:
		return l.N * 24
	case LimitHours:
		return l.N
	case LimitMonthly:
		return (31 + l.N) * 24
	}
	return (92 + 10) * 24 // quarterly
}

// partOfOneWorkingDay reports whether the limit is a part of one working
// day alone (半个工作日内, 0.5个工作日内). Beside 次日 it is a target and 次日
// the latest bound, as 当日 is (limits): 半个工作日内推送，最迟次日推送 is 1
// day, refused for a licence as 当日更新，最迟次日推送 is. bound puts it at
// the working day real time reaches, laxer than 次日, and from 6c5db77
// (2026-12-06) until this change it was kept as the laxer and accepted
// for a licence (WithinRealTime).
func (l TimeLimit) partOfOneWorkingDay() bool {
	return l.Kind == LimitWorkingDays && l.WithinRealTime()
}

// maxLimitDays is the longest limit in days ReadTimeLimit counts (about
// ten years) and maxLimitHours in hours: a larger number (300000000000000000
// 个工作日) counts as it, a limit far longer than any rule allows, so that
// bound, which multiplies it, cannot overflow into a short one.
const (
	maxLimitDays  = 3660
	maxLimitHours = maxLimitDays * 24
)

// limits reads the limits a 时效要求 text, its white space removed, states
// (ReadTimeLimit).
func limits(s string) []TimeLimit {
	// loose are the bounds without 内 whose clause names no delivery
	// (unbound): they count only where the text states no other limit but
	// real time.
	var found, loose []TimeLimit
	add := func(l TimeLimit) {
		if !slices.ContainsFunc(found, func(f TimeLimit) bool { return f.Kind == l.Kind && f.N == l.N && f.Part == l.Part }) {
			found = append(found, l)
		}
	}
	// pushedRealTime is real time in a clause naming the delivery
	// (实时推送, 次工作日前推送, 当天更新); caseBounds and dataBounds are the
	// bounds standing in a clause naming another action (ofAnotherAction:
	// 1个月内办结) and in one naming the delivery or nothing (3天内推送,
	// 不超过3个工作日), and looseOfCase says which loose bounds are of
	// another action.
	var pushedRealTime bool
	var caseBounds, dataBounds []TimeLimit
	var looseOfCase []bool
	pushed := func(start, end int) bool {
		_, clause := clauseOf(s, start, end)
		return delivery.MatchString(clause)
	}
	for _, m := range nextWorkingDay.FindAllStringIndex(s, -1) {
		if !negated(s[:m[0]]) && !strings.HasPrefix(s[m[1]:], "性") {
			add(TimeLimit{Kind: LimitRealTime, Words: s[m[0]:m[1]]})
			pushedRealTime = pushedRealTime || pushed(m[0], m[1])
		}
	}
	rest := nextWorkingDay.ReplaceAllString(s, "　")
	for _, re := range []struct {
		re   *regexp.Regexp
		kind LimitKind
		per  int // of the kind's unit in the text's: a week is 7 days, a month 28, a year 365
		// part is the kind a part of the unit is read in, and partPer
		// how many of it the unit holds: half a day is 12 hours.
		// Without it a part is read in the kind, rounded down.
		part    LimitKind
		partPer int
		// span says a number of the unit may be the data's span or a
		// date of the calendar (spanOrDate): months and years.
		span bool
	}{{monthlyLimit, LimitMonthly, 1, "", 0, false}, {workingDayLimit, LimitWorkingDays, 1, "", 0, false},
		{dayLimit, LimitDays, 1, LimitHours, 24, false}, {weekLimit, LimitDays, 7, "", 0, false}, {hourLimit, LimitHours, 1, "", 0, false},
		{monthLimit, LimitDays, 28, "", 0, true}, {yearLimit, LimitDays, 365, "", 0, true}} {
		for _, m := range re.re.FindAllStringSubmatchIndex(rest, -1) {
			words, before := rest[m[0]:m[1]], rest[:m[0]]
			// num/den is the part of a unit after the whole number: a 半
			// alone or after it (半个月内, 1个半月内, 一年半内, 半天内,
			// 1个半小时内, 半个工作日内), or its decimals (1.5个月内, 一点五天内).
			number, n, num, den := "", 0, 0, 1
			halves, bare := m[4:], false
			if in := re.re.SubexpIndex("in"); in > 0 {
				if halves, bare = m[4:2*in], m[2*in] < 0; bare && !boundedBefore(before) {
					continue // 7×24小时, 每月3日
				}
			}
			if slices.ContainsFunc(halves, func(i int) bool { return i >= 0 }) {
				num, den = 1, 2
			}
			if m[2] >= 0 {
				number = rest[m[2]:m[3]]
				whole, digits, point := strings.Cut(number, ".")
				if !point {
					whole, digits, point = strings.Cut(number, "点")
					if point && (clockTime(before, whole) || strings.HasSuffix(before, ordinal)) {
						skip := len(whole) + len("点") // 第一点五天内, 下午三点五天内: 五天内
						before, words, number = rest[:m[0]+skip], words[skip:], digits
						whole, digits, point = digits, "", false
					}
					digits = chineseDecimals.Replace(digits)
				}
				if point {
					if num > 0 {
						continue // 1.5个半月内, 一点五个半工作日内
					}
					num, den = fraction(digits)
				}
				zero := strings.Trim(whole, "0零〇") == ""
				if n = text.ChineseNumber(whole); n == 0 && (!zero || !point || num == 0) {
					continue // 0个半月内, 0.0天内, 二廿日内, 二廿点五天内
				}
			}
			if negated(before) || re.kind != LimitMonthly && (precededByNumber(before) || cadence(before)) ||
				(re.span || number == "") && spanOrDate(before, number, words[len(number):]) {
				continue
			}
			if re.kind == LimitWorkingDays && strings.HasPrefix(rest[m[1]:], "内") {
				words += "内"
			}
			kind, per := re.kind, re.per
			if num > 0 && re.part != "" {
				kind, per = re.part, re.partPer
			}
			l := TimeLimit{Kind: kind, N: count(kind, n, num, den, per), Words: words, Part: num > 0 && per == 1}
			// A number of working days without 内 reads without a bound
			// (3个工作日推送), and reads as a bare bound of the other
			// units does: no limit after a keeping word, bound or not
			// (有效期3个工作日, as 有效期3天), and with a bound in a clause
			// naming no delivery only where the text states no other
			// limit but real time (实时推送，不超过3个工作日 is 3 working
			// days, as 实时推送，不超过3天 is 3 days: aim; 2个工作日内推送，
			// 不超过3个工作日 2 working days). Until 2026-12-06 only a bound was
			// kept and none unbound: 有效期3个工作日，当日推送 read 3
			// working days, and 实时推送，不超过3个工作日 stated two limits.
			// Without a bound, one its own clause names the delivery after
			// (有效期届满前3个工作日推送, 数据归档完成3个工作日推送) is the
			// delivery's, as it was until 2026-12-06: from d725464 until
			// this change (the same day) the keeping word made it none.
			open := re.kind == LimitWorkingDays && !withinNext.MatchString(rest[m[1]:])
			lead, clause := clauseOf(rest, m[0], m[1])
			// joined is the clause and those it continues into
			// (continued): 3日内办结、上传 names the delivery.
			joined := clause + continued(rest, m[0]+len(clause)-len(lead), m[1])
			ofCase := ofAnotherAction(lead, joined[len(lead):], rest[m[0]:m[1]])
			if bare || open {
				delivered := open && !boundedBefore(before) && delivery.MatchString(clause[len(lead)+m[1]-m[0]:])
				switch {
				case kept(lead) && !delivered:
					continue // 有效期不超过5年, 保存不超过30天, 有效期3个工作日
				case (bare || boundedBefore(before)) && unbound(lead, clause):
					loose, looseOfCase = append(loose, l), append(looseOfCase, ofCase)
					continue
				}
			}
			if ofCase {
				caseBounds = append(caseBounds, l)
			} else {
				dataBounds = append(dataBounds, l)
			}
			add(l)
		}
		rest = re.re.ReplaceAllString(rest, "　")
	}
	for _, w := range []string{"实时", "即时"} {
		if StatesWord(s, w) {
			add(TimeLimit{Kind: LimitRealTime, Words: w})
			for i := 0; ; {
				j := strings.Index(s[i:], w)
				if j < 0 {
					break
				}
				pushedRealTime = pushedRealTime || pushed(i+j, i+j+len(w))
				i += j + len(w)
			}
		}
	}
	// 当日 and 当天 naming the delivery are real time the delivery's
	// (当日推送，3日内办结), as 实时推送 is, before the bounds of another
	// action are taken out below; they are read as limits further on.
	if !statesCadence(s) {
		for _, m := range sameDayLimit.FindAllStringSubmatchIndex(s, -1) {
			if day := s[m[2]:m[3]]; day != "次日" && !negated(s[:m[0]]) {
				pushedRealTime = pushedRealTime || pushed(m[0], m[1])
			}
		}
	}
	// Real time the delivery's beside bounds of another action
	// (1个月内办结，实时推送): those bounds are the case's, not the data's,
	// and the delivery's limit is real time, or the data's bounds beside
	// them (实时推送，0.5个月内出具，发证后不超过三个工作日上传办理结果 is 3
	// working days). Until 2026-12-06 (fdc2b75) they were the bound real
	// time is the aim beside (aim), and until this change (the same day)
	// they were taken out only where no bound was the data's.
	if pushedRealTime {
		same := func(l TimeLimit) func(TimeLimit) bool {
			return func(f TimeLimit) bool { return f.Kind == l.Kind && f.N == l.N && f.Part == l.Part }
		}
		found = slices.DeleteFunc(found, func(l TimeLimit) bool {
			return slices.ContainsFunc(caseBounds, same(l)) && !slices.ContainsFunc(dataBounds, same(l))
		})
	}
	if StatesWord(s, "季度") {
		add(TimeLimit{Kind: LimitQuarterly, Words: "季度"})
	}
	// A part of one working day (半个工作日内) is a target beside 次日 as 当日
	// is (partOfOneWorkingDay).
	var target []TimeLimit
	if len(found) == 1 && found[0].partOfOneWorkingDay() {
		target, found = found, nil
	}
	// 当日, 当天 and 次日 count where the text states no other limit but
	// real time (sameDayLimit): beside 实时, 即时 or 次工作日 a 次日 is a
	// bound, which counts as a bound in hours does (aim: 实时推送，次日推送
	// and 实时推送，最迟次日推送 are 1 day, as 实时推送，12小时内 is 12 hours);
	// 当日 and 次日前 beside them are the same real time. Until 2026-12-06
	// they counted only where the text stated no other limit at all:
	// beside 实时 the 次日 was never read, and such a text read as real
	// time.
	realTime := func(l TimeLimit) bool { return l.Kind == LimitRealTime }
	if !slices.ContainsFunc(found, func(l TimeLimit) bool { return !realTime(l) }) && !statesCadence(s) {
		stated := len(found)
		for _, m := range sameDayLimit.FindAllStringSubmatchIndex(s, -1) {
			if negated(s[:m[0]]) {
				continue
			}
			day, bound := s[m[2]:m[3]], s[m[6]:m[7]]
			before := bound == "前" || bound == "之前" || bound == "以前"
			// By the next day's midnight (before its small hours, or at
			// it exactly) is by the end of the day: real time.
			byMidnight := m[4] >= 0 && (before && midnight.MatchString(s[m[4]:m[5]]) || exactMidnight.MatchString(s[m[4]:m[5]]))
			if day == "次日" && (m[4] < 0 && !before || m[4] >= 0 && !byMidnight) {
				add(TimeLimit{Kind: LimitDays, N: 1, Words: s[m[2]:max(m[3], m[5])]})
				continue
			}
			add(TimeLimit{Kind: LimitRealTime, Words: day})
			pushedRealTime = pushedRealTime || pushed(m[0], m[1])
		}
		// Same day and next day are a target and a latest bound
		// (当日更新，最迟次日推送, 当日或次日更新), and so are a part of one
		// working day and next day (半个工作日内推送，最迟次日推送): the bound,
		// laxer, counts.
		if days := found[stated:]; len(days) > 1 || len(target) > 0 && slices.ContainsFunc(days, func(l TimeLimit) bool { return !realTime(l) }) {
			found = found[:stated+len(slices.DeleteFunc(days, realTime))]
			target = nil
		}
	}
	if len(target) > 0 {
		found = target
	}
	if !slices.ContainsFunc(found, func(l TimeLimit) bool { return !aim(l) }) {
		for i, l := range loose {
			// 不得超过3天办结，当天更新 is 当天, real time: the bound is
			// the case's.
			if !(pushedRealTime && looseOfCase[i]) {
				add(l)
			}
		}
	}
	return found
}

// pushedBy is the delivery named right after real time (实时推送, 即时更新,
// 实时上传), or after a 前 ending it (次工作日前推送, whose 次工作日 is read
// first: until this change, 2026-12-06, 次工作日前推送 5日内办结 read as 5
// days).
var pushedBy = regexp.MustCompile(`^(?:前|之前|以前)?(?:` + deliveryWords + `)`)

// ofAnotherAction reports whether a bound (words), lead before it in its
// clause (clauseOf) and rest the clause from it on with those it continues
// into (continued), names an action other than the delivery: its own
// words, from the last real time (实时, 即时, 当日, 当天) or limit read (　)
// in lead on and past the delivery named right after it (pushedBy: 当日推送
// 3日内办结 is real time, as 当日推送，3日内办结 is; until this change,
// 2026-12-06, 当日 and 当天 were not passed and it read as 3 days), up to
// the next real time
// or limit read in rest (realTimeWord), name no delivery and, after the bound (within, 内, 之内, 以内, and
// limits read taken off), an action of handling a case (caseAction):
// 1个月内办结, 10个工作日内办理, 不得超过3天办结, 3日内完成审核,
// 实时推送如遇特殊情况3日内办结 (white space, which may have parted the
// clauses, is removed). Beside real time in a clause naming the delivery
// such a bound is the case's, how soon it is handled, not the data's
// (limits); one naming the delivery, nothing or any other word (3天内推送,
// 3个工作日内完成推送, 数据推送须在3日内完成, 原则上2个工作日内完成,
// 3日内上传, 3日内补传), or after 最迟 (latestWords: 最迟3天内办结, the
// bound the provider promises), is the data's. From 77b519e until this
// change (2026-12-06) any word after the bound but a delivery word was
// another action, and 3日内完成, 3日内上传 and 最迟3天内办结 beside 实时推送
// read as real time.
func ofAnotherAction(lead, rest, words string) bool {
	if at, _ := latestWord(lead); at >= 0 {
		return false
	}
	for _, w := range []string{"实时", "即时", "当日", "当天", "　"} {
		if i := strings.LastIndex(lead, w); i >= 0 {
			lead = lead[i+len(w):]
			lead = lead[len(pushedBy.FindString(lead)):]
		}
	}
	// A delivery before the 后 or 起 the bound counts from is that start,
	// not what the bound bounds (申请人提供全部材料后20个工作日内办结,
	// 自收到报送材料之日起十日内予以审核).
	if m := countedFrom.FindAllStringIndex(lead, -1); m != nil {
		for i := len(m) - 1; i >= 0; i-- {
			if w := lead[m[i][0]:m[i][1]]; w == "后" || w == "起" {
				lead = lead[m[i][1]:]
				break
			}
		}
	}
	after := strings.ReplaceAll(withinNext.ReplaceAllString(strings.TrimPrefix(rest, words), ""), "　", "")
	own := strings.TrimPrefix(rest, words)
	if i := realTimeWord.FindStringIndex(own); i != nil {
		own = own[:i[0]]
	}
	return caseAction.MatchString(after) && !delivery.MatchString(lead+own)
}

// countedFrom is a 后 or 起 a bound counts from (ofAnotherAction), or a
// word holding one that is no start: 后台, 后续, 最后, 然后, 发起
// (上传至后台3日内审核 beside 实时推送 is 3 days; for part of 2026-12-06 the
// lead was cut at any 后 or 起, and it read as real time).
var countedFrom = regexp.MustCompile(`[最然]?后[台续]?|发?起`)

// realTimeWord is a word of real time (实时, 即时, 当日, 当天) or a limit
// read (　) after a bound in its clause: the bound's own words end before
// it (ofAnotherAction), so that the delivery real time names is not the
// bound's (3日内办结 实时推送, whose white space is removed, is real time;
// until this change, 2026-12-06, 3 days).
var realTimeWord = regexp.MustCompile(`实时|即时|当日|当天|　`)

// caseAction is a verb of handling a case, the closed list of the actions
// other than the delivery a bound may be of (ofAnotherAction): 办结, 办理,
// 审批, 审核, 受理, 答复, 批准, 审结, 签发, 出具 …, and 作出 (做出) a
// 决定 within a few characters (作出行政许可决定), right after the bound
// and a 前 (之前, 以前) after it, alone or after 完成, 予以, 进行 or 依法
// (3个工作日内完成审核, 5个工作日内依法予以受理, 3个工作日前办结). Any
// other word, a bare 完成 (which completes the delivery the text names),
// 上传, 发布, 补传, is no other action, and so is a delivery of a case's
// words (3日内上传办理结果, 3日内发布审批结果, 3日内送达受理回执): until
// 2026-12-06 a verb of the list anywhere after the bound counted, and
// these read as real time. 准予 (准予注册, 准予登记) is one, and after 完成
// a few words of the case may stand before the verb (5个工作日内完成机动车登记审查):
// until this change (the same day) they were not, and such a bound beside
// real time was the data's. So are the forms of the law's texts: 作出…决定
// with an object of up to 12 characters (作出批准或者不予批准的决定), 发给 a
// licence (发给《医疗器械生产许可证》, 发给医疗器械经营许可证: a book title
// or a 许可证, 执照, 证书, 登记证 or 批准文件 within 14 characters), and an
// action after 依照, 依据, 根据 or 按照 …规定 (标准), 对…进行 or 向 the
// applicant (申请人, 当事人, 申请单位, 被许可人, 相对人) (依据本条例第八条的规定作出决定,
// 对提交的有关材料进行审查, 向申请人颁发…许可证): until 2026-12-06 such a
// bound beside real time was the data's, and legal-basis cells joined
// with 实时推送 were refused. 向 anyone else and 发给 anything else are
// no case's action, though a verb of one or a 证 stands in the object
// (3日内向数据中心发送核准信息, 3日内向社会公开审批结果, 3日内发给省数据中心电子证照信息,
// 3日内发给数据中心验证 beside 实时推送 are 3 days; for part of 2026-12-06
// 向 took up to 8 characters and 发给 any 证 within 16, and they read as
// real time).
var caseAction = regexp.MustCompile(`^(?:之前|以前|前)?(?:完成\p{Han}{0,6}?|予以|进行|依法|(?:依照|依据|根据|按照)\p{Han}{0,16}?(?:规定|标准)|对\p{Han}{0,12}?进行|向(?:申请人|当事人|申请单位|被许可人|相对人))*` +
	`(?:办结|办理|办完|办件|审批|审核|审查|审结|审定|审签|核对|校核|核查|核实|核准|核验|受理|答复|批复|批准|准予|核发|颁发|发证|签发|出具|` +
	`[作做]出\p{Han}{0,12}?决定|发给(?:申请人)?(?:《[^》]{1,20}》|\p{Han}{0,14}?(?:许可证|执照|证书|登记证|批准文件)))`)

// count is the N of a limit of kind reading whole and num/den of a unit
// of the text holding per of the kind's. A part is read in the unit below
// where the limit has one, rounded down, as the shortest reading of a
// month is: 1个半月 is 42 days, 半年 182, 半周 3, 半天 12 hours. A part of the
// limit's own unit (per 1: hours, working days, which have none below)
// counts as one more (1个半小时 is 2 hours): N is only compared with the
// rule's (Within2: 2 working days, 48 hours), and rounded down 48.5 hours
// would pass for 48; records never wait for N, only for the rule. A number
// above the longest limit (maxLimitDays, maxLimitHours) counts as that
// limit, so that bound cannot overflow.
func count(kind LimitKind, whole, num, den, per int) int {
	most := maxLimitDays
	if kind == LimitHours {
		most = maxLimitHours
	}
	part := num * per / den
	if per == 1 && num > 0 {
		part = 1
	}
	return min(min(whole, most)*per+part, most)
}

// fraction is the part of a unit the decimals after a point write
// (5: 5/10), at most nine of them: the rest, rounded down, is left out.
func fraction(decimals string) (num, den int) {
	decimals = decimals[:min(len(decimals), 9)]
	num, _ = strconv.Atoi(decimals)
	den = 1
	for range decimals {
		den *= 10
	}
	return num, den
}

// spanOrDate reports whether a number of months or years, its unit and
// after, is no limit: the span of the data, after 近 or 过去 (近三年内数据,
// 最近3个月内, 过去一年内), or a date of the calendar, a month after a year
// (每年3月内, 2025年6月内: within March, June), a year of four digits
// (2025年内: within 2025) or a half after 上, 下 or 前, or after 后 that
// follows a day, a week, a month or a year (上半年内, 每月下半月内, 每年前半年内,
// 每月后半月内, 上半天内, 每周后半周内: within the first half of the year, the
// second of the month); after any other 后 it is a span (办结后半月内:
// within half a month of it). A half alone (number "") of any unit is
// judged so.
func spanOrDate(before, number, unit string) bool {
	bare := !strings.HasPrefix(unit, "个") && !strings.HasPrefix(unit, "自然") // 3月内, 2025年内
	switch {
	case strings.HasSuffix(before, "近") || strings.HasSuffix(before, "过去"):
		return true
	case number == "" && (strings.HasSuffix(before, "上") || strings.HasSuffix(before, "下") || strings.HasSuffix(before, "前")):
		return true
	case number == "" && slices.ContainsFunc([]string{"日后", "天后", "周后", "星期后", "月后", "年后"},
		func(w string) bool { return strings.HasSuffix(before, w) }):
		return true
	case bare && strings.HasPrefix(unit, "月"):
		return strings.HasSuffix(before, "年")
	case bare:
		return len(number) == 4 && strings.Trim(number, "0123456789") == ""
	}
	return false
}

// notBeyond are words bounding a duration after them from above (不超过3天,
// 不晚于1周, 最长5日): it states a limit without 内 (within), as 3天内 does;
// until 2026-12-05 one needed 内. Without one a bare duration is none: 7×24
// 小时 is a service's hours, 每月3日 a day. Such a bound of a period of
// keeping is none (kept), and one whose clause names no delivery counts
// only where the text states no other limit (unbound).
var notBeyond = []string{"不超过", "不超出", "不多于", "不晚于", "不迟于", "不得超过", "不得超出", "不得晚于", "不得迟于",
	"不应超过", "不能超过", "最长", "至多"}

// boundedBefore reports whether the text before a number ends in a word
// of notBeyond.
func boundedBefore(before string) bool {
	return slices.ContainsFunc(notBeyond, func(w string) bool { return strings.HasSuffix(before, w) })
}

// keepingWords name a period data is kept or valid for (有效期, 保存, 保留,
// 留存, 存储 …), not how soon it is delivered: a bound after one in its
// clause (有效期不超过5年, 保存期限不超过30天) is no limit (kept). 期限 alone
// is not one of them: 推送期限不超过3天 is the delivery's.
var keepingWords = []string{"有效期", "使用期", "保存", "保留", "留存", "存储", "存放", "保管", "存档", "归档"}

// delivery is a word of delivery (deliveryWords): a clause naming one is
// about the delivery (unbound).
var delivery = regexp.MustCompile(deliveryWords)

// clauseOf returns the clause of s holding s[start:end], from the clause's
// beginning to start (lead) and whole (clause): a clause ends at
// punctuation, a line break or a bracket (clauseEnd).
func clauseOf(s string, start, end int) (lead, clause string) {
	from := 0
	if k := strings.LastIndexFunc(s[:start], clauseEnd); k >= 0 {
		_, n := utf8.DecodeRuneInString(s[k:])
		from = k + n
	}
	to := len(s)
	if k := strings.IndexFunc(s[end:], clauseEnd); k >= 0 {
		to = end + k
	}
	return s[from:start], s[from:to]
}

// continued returns the clauses of s a bound's clause, ending at end,
// continues into: where the bound, ending at boundEnd, ends its clause
// (自受理之日起60日内，作出准予登记的决定), the next clause, without the comma,
// which names what it bounds unless it names real time (realTimeWord:
// 3日内，实时推送); and those joined by 、 to the last of them (3日内办结、上传:
// 、上传), which name the actions of one list, so that the delivery among
// them is of the bound as in 3日内办结并上传 (ofAnotherAction, unbound).
func continued(s string, end, boundEnd int) string {
	from, to := end, end
	if withinNext.ReplaceAllString(s[boundEnd:end], "") == "" {
		for _, comma := range []string{"，", ","} {
			if next, ok := strings.CutPrefix(s[end:], comma); ok {
				if k := strings.IndexFunc(next, clauseEnd); k >= 0 {
					next = next[:k]
				}
				if !realTimeWord.MatchString(next) {
					from = end + len(comma)
					to = from + len(next)
				}
			}
		}
	}
	// A bracket parts no join (（3日内办结）并上传, 3日内办结（并上传）): the
	// clause goes on past it into the words 并 or 后 join to it.
	for {
		r, n := utf8.DecodeRuneInString(s[to:])
		if !strings.ContainsRune("（）()【】[]〔〕「」", r) || !joinedBy.MatchString(s[to+n:]) {
			break
		}
		to += n
		if k := strings.IndexFunc(s[to:], clauseEnd); k >= 0 {
			to += k
		} else {
			to = len(s)
		}
	}
	for strings.HasPrefix(s[to:], "、") {
		to += len("、")
		if k := strings.IndexFunc(s[to:], clauseEnd); k >= 0 {
			to += k
		} else {
			to = len(s)
		}
	}
	return s[from:to]
}

// joinedBy is a word joining what follows it to the action before it, a
// bracket between them (continued): 并, 后, 然后, 之后, 后续; not 并非 nor
// 后台 (实时推送（3日内办结）并非推送 is real time; for part of 2026-12-06
// they joined, and it read as 3 days).
var joinedBy = regexp.MustCompile(`^(?:并(?:[^非]|$)|然后|之后|后(?:[^台]|$))`)

// kept reports whether the lead of a bound's clause (clauseOf) names a
// period of keeping or validity (keepingWords): the bound is of it, not
// of the delivery (许可有效期至多3年，当日推送 is 当日, real time). A 后
// after the word makes it where the delivery's time starts, and the
// bound the delivery's (保存后不超过3天推送, 有效期变更后不超过3天推送).
func kept(lead string) bool {
	return slices.ContainsFunc(keepingWords, func(w string) bool {
		i := strings.LastIndex(lead, w)
		return i >= 0 && !strings.Contains(lead[i+len(w):], "后")
	})
}

// unbound reports whether a bound without 内 (notBeyond) is in a clause
// naming no delivery (delivery) and no 最迟 before it (latestWords): what it
// bounds is not said, and it counts only where the text states no other
// limit but real time (limits), so that it overrides no clause stating a
// bound: 2个工作日内推送，不超过3天 is 2 working days; beside real time it is
// the bound, real time the aim (aim: 实时推送，不超过3天 is 3 days, as
// 不超过3天 alone is; until 2026-12-06 it read as real time). After 最迟 it
// is the bound the provider promises, weighed as such beside another
// bound (latest: 2个工作日内推送，最迟不超过5天 is 5 days), and in a clause
// naming the delivery (数据产生后不超过3天推送) it counts as 3天内 would.
func unbound(lead, clause string) bool {
	at, _ := latestWord(lead)
	return at < 0 && !delivery.MatchString(clause)
}

// cadence reports whether the text before a number ends in 每 or 每隔: the
// number is of a cadence (每5个工作日更新一次), not a limit.
func cadence(before string) bool {
	return strings.HasSuffix(before, "每") || strings.HasSuffix(before, "每隔")
}

// precededByNumber reports whether the text before a number ends in one
// (a digit or a Chinese numeral the match left out), so that a number is
// read whole.
func precededByNumber(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(before)
	return numeralRune(r)
}

// numeralRune reports whether r is a character of a number
// (text.NumeralChars); full-width digits are narrowed first.
func numeralRune(r rune) bool {
	return strings.ContainsRune(text.NumeralChars, r)
}

// quarterlyHow says in messages how to ask for the quarterly exception.
const quarterlyHow = "确有特殊情况需延长更新时限的，须经政务数据主管部门（电子政务办）审核同意后按季度更新（每季度首月上旬）：" +
	"请将时效要求写为“每季度首月上旬更新”、更新周期改为“每季度”，并向政务数据主管部门申请，由其在该资源的报送时效规则中设定季度例外" +
	"（控制台“报送时效规则”，或 PUT /api/v1/records/entries/{id}/rule，rule 为 quarterly）"

// timeLimit refuses a 时效要求 promising a longer limit than the
// platform's timeliness rule allows (seed 001 七(四)), by which records
// pushed late are counted: real time for licences and documents
// (licenceBasis), which a part of one working day alone (半个工作日内) is
// within (WithinRealTime), 2 working days for other business data. The
// quarterly exception (每季度首月上旬) is asked for in the text and granted
// by the operator (records.SetRule); a text whose limit cannot be read
// (ReadTimeLimit) is not checked. A licence's 次日 (1 day) an edit keeps
// from the licence in force (keptTimeliness: validateKeepingIn, inForce)
// is not refused: until 2026-12-05 次日 read as real time, and until
// 2026-12-06 so did 实时推送，最迟次日推送 (limits), and 实时推送，次日推送 was
// accepted, real time and then no limit read (aim); an entry stored with
// any could not be edited, confirmed, approved or re-imported without
// changing it; records follow real time for it by default (records.ruleOf).
func (v *validator) timeLimit(r Resource) {
	l, ok := ReadTimeLimit(r.Timeliness)
	if !ok || l.Kind == LimitQuarterly {
		return
	}
	if r.Timeliness != "" && r.Timeliness == v.keptTimeliness && l.Kind == LimitDays && l.N == 1 &&
		strings.HasPrefix(l.Words, "次日") {
		return
	}
	stated := "“" + l.Words + "”"
	if l.Kind == LimitMonthly {
		stated = fmt.Sprintf("按月在次月%d日前更新（“%s”）", l.N, l.Words)
	}
	if why := licenceBasis(r); why != "" && !l.WithinRealTime() {
		v.add("timeliness", "timeliness_exceeds_rule", fmt.Sprintf(
			"时效要求“%s”写明的时限为%s，但该资源属电子证照、文书类（%s），按平台时效规则须实时更新（产生后次工作日前提供），"+
				"逾期按迟报计：请将时效要求改为“实时更新”或“产生后次工作日前推送”。%s", r.Timeliness, stated, why, quarterlyHow))
		return
	}
	if !l.Within2() {
		v.add("timeliness", "timeliness_exceeds_rule", fmt.Sprintf(
			"时效要求“%s”写明的时限为%s，超出平台时效规则：业务数据须在产生后2个工作日内更新，逾期按迟报计："+
				"请将时效要求改为2个工作日内或更短（如“业务办结后2个工作日内更新”）。%s", r.Timeliness, stated, quarterlyHow))
	}
}

// frequencyWords are the words a 时效要求 states an update frequency with.
// 实时 and 即时 are not among them: in a 时效要求 they say how soon data is
// pushed once produced (seed 000: 产生(或更新)后次工作日前提供; seed 001:
// 电子证照、文书类数据应当进行实时更新), which any update frequency allows — a
// licence issued on some days of the year (更新周期 每日 or 每年) is pushed in
// real time.
var frequencyWords = []struct {
	f     Frequency
	words []string
}{
	{"daily", []string{"每日", "每天", "按日", "逐日"}},
	{"weekly", []string{"每周", "每星期", "按周"}},
	{"monthly", []string{"每月", "按月"}},
	{"quarterly", []string{"每季", "按季"}},
	{"yearly", []string{"每年", "按年"}},
}

// statedFrequency returns the update frequency a 时效要求 text states, with
// the first word stating it, when it states exactly one: 每年3月底前更新
// states yearly. A text stating none (业务办结后2个工作日内更新, 实时推送: a push
// limit, not a frequency) or several (每月汇总更新，每年汇总年报: which applies to
// what cannot be told) states "". White space is ignored; a word counts where StatesWord says so.
func statedFrequency(text string) (Frequency, string) {
	text = strings.Join(strings.Fields(text), "")
	var found Frequency
	var word string
	for _, c := range frequencyWords {
		for _, w := range c.words {
			if !StatesWord(text, w) {
				continue
			}
			if found != "" && found != c.f {
				return "", ""
			}
			if found == "" {
				found, word = c.f, w
			}
		}
	}
	return found, word
}

// negations before a word say the text does not ask for it (无需实时推送,
// 非实时); checked longest first, so that 不要求 is one negation.
var negations = []string{"不需要", "不要求", "无需", "不需", "不必", "不", "无", "非"}

// StatesWord reports whether a 时效要求 text holds w somewhere it asks for
// it, as statedFrequency and records.CatalogRule read it. A word does not
// count
//   - after a number (12个工作日 does not state 2个工作日, nor 十二个工作日);
//   - after a negation, with or without 进行 between (非实时, 无需实时推送,
//     不要求实时, 无需进行实时更新);
//   - before 性: 实时性要求 names the requirement, the limit follows it
//     (实时性要求：5个工作日内 asks for 5 working days, not real time).
func StatesWord(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		before, after := text[:i+j], text[i+j+len(w):]
		if prev, _ := utf8.DecodeLastRuneInString(before); !unicode.IsDigit(prev) && prev != '十' &&
			!negated(before) && !strings.HasPrefix(after, "性") {
			return true
		}
		i += j + len(w)
	}
}

// negated reports whether the text before a word ends in a negation,
// possibly followed by 进行.
func negated(before string) bool {
	before = strings.TrimSuffix(before, "进行")
	return slices.ContainsFunc(negations, func(n string) bool { return strings.HasSuffix(before, n) })
}

func (v *validator) misc(r Resource) {
	if r.SecurityLevel < 1 || r.SecurityLevel > 4 {
		v.add("security_level", "invalid_security_level", "安全级别应为1至4级")
	}
	switch {
	case !networkZones.has(string(r.NetworkZone)):
		v.add("network_zone", "invalid_network_zone", "网络环境应为互联网、政务外网或部门专网")
	case r.NetworkZone == "internet" && r.SecurityLevel == 4:
		v.add("network_zone", "inconsistent_network_zone", "安全级别为4级（数据泄露后会导致非常严重损害）的资源不能在互联网上产生或管理："+
			"请核实网络环境（政务外网或部门专网），或核实安全级别")
	}
	switch {
	case !domains.has(r.Domain):
		v.add("domain", "invalid_domain", "所属领域应为22个领域之一（代码01至22），其他领域填99并写明领域名称")
	case r.Domain == DomainOther && text.Blank(r.DomainOther):
		v.add("domain_other", "domain_other_required", "所属领域为“其他”时必须写明领域名称")
	case r.Domain != DomainOther && r.DomainOther != "":
		v.add("domain_other", "unexpected_domain_other", "只有所属领域为“其他”时才填写领域名称")
	}
	v.name1("domain_other", "领域名称", r.DomainOther, MaxOther, v.keptText["domain_other"][r.DomainOther])
	v.placeholder("domain_other", "领域名称", r.DomainOther)
	for i, s := range r.ServiceItems {
		f := fmt.Sprintf("service_items[%d].", i)
		if text.Blank(s.Name) {
			v.add(f+"name", "service_item_name_required", "关联政务服务事项的名称不能为空")
		}
		v.name1(f+"name", "关联政务服务事项名称", s.Name, MaxServiceName, v.keptText["service_items"][s.Name])
		v.placeholder(f+"name", "关联政务服务事项名称", s.Name)
		if s.Code != "" && !serviceCode.MatchString(s.Code) && text.Plain(s.Code, false) {
			v.add(f+"code", "invalid_service_item_code", "关联政务服务事项代码只能由字母、数字和 . _ - 组成："+s.Code)
		}
		v.text(f+"code", "关联政务服务事项代码", s.Code, MaxServiceCode, false)
	}
	for i, c := range r.RelatedCodes {
		f := fmt.Sprintf("related_codes[%d]", i)
		switch {
		case utf8.RuneCountInString(c) > MaxRelatedCode:
			v.add(f, "too_long", fmt.Sprintf("关联资源代码不能超过 %d 个字符", MaxRelatedCode))
		case codeForm.MatchString(c) && !ValidCode(c):
			v.add(f, "invalid_related_code", "关联资源代码的分类码 "+codeClass(c)+
				" 不存在：分类码以类代码 1（基础信息资源）、2（主题信息资源）或 3（部门信息资源）开头："+c)
		case !ValidCode(c):
			v.add(f, "invalid_related_code", "关联资源代码格式应为“分类码/顺序码”，如 301001/000001："+c)
		case slices.Index(r.RelatedCodes, c) < i:
			v.add(f, "duplicate_related_code", "关联资源代码重复："+c)
		}
	}
}

// clone returns a copy of r that shares no slices with it.
func (r Resource) clone() Resource {
	r.Items = slices.Clone(r.Items)
	r.ShareMethods = slices.Clone(r.ShareMethods)
	r.ServiceItems = slices.Clone(r.ServiceItems)
	r.RelatedCodes = slices.Clone(r.RelatedCodes)
	return r
}

package catalog

import (
	"encoding/json"
	"strings"
)

// Option is one allowed value of a coded field: the code stored and sent
// over the API, and its Chinese label as printed in the compilation guide.
type Option struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

type vocab []Option

func (v vocab) label(code string) string {
	for _, o := range v {
		if o.Code == code {
			return o.Label
		}
	}
	return ""
}

func (v vocab) has(code string) bool { return v.label(code) != "" }

// lookup accepts a code or a label, ignoring surrounding spaces and the
// case of codes.
func (v vocab) lookup(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, o := range v {
		if strings.EqualFold(o.Code, s) || o.Label == s {
			return o.Code, true
		}
	}
	return "", false
}

// Class is the catalog class (类) of an entry.
type Class string

const (
	Basic        Class = "basic"        // 基础信息资源
	Thematic     Class = "thematic"     // 主题信息资源
	Departmental Class = "departmental" // 部门信息资源
)

var classes = vocab{{"basic", "基础信息资源"}, {"thematic", "主题信息资源"}, {"departmental", "部门信息资源"}}

// classDigits is the first digit of the classification code per class.
var classDigits = map[Class]string{Basic: "1", Thematic: "2", Departmental: "3"}

// basicCategories are the 项 of the basic class fixed by the 2017 guide.
var basicCategories = vocab{{"01", "人口"}, {"02", "法人"}, {"03", "自然资源和空间地理"}, {"04", "社会信用"}, {"05", "电子证照"}}

// Label is the Chinese name of the class.
func (c Class) Label() string { return classes.label(string(c)) }

// Format is the format class (信息资源格式) of an entry.
type Format string

var formats = vocab{
	{"electronic_file", "电子文件"}, {"spreadsheet", "电子表格"}, {"database", "数据库"},
	{"image", "图形图像"}, {"streaming", "流媒体"}, {"self_describing", "自描述格式"}, {"service_api", "服务接口"},
}

// Label is the Chinese name of the format class.
func (f Format) Label() string { return formats.label(string(f)) }

// DataType is the type of a data item (GB/T 21063 / 2017 guide letters).
type DataType string

var dataTypes = vocab{
	{"C", "字符型"}, {"N", "数值型"}, {"Y", "货币型"}, {"D", "日期型"}, {"T", "日期时间型"}, {"L", "逻辑型"},
	{"M", "备注型"}, {"G", "通用型"}, {"B", "双精度型"}, {"I", "整型"}, {"F", "浮点型"},
}

// Label is the Chinese name of the data type.
func (t DataType) Label() string { return dataTypes.label(string(t)) }

// ShareType is the share type (共享类型).
type ShareType string

const (
	Unconditional ShareType = "unconditional"
	Conditional   ShareType = "conditional"
	NotShared     ShareType = "none"
)

var shareTypes = vocab{{"unconditional", "无条件共享"}, {"conditional", "有条件共享"}, {"none", "不予共享"}}

// Label is the Chinese name of the share type.
func (t ShareType) Label() string { return shareTypes.label(string(t)) }

// ShareMethod is one way the data is provided (共享方式).
type ShareMethod string

var shareMethods = vocab{{"query", "信息查询接口"}, {"verify", "信息核验接口"}, {"batch", "批量库表交换"}, {"file", "文件下载交换"}}

// Label is the Chinese name of the share method.
func (m ShareMethod) Label() string { return shareMethods.label(string(m)) }

// ShareMethods are an entry's share methods: none when it is not shared.
type ShareMethods []ShareMethod

// MarshalJSON writes none as [], never null, so that every answer
// carrying an entry's share methods (and every stored version) has a list.
func (ms ShareMethods) MarshalJSON() ([]byte, error) {
	if ms == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]ShareMethod(ms))
}

// methodBits packs share methods into the integer stored for facets.
func methodBits(ms []ShareMethod) int {
	bits := 0
	for i, o := range shareMethods {
		for _, m := range ms {
			if string(m) == o.Code {
				bits |= 1 << i
			}
		}
	}
	return bits
}

// OpenAttribute says whether the data is open to the public (开放属性).
type OpenAttribute string

const (
	Open            OpenAttribute = "open"
	OpenConditional OpenAttribute = "conditional"
	NotOpen         OpenAttribute = "closed"
)

var openAttributes = vocab{{"open", "无条件开放"}, {"conditional", "有条件开放"}, {"closed", "不予开放"}}

// Label is the Chinese name of the open attribute.
func (o OpenAttribute) Label() string { return openAttributes.label(string(o)) }

// Frequency is the update frequency (更新周期).
type Frequency string

// FrequencyOther needs a free-text description such as 每三年.
const FrequencyOther Frequency = "other"

var frequencies = vocab{
	{"realtime", "实时"}, {"daily", "每日"}, {"weekly", "每周"}, {"monthly", "每月"},
	{"quarterly", "每季度"}, {"yearly", "每年"}, {"other", "其他"},
}

// Label is the Chinese name of the update frequency.
func (f Frequency) Label() string { return frequencies.label(string(f)) }

// NetworkZone is the network the data is produced or managed in.
type NetworkZone string

var networkZones = vocab{{"internet", "互联网"}, {"egov_extranet", "政务外网"}, {"dept_private", "部门专网"}}

// Label is the Chinese name of the network zone.
func (z NetworkZone) Label() string { return networkZones.label(string(z)) }

// DomainOther is the domain code that needs a free-text domain.
const DomainOther = "99"

// domains are the 22 domains (所属领域) of seed 002, in its order, plus 其他.
var domains = vocab{
	{"01", "科学技术创新"}, {"02", "商贸流通"}, {"03", "社会救助"}, {"04", "城建住房"}, {"05", "教育文化"},
	{"06", "工业农业"}, {"07", "机构团体"}, {"08", "地理空间"}, {"09", "资源能源"}, {"10", "市场监管"},
	{"11", "生活服务"}, {"12", "生态环境"}, {"13", "交通运输"}, {"14", "安全生产"}, {"15", "社保就业"},
	{"16", "医疗卫生"}, {"17", "信用服务"}, {"18", "公共安全"}, {"19", "财税金融"}, {"20", "气象服务"},
	{"21", "法律服务"}, {"22", "新冠疫苗"}, {DomainOther, "其他"},
}

// SubjectKind says whose data an entry holds: a personal data table, an
// enterprise (legal entity) data table, or neither.
type SubjectKind string

const (
	Person      SubjectKind = "person"
	LegalEntity SubjectKind = "legal_entity"
	NoSubject   SubjectKind = "none"
)

var subjectKinds = vocab{{"person", "自然人"}, {"legal_entity", "法人和其他组织"}, {"none", "不涉及"}}

// Label is the Chinese name of the subject kind.
func (k SubjectKind) Label() string { return subjectKinds.label(string(k)) }

// vocabularies maps the JSON name of each coded field to its values.
var vocabularies = map[string]vocab{
	"class": classes, "format": formats, "data_type": dataTypes, "share_type": shareTypes,
	"share_methods": shareMethods, "open_attribute": openAttributes, "update_frequency": frequencies,
	"network_zone": networkZones, "domain": domains, "subject_kind": subjectKinds,
	"basic_category": basicCategories,
}

// Vocabulary returns the allowed values of a coded field, named as in the
// JSON form of Resource (class, format, data_type, share_type,
// share_methods, open_attribute, update_frequency, network_zone, domain,
// subject_kind, basic_category), or nil for an unknown field. The web
// console fills its selects from it.
func Vocabulary(field string) []Option {
	return append([]Option(nil), vocabularies[field]...)
}

// Lookup finds the code of a coded field's value given either its code or
// its Chinese label (e.g. Lookup("share_type", "有条件共享") = "conditional").
// Imports use it to read values as offices write them.
func Lookup(field, value string) (string, bool) {
	return vocabularies[field].lookup(value)
}

// Label returns the Chinese label of a code of a coded field, or "".
func Label(field, code string) string {
	return vocabularies[field].label(code)
}

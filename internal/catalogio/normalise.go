package catalogio

import (
	"errors"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/text"
)

// Normalisation of the values offices and open-data portals write. Each
// function takes a cleaned cell and returns the catalog code; ok is false
// when the value is not understood (the row then needs a fix).

const anySep = "、,，;；|\n\r\t"

// coded looks a value up in a catalog vocabulary by code or label, then in
// synonyms (folded), then by the first keyword it contains.
func coded(field, v string, syn map[string]string, keywords [][2]string) (string, bool) {
	if c, ok := catalog.Lookup(field, v); ok {
		return c, true
	}
	f := fold(v)
	if c, ok := syn[f]; ok {
		return c, true
	}
	for _, kw := range keywords {
		if strings.Contains(f, kw[0]) {
			return kw[1], true
		}
	}
	return "", false
}

var classSyn = map[string]string{"基础": "basic", "基础类": "basic", "基础资源": "basic", "主题": "thematic",
	"主题类": "thematic", "主题资源": "thematic", "部门": "departmental", "部门类": "departmental", "部门资源": "departmental",
	"1": "basic", "2": "thematic", "3": "departmental"}

var classKeywords = [][2]string{{"基础", "basic"}, {"主题", "thematic"}, {"部门", "departmental"}}

// formatSyn maps file extensions and words to format classes.
var formatSyn = map[string]string{
	"xls": "spreadsheet", "xlsx": "spreadsheet", "csv": "spreadsheet", "et": "spreadsheet", "ods": "spreadsheet",
	"表格": "spreadsheet", "excel": "spreadsheet", "电子表格": "spreadsheet",
	"file": "electronic_file", "doc": "electronic_file", "docx": "electronic_file", "pdf": "electronic_file",
	"txt": "electronic_file", "wps": "electronic_file", "ofd": "electronic_file", "rar": "electronic_file",
	"zip": "electronic_file", "文件": "electronic_file", "文档": "electronic_file", "电子文件": "electronic_file",
	"api": "service_api", "接口": "service_api", "服务": "service_api", "rest": "service_api", "restful": "service_api",
	"webservice": "service_api", "wms": "service_api", "wfs": "service_api", "服务接口": "service_api",
	"json": "self_describing", "xml": "self_describing", "rdf": "self_describing", "geojson": "self_describing",
	"jpg": "image", "jpeg": "image", "png": "image", "gif": "image", "tif": "image", "tiff": "image", "bmp": "image",
	"shp": "image", "图片": "image", "图像": "image", "地图": "image",
	"mp4": "streaming", "flv": "streaming", "avi": "streaming", "mp3": "streaming", "视频": "streaming",
	"音频": "streaming", "db": "database", "数据库": "database", "mdb": "database", "dbf": "database",
	"sql": "database", "库表": "database", "mysql": "database", "oracle": "database", "sqlserver": "database",
	"postgresql": "database", "db数据库": "database", "数据库表": "database",
}

// formatPriority orders the format classes for a cell that lists formats
// of several: the most structured form a resource is offered in says what
// it is (a table offered as xls, csv, json and xml is a spreadsheet; an API
// that also offers a PDF manual is a service interface).
var formatPriority = []string{"database", "spreadsheet", "self_describing", "service_api", "electronic_file", "image", "streaming"}

// normFormat maps one or several format words ("xls|xlsx|csv") to one
// class: of the classes the words it understands name, the first in
// formatPriority, so that the order of the words does not matter. several
// reports words of more than one class, of which one is kept.
func normFormat(v string) (code string, several, ok bool) {
	if c, ok := catalog.Lookup("format", v); ok {
		return c, false, true
	}
	found := map[string]bool{}
	for _, p := range catalog.SplitList(v, anySep+"/ ") {
		if c, ok := catalog.Lookup("format", p); ok {
			found[c] = true
		} else if c, ok := formatSyn[fold(strings.TrimPrefix(p, "."))]; ok {
			found[c] = true
		}
	}
	for _, c := range formatPriority {
		if found[c] {
			return c, len(found) > 1, true
		}
	}
	return "", false, false
}

// shareTypeSyn reads the share types as offices write them. 非受限共享 and
// 受限共享 are the wording of Hangzhou's measures (seed 001 七(二)–(五): 在目录
// 系统中注册受限或非受限共享数据目录), which the compilation guide calls
// 无条件共享 and 有条件共享: a 受限 entry is used on the provider's review.
var shareTypeSyn = map[string]string{"无条件": "unconditional", "无条件共享类": "unconditional", "可共享": "unconditional",
	"非受限共享": "unconditional", "非受限共享类": "unconditional", "非受限": "unconditional",
	"有条件": "conditional", "有条件共享类": "conditional", "依申请共享": "conditional",
	"受限共享": "conditional", "受限共享类": "conditional", "受限": "conditional",
	"不予共享": "none", "不共享": "none", "不予": "none", "不予共享类": "none", "非共享": "none"}

// methodSyn reads the share methods as offices write them. An interface
// named by nothing but being one (接口, API, 服务接口) is none of them: it may
// be a query or a verification interface (methodAmbiguous).
var methodSyn = map[string]string{"查询": "query", "接口查询": "query", "信息查询": "query", "查询接口": "query", "在线查询": "query",
	"核验": "verify", "核查": "verify", "比对": "verify", "验证": "verify", "核验接口": "verify", "信息核验": "verify",
	"批量": "batch", "库表": "batch", "库表交换": "batch", "批量交换": "batch", "数据库交换": "batch", "批量库表": "batch",
	"文件": "file", "下载": "file", "文件下载": "file", "文件交换": "file", "文件下载交换": "file"}

// methodAmbiguous are share methods that could mean several, each with the
// codes it could mean: an error of the row naming them (ambiguous_value),
// never guessed.
var methodAmbiguous = map[string][]string{"接口": {"query", "verify"}, "api": {"query", "verify"},
	"服务接口": {"query", "verify"}, "数据接口": {"query", "verify"}}

var openSyn = map[string]string{
	"开放": "open", "无条件": "open", "普遍开放": "open", "完全开放": "open", "公开": "open", "无条件公开": "open",
	"无条件开发": "open", "主动公开": "open",
	"有条件": "conditional", "有条件开发": "conditional", "依申请开放": "conditional", "申请开放": "conditional",
	"依申请公开": "conditional", "安全开放": "conditional", "有条件公开": "conditional", "授权开放": "conditional",
	"不予开放": "closed", "不开放": "closed", "不公开": "closed", "非开放": "closed", "禁止开放": "closed",
	"不予公开": "closed", "否": "closed",
}

// openConditionWords are open-attribute values that say what the condition
// is; they become the 开放条件 when none is given.
var openConditionWords = map[string]bool{"依申请开放": true, "申请开放": true, "依申请公开": true, "安全开放": true,
	"授权开放": true}

var openKeywords = [][2]string{{"注册", "conditional"}, {"申请", "conditional"}, {"授权", "conditional"}}

// openNegation finds a phrase that says a resource is not open: 不开放,
// 不予开放, 不公开, 禁止开放, 暂不开放, 不对外开放, 非开放, 未开放.
var openNegation = regexp.MustCompile(`(不予|不对外|不对社会|不向社会|暂不|禁止|不得|不|非|未)(开放|公开)`)

// openFault says why normOpen could not read a value.
type openFault int

const (
	openUnknown   openFault = iota
	openAmbiguous           // says both not open and open: 部分开放、部分不开放
	openShareType           // a share type: 无条件共享, 依申请共享, 不予共享
	openYes                 // 是: open, but not whether on conditions
)

// openFaultMessage is the row's error for a value normOpen could not read,
// with its code.
func openFaultMessage(v string, fault openFault) (code, msg string) {
	const write = "请填写无条件开放、有条件开放或不予开放之一"
	switch fault {
	case openAmbiguous:
		return "ambiguous_value", "开放属性“" + v + "”既说不开放又说开放，无法确定；" + write
	case openShareType:
		return "unknown_value", "开放属性“" + v + "”是共享属性（政务部门之间共享），不是开放属性（向社会开放）：" +
			"共享类型请填在共享类型列；开放属性" + write
	case openYes:
		return "ambiguous_value", "开放属性“" + v + "”只说向社会开放，可能是无条件开放或有条件开放，无法确定是哪一个；" + write
	}
	return "unknown_value", "开放属性“" + v + "”无法识别，应为无条件开放、有条件开放或不予开放"
}

// normOpen reads an open attribute: a code or label, a synonym, else a
// value that says the resource is not open is 不予开放, whatever else it
// says of applying, registering or authorising (不开放，可依申请共享 shares
// on request but is not open; 不予开放（不受理申请）): the keywords of a
// condition never outweigh a negation. One that also says opening outside
// its negations (部分开放、部分不开放) is ambiguous. A share type (无条件共享,
// 依申请共享: it speaks of sharing and not of opening) says how departments
// share the resource, not whether the public may have it, and is refused,
// as is 是 (open, but 无条件 or 有条件?); 否 is 不予开放. Else a keyword of a
// condition (实名注册用户可下载) makes it 有条件开放.
func normOpen(v string) (code string, fault openFault, ok bool) {
	if c, ok := catalog.Lookup("open_attribute", v); ok {
		return c, openUnknown, true
	}
	f := fold(v)
	if c, ok := openSyn[f]; ok {
		return c, openUnknown, true
	}
	opening := strings.Contains(f, "开放") || strings.Contains(f, "公开")
	switch {
	case f == "是":
		return "", openYes, false
	case strings.Contains(f, "共享") && !opening:
		return "", openShareType, false
	case openNegation.MatchString(f):
		rest := openNegation.ReplaceAllString(f, "")
		if strings.Contains(rest, "开放") || strings.Contains(rest, "公开") {
			return "", openAmbiguous, false
		}
		return string(catalog.NotOpen), openUnknown, true
	}
	c, ok := coded("open_attribute", v, nil, openKeywords)
	return c, openUnknown, ok
}

// frequencyWords are the update frequencies written in real catalogs.
var frequencyWords = map[string]string{
	"实时": "realtime", "实时更新": "realtime", "实时推送": "realtime", "即时": "realtime", "实时同步": "realtime",
	"每天": "daily", "每日": "daily", "日": "daily", "天": "daily", "日更新": "daily", "按日": "daily",
	"按日更新": "daily", "每日更新": "daily", "每天更新": "daily", "日更": "daily", "按天": "daily", "daily": "daily",
	"每周": "weekly", "周": "weekly", "按周": "weekly", "周更新": "weekly", "每周更新": "weekly", "按周更新": "weekly",
	"每星期": "weekly", "weekly": "weekly",
	"每月": "monthly", "月": "monthly", "月度": "monthly", "按月": "monthly", "月更新": "monthly", "按月更新": "monthly",
	"每月更新": "monthly", "monthly": "monthly",
	"每季度": "quarterly", "季度": "quarterly", "季": "quarterly", "每季": "quarterly", "按季": "quarterly",
	"按季度": "quarterly", "季更新": "quarterly", "季度更新": "quarterly", "按季度更新": "quarterly", "quarterly": "quarterly",
	"每季度更新": "quarterly", "每季更新": "quarterly", "按季更新": "quarterly",
	"每年": "yearly", "年": "yearly", "年度": "yearly", "按年": "yearly", "按年更新": "yearly", "年更新": "yearly",
	"每年更新": "yearly", "每一年": "yearly", "yearly": "yearly", "annually": "yearly",
}

// frequencyOther are values that are a frequency but none of the fixed
// ones: they become 其他 with a description.
var frequencyOther = map[string]string{
	"每半年": "每半年", "半年": "每半年", "半年度": "每半年", "按半年": "每半年", "半年更新": "每半年", "每半年更新": "每半年",
	"不定期": "不定期", "不定时": "不定期", "不定期更新": "不定期", "按需": "按需更新", "按需更新": "按需更新",
	"每两年": "每两年", "两年": "每两年", "每三年": "每三年", "一次性": "一次性", "静态": "不更新", "不更新": "不更新",
	"历史数据": "不更新",
}

var everyN = regexp.MustCompile(`^每\s*([0-9一二两三四五六七八九十]+)\s*(日|天|周|个月|月|季度|年)$`)

// normFrequency returns the frequency code and, for 其他, its description.
func normFrequency(v string) (code, other string, ok bool) {
	if c, ok := catalog.Lookup("update_frequency", v); ok {
		return c, "", true
	}
	f := fold(v)
	if c, ok := frequencyWords[f]; ok {
		return c, "", true
	}
	if o, ok := frequencyOther[f]; ok {
		return string(catalog.FrequencyOther), o, true
	}
	if m := everyN.FindStringSubmatch(strings.TrimSpace(v)); m != nil {
		unit := strings.TrimPrefix(m[2], "个")
		if unit == "天" {
			unit = "日"
		}
		if c, ok := everyNFixed[unit][text.ChineseNumber(m[1])]; ok {
			return c, "", true
		}
		return string(catalog.FrequencyOther), "每" + m[1] + m[2], true
	}
	return "", "", false
}

// everyNFixed are the "every N units" that are a fixed frequency: 每 3 月 is
// 每季度, 每 7 日 每周, 每 12 个月 每年.
var everyNFixed = map[string]map[int]string{
	"日":  {1: "daily", 7: "weekly"},
	"周":  {1: "weekly"},
	"月":  {1: "monthly", 3: "quarterly", 12: "yearly"},
	"季度": {1: "quarterly", 4: "yearly"},
	"年":  {1: "yearly"},
}

var levelSyn = map[string]int{"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}

// normLevel reads 3, 三级, 第三级, 3级, L3.
func normLevel(v string) (int, bool) {
	s := strings.TrimSpace(v)
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(s, "第"), "L"), "l")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "级"), ".0")
	n, ok := levelSyn[s]
	return n, ok
}

var zoneSyn = map[string]string{"外网": "internet", "公网": "internet", "internet": "internet",
	"电子政务外网": "egov_extranet", "政务网": "egov_extranet", "外网政务": "egov_extranet",
	"专网": "dept_private", "业务专网": "dept_private", "部门业务专网": "dept_private", "内网": "dept_private"}

var zoneKeywords = [][2]string{{"政务外网", "egov_extranet"}, {"专网", "dept_private"}, {"互联网", "internet"}}

// domainKeywords map words in a domain to one of the 22 domains.
var domainKeywords = [][2]string{
	{"市场监", "10"}, {"工商", "10"}, {"质监", "10"}, {"食品药品", "10"},
	{"疫苗", "22"}, {"新冠", "22"}, {"气象", "20"},
	{"科技", "01"}, {"科学", "01"}, {"创新", "01"},
	{"商贸", "02"}, {"经贸", "02"}, {"贸易", "02"}, {"商务", "02"}, {"流通", "02"}, {"商业", "02"},
	{"救助", "03"}, {"民政", "03"}, {"扶贫", "03"}, {"慈善", "03"},
	{"城建", "04"}, {"城市建设", "04"}, {"城乡", "04"}, {"住房", "04"}, {"住建", "04"}, {"城乡建设", "04"}, {"房产", "04"}, {"城市管理", "04"},
	{"教育", "05"}, {"文化", "05"}, {"旅游", "05"}, {"体育", "05"}, {"文旅", "05"},
	{"工业", "06"}, {"农业", "06"}, {"农村", "06"}, {"林业", "06"}, {"畜牧", "06"}, {"渔业", "06"},
	{"机构", "07"}, {"团体", "07"}, {"社会组织", "07"},
	{"地理", "08"}, {"测绘", "08"}, {"空间", "08"},
	{"人力资源", "15"}, {"社会保障", "15"}, {"资源", "09"}, {"能源", "09"}, {"水利", "09"}, {"国土", "09"},
	{"生活", "11"}, {"消费", "11"},
	{"生态", "12"}, {"环境", "12"}, {"环保", "12"},
	{"交通", "13"}, {"运输", "13"}, {"出行", "13"},
	{"安全生产", "14"}, {"应急", "14"},
	{"社保", "15"}, {"就业", "15"}, {"社会保障", "15"}, {"人社", "15"}, {"劳动", "15"}, {"人力资源", "15"},
	{"医疗", "16"}, {"卫生", "16"}, {"卫健", "16"}, {"健康", "16"}, {"医保", "16"},
	{"信用", "17"},
	{"公共安全", "18"}, {"公安", "18"}, {"治安", "18"}, {"消防", "18"},
	{"财税", "19"}, {"财政", "19"}, {"税务", "19"}, {"金融", "19"}, {"税收", "19"},
	{"法律", "21"}, {"司法", "21"}, {"法治", "21"},
}

// domainSep separates the values of a domain cell that lists several
// (金融财税，工业商贸 or 公共服务|信用体系). 、 and spaces do not: 工业、交通 and
// 气象 水文 测绘 地震 are each one domain name of a portal.
const domainSep = ",，;；|\n\r"

// normDomain maps a domain cell to one of the 22 domains or 其他 (99): the
// first of its values that maps to one, by code or label, else by its
// keywords (卫生健康 is 医疗卫生). several reports a cell of more than one
// value, of which one is kept. ok is false when no value maps: an unknown
// domain is an error of its row (issue 3's bad input), not 其他 with the
// value as its description, which the file says with 其他 and 领域名称.
// A value whose keywords name two domains or more (资源环境: 资源能源 or
// 生态环境) could mean any of them: ok is false and candidates lists them,
// in the order of the value, for the row's error; no domain is guessed.
func normDomain(v string) (code string, candidates []string, several, ok bool) {
	if c, ok := catalog.Lookup("domain", v); ok {
		return c, nil, false, true
	}
	values := catalog.SplitList(v, domainSep)
	for _, p := range values {
		if c, ok := catalog.Lookup("domain", p); ok {
			return c, nil, len(values) > 1, true
		}
		switch codes := domainsOfKeywords(fold(p)); len(codes) {
		case 0:
		case 1:
			return codes[0], nil, len(values) > 1, true
		default:
			return "", codes, len(values) > 1, false
		}
	}
	return "", nil, false, false
}

// domainsOfKeywords returns the domains of the keywords found in f, each
// once, in the order in which they first appear; a keyword within a longer
// one found (资源 in 人力资源) is not counted.
func domainsOfKeywords(f string) []string { return codesOfKeywords(f, domainKeywords) }

// codedOne reads a coded field as coded does, but by all the keywords a
// value contains: when they name more than one code (自然人、法人; 互联网、
// 政务外网), ok is false and candidates lists them, in the order of the
// value, for the row's error (ambiguous_value); no code is guessed.
func codedOne(field, v string, syn map[string]string, keywords [][2]string) (code string, candidates []string, ok bool) {
	if c, ok := catalog.Lookup(field, v); ok {
		return c, nil, true
	}
	if c, ok := syn[fold(v)]; ok {
		return c, nil, true
	}
	switch codes := codesOfKeywords(fold(v), keywords); len(codes) {
	case 0:
		return "", nil, false
	case 1:
		return codes[0], nil, true
	default:
		return "", codes, false
	}
}

// codesOfKeywords returns the codes of the keywords found in f, each once,
// in the order in which they first appear; a keyword within a longer one
// found is not counted.
func codesOfKeywords(f string, keywords [][2]string) []string {
	type match struct {
		at, end int
		code    string
	}
	var found []match
	for _, kw := range keywords {
		for from := 0; ; {
			i := strings.Index(f[from:], kw[0])
			if i < 0 {
				break
			}
			at := from + i
			found = append(found, match{at, at + len(kw[0]), kw[1]})
			from = at + len(kw[0])
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].at < found[j].at })
	var codes []string
	for _, m := range found {
		within := slices.ContainsFunc(found, func(o match) bool {
			return o.at <= m.at && m.end <= o.end && o.end-o.at > m.end-m.at
		})
		if !within && !slices.Contains(codes, m.code) {
			codes = append(codes, m.code)
		}
	}
	return codes
}

var subjectSyn = map[string]string{"个人": "person", "人口": "person", "公民": "person", "自然人": "person",
	"居民": "person", "法人": "legal_entity", "企业": "legal_entity", "单位": "legal_entity", "组织": "legal_entity",
	"法人和其他组织": "legal_entity", "企业法人": "legal_entity", "市场主体": "legal_entity",
	"不涉及": "none", "否": "none", "其他": "none", "其它": "none", "无主体": "none",
	"个人独资企业": "legal_entity", "个体工商户": "legal_entity"}

var subjectKeywords = [][2]string{{"法人", "legal_entity"}, {"企业", "legal_entity"}, {"自然人", "person"}, {"个人", "person"}}

var typeSyn = map[string]string{
	"字符": "C", "字符串": "C", "文本": "C", "string": "C", "char": "C", "varchar": "C", "varchar2": "C",
	"nvarchar": "C", "nvarchar2": "C", "nchar": "C", "str": "C",
	"数值": "N", "数字": "N", "number": "N", "numeric": "N", "decimal": "N", "数值型": "N",
	"货币": "Y", "金额": "Y", "money": "Y", "currency": "Y",
	"日期": "D", "date": "D",
	"日期时间": "T", "时间": "T", "datetime": "T", "timestamp": "T", "时间戳": "T", "time": "T",
	"逻辑": "L", "布尔": "L", "bool": "L", "boolean": "L", "bit": "L",
	"备注": "M", "text": "M", "clob": "M", "longtext": "M", "长文本": "M", "大文本": "M",
	"通用": "G", "blob": "G", "二进制": "G", "binary": "G", "bytea": "G", "图片": "G",
	"双精度": "B", "double": "B",
	"整型": "I", "整数": "I", "int": "I", "integer": "I", "bigint": "I", "smallint": "I", "tinyint": "I", "long": "I",
	"浮点": "F", "浮点型": "F", "float": "F", "real": "F",
}

var typeWithLength = regexp.MustCompile(`^\s*([A-Za-z0-9_\p{Han}]+)\s*[(（]\s*([0-9]+)\s*(?:[,，]\s*[0-9]+\s*)?[)）]\s*$`)

// normType reads a data type letter, label or SQL type; a length given with
// it (varchar(50)) is returned too.
func normType(v string) (t string, length int, ok bool) {
	s := strings.TrimSpace(v)
	if m := typeWithLength.FindStringSubmatch(s); m != nil {
		s = m[1]
		length, _ = strconv.Atoi(m[2])
	}
	if c, ok := catalog.Lookup("data_type", s); ok {
		return c, length, true
	}
	if c, ok := typeSyn[strings.ToLower(strings.TrimSuffix(s, "型"))]; ok {
		return c, length, true
	}
	if c, ok := typeSyn[strings.ToLower(s)]; ok {
		return c, length, true
	}
	return "", 0, false
}

var boolSyn = map[string]bool{"是": true, "y": true, "yes": true, "true": true, "1": true, "√": true, "✓": true,
	"✔": true, "主体标识": true, "标识": true, "否": false, "n": false, "no": false, "false": false, "0": false,
	"×": false, "不是": false}

func normBool(v string) (bool, bool) {
	b, ok := boolSyn[strings.ToLower(strings.TrimSpace(v))]
	return b, ok
}

var lengthPattern = regexp.MustCompile(`^\s*([+-]?[0-9]+)(?:\.0+)?\s*(?:位|个字符|字符|字节|个字)?\s*$`)

// ParseLength reads v, an item's length as a person writes it, into a
// whole number of characters: digits, maybe a zero fraction as a
// spreadsheet shows a number (18.0) and a unit (18位, 18个字符), read with
// full-width digits and spaces as half-width ones (text.FoldWidth: １８, as
// a Chinese input method types them). The import reads a file's 长度 so
// and the console's entry form its item length, so that both take and
// refuse the same text. A sign is read (+18 is 18) and a number beyond an
// int is the nearest int, so that validation tells a negative or huge
// length out of range rather than the caller saying it is no whole
// number.
func ParseLength(v string) (int, bool) {
	m := lengthPattern.FindStringSubmatch(text.FoldWidth(v))
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil || errors.Is(err, strconv.ErrRange)
}

// identifierNames are the item names inferred to identify the subject of
// an entry about persons or legal entities (as catalog.IdentifierKind tells
// which): an item so named in an entry about the other kind is left as
// written, since only the entry's own kind of identifier may identify its
// subject.
var identifierNames = map[string]bool{"公民身份号码": true, "身份证号": true, "身份证号码": true,
	"居民身份证号码": true, "身份证件号码": true, "统一社会信用代码": true, "社会信用代码": true, "信用代码": true}

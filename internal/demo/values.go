package demo

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/hutong-gov/hutong/internal/ident"
)

// The demo's values are drawn from small lists of real values and from
// dates between a subject's birth (or a company's founding) and asOf. A
// value depends on the item's key, the subject and n, not on the entry,
// so that entries of several departments that share a key and a subject
// agree (多源校核 finds only the deliberate differences); a few keys that
// mean different things in different entries look at the entry's name.

// AsOf is the last day of the records of a demo seeded at now: the last
// day of the month before now's (in Beijing), so that the records are as
// recent as a provider's monthly push and the same all month.
func AsOf(now time.Time) time.Time {
	now = now.In(beijing)
	return time.Date(now.Year(), now.Month(), 0, 0, 0, 0, 0, time.UTC)
}

// subj is what a value of a record may depend on.
type subj struct {
	entry   string // the entry's name
	kind    string // the entry's subject kind
	subject string
	n       int
	person  bool
	birth   time.Time // persons: from the citizen ID
	male    bool
	local   bool      // persons: registered in the district (户籍), not a migrant
	movedIn bool      // persons: registered in the district by a move in (迁入), born elsewhere
	traits  uint64    // persons: a hash of the citizen ID, for what a person is in every entry
	asOf    time.Time // the last day of the records (AsOf)
}

func newSubj(entry, kind, subject string, n int, asOf time.Time) subj {
	s := subj{entry: entry, kind: kind, subject: subject, n: n, person: kind == "person", asOf: asOf}
	if s.person && len(subject) == 18 {
		s.birth = birthDate(subject)
		s.male = (subject[16]-'0')%2 == 1
		r := personDraw(n)
		s.movedIn = movedIn(s.birth, r) && subject[:6] == homeRegion(r)
		s.local = subject[:6] == "440605" || s.movedIn
		s.traits = mix(hashString(subject))
	}
	return s
}

// hashString is FNV-1a.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix is splitmix64's finalizer.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// r is a pseudo-random number for the value of key of this subject and n.
func (s *subj) r(key string) uint64 {
	return mix(hashString(key) ^ uint64(s.n)*0x9e3779b97f4a7c15)
}

// trait is a pseudo-random number for what the person is whatever the
// entry and n (ethnic group, education, marital status).
func (s *subj) trait(salt uint64) uint64 {
	return mix(s.traits ^ salt)
}

// age is the person's age in whole years on day d: one more from the
// birthday, by month and day (the day of the year of a date from March
// differs in leap years).
func (s *subj) age(d time.Time) int {
	a := d.Year() - s.birth.Year()
	if d.Month() < s.birth.Month() || d.Month() == s.birth.Month() && d.Day() < s.birth.Day() {
		a--
	}
	return a
}

// since is the later of the day the person turns minAge and 1 January of
// year.
func (s *subj) since(minAge, year int) time.Time {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	if s.person {
		if b := s.birth.AddDate(minAge, 0, 0); b.After(from) {
			return b
		}
	}
	return from
}

// dateIn picks a day in [from, to] by r; to when from is later.
func dateIn(from, to time.Time, r uint64) time.Time {
	if !to.After(from) {
		return to
	}
	days := int(to.Sub(from).Hours()/24) + 1
	return from.AddDate(0, 0, int(r%uint64(days)))
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func month(t time.Time) string { return t.Format("2006-01") }

// pick returns an element of list by r.
func pick(list []string, r uint64) string { return list[r%uint64(len(list))] }

// weighted returns the element of list whose cumulative weight (in
// thousandths, the last one 1000) first exceeds r mod 1000.
func weighted(list []string, cum []uint16, r uint64) string {
	x := uint16(r % 1000)
	for i, c := range cum {
		if x < c {
			return list[i]
		}
	}
	return list[len(list)-1]
}

// yuan formats cents as an amount of yuan with two decimals.
func yuan(cents int64) string {
	return strconv.FormatInt(cents/100, 10) + "." + fmt.Sprintf("%02d", cents%100)
}

// townShort is the town's name without 街道 / 镇.
func townShort(i int) string {
	t := towns[i%len(towns)]
	if len(t) > 6 && t[len(t)-6:] == "街道" {
		return t[:len(t)-6]
	}
	return t[:len(t)-3]
}

// Persons ---------------------------------------------------------------

// minorities are China's 55 ethnic minorities, the 56th group being 汉族.
var minorities = []string{"壮族", "回族", "满族", "维吾尔族", "苗族", "彝族", "土家族", "藏族", "蒙古族", "侗族",
	"布依族", "瑶族", "白族", "朝鲜族", "哈尼族", "黎族", "哈萨克族", "傣族", "畲族", "傈僳族",
	"东乡族", "仡佬族", "拉祜族", "佤族", "水族", "纳西族", "羌族", "土族", "仫佬族", "锡伯族",
	"柯尔克孜族", "景颇族", "达斡尔族", "撒拉族", "布朗族", "毛南族", "塔吉克族", "普米族", "阿昌族", "怒族",
	"鄂温克族", "京族", "基诺族", "德昂族", "保安族", "俄罗斯族", "裕固族", "乌孜别克族", "门巴族", "鄂伦春族",
	"独龙族", "赫哲族", "高山族", "珞巴族", "塔塔尔族"}

// ethnicity is mostly 汉族, as in Guangdong (about 98 %), then the groups
// most common among the province's migrants.
func (s *subj) ethnicity() string {
	r := s.trait(1)
	switch x := r % 1000; {
	case x < 960:
		return "汉族"
	case x < 975:
		return "壮族"
	case x < 980:
		return "瑶族"
	case x < 985:
		return "土家族"
	case x < 990:
		return "苗族"
	}
	return minorities[(r/1000)%uint64(len(minorities))]
}

// Education levels (GB/T 4658-2006 学历代码 names).
var education = []string{"博士研究生毕业", "硕士研究生毕业", "大学本科毕业", "大学专科毕业", "中等专科毕业",
	"技工学校毕业", "普通高中毕业", "初中毕业", "小学毕业", "其他"}

var (
	educationBefore1965 = []uint16{0, 2, 30, 70, 130, 160, 310, 640, 940, 1000}
	educationBefore1985 = []uint16{1, 10, 110, 230, 340, 390, 560, 910, 990, 1000}
	educationSince1985  = []uint16{5, 40, 280, 520, 640, 700, 830, 980, 1000, 1000}
)

// education is the highest level the person completed by asOf.
func (s *subj) education() string {
	switch age := s.age(s.asOf); {
	case age < 16:
		return "小学毕业"
	case age < 19:
		return "初中毕业"
	case age < 22:
		if s.trait(2)%3 == 0 {
			return "中等专科毕业"
		}
		return "普通高中毕业"
	}
	cum := educationSince1985
	if y := s.birth.Year(); y < 1965 {
		cum = educationBefore1965
	} else if y < 1985 {
		cum = educationBefore1985
	}
	return weighted(education, cum, s.trait(2))
}

// Marital status (GB/T 2261.2).
var marital = []string{"未婚", "已婚", "离婚", "丧偶"}

// The cumulative shares (in thousandths) of 已婚, 离婚 and 丧偶 among those
// who married, by age on asOf.
var (
	maritalYoung  = []uint16{945, 1000, 1000}
	maritalMiddle = []uint16{895, 979, 1000}
	maritalOld    = []uint16{776, 816, 1000}
)

// marriageAge is the legal age of marriage (婚姻法 of 1980, 民法典 art.
// 1047).
func (s *subj) marriageAge() int {
	if s.male {
		return 22
	}
	return 20
}

// maritalStatus is the person's status on asOf: unmarried before the
// marriage (marriageDate) and for the few who never marry (4 % of men, 1 %
// of women); of those who married, some divorced (a year after the
// marriage at the earliest) and, mostly the old, widowed.
func (s *subj) maritalStatus() string {
	age := s.age(s.asOf)
	if age < s.marriageAge() || s.marriageDate().After(s.asOf) {
		return "未婚"
	}
	if never := s.trait(15) % 100; s.male && never < 4 || !s.male && never < 1 {
		return "未婚"
	}
	cum := maritalOld
	if age < 30 {
		cum = maritalYoung
	} else if age < 60 {
		cum = maritalMiddle
	}
	st := weighted(marital[1:], cum, s.trait(3))
	if st == "离婚" && s.marriageDate().AddDate(1, 0, 0).After(s.asOf) {
		return "已婚"
	}
	return st
}

// relation is the person's relation to the head of the household
// (与户主关系), consistent with age, sex and marital status.
func (s *subj) relation() string {
	r := s.trait(4) % 100
	age := s.age(s.asOf)
	child := "女"
	if s.male {
		child = "子"
	}
	switch st := s.maritalStatus(); {
	case age < 18:
		if r < 85 {
			return child
		}
		if s.male {
			return "孙子"
		}
		return "孙女"
	case st == "未婚":
		if age < 35 && r < 75 || age >= 35 && r < 30 {
			return child
		}
		return "户主"
	case st == "已婚" && s.male:
		switch {
		case age >= 60 && r < 35:
			return "父亲"
		case age < 40 && r < 12:
			return "子"
		case r >= 95:
			return "女婿"
		}
		return "户主"
	case st == "已婚":
		switch {
		case age >= 60 && r < 35:
			return "母亲"
		case r < 65:
			return "配偶"
		case r < 80:
			return "儿媳"
		}
		return "户主"
	}
	if age >= 60 && r < 50 {
		if s.male {
			return "父亲"
		}
		return "母亲"
	}
	return "户主"
}

// sexDigit is 1 for a man, 2 for a woman, as in certificate numbers.
func (s *subj) sexDigit() int {
	if s.male {
		return 1
	}
	return 2
}

// name is the person's name.
func (s *subj) name() string { return personName(s.n) }

// otherName is the name of another person, a man's or a woman's, m
// choosing it, with the surname of this person when same: never this
// person's name.
func (s *subj) otherName(m uint64, same, male bool) string {
	sur := string(surnames[m%uint64(len(surnames))])
	if same {
		sur = string(surnames[s.n%len(surnames)])
	}
	name := sur + givenName(male, m/31, m/997)
	if name == s.name() {
		name = sur + givenName(male, m/31+1, m/997)
	}
	return name
}

// householdHead is the name of the head of the person's household.
func (s *subj) householdHead() string {
	m := s.trait(5)
	switch s.relation() {
	case "户主":
		return s.name()
	case "子", "女", "孙子", "孙女":
		return s.otherName(m, true, true) // the father or grandfather
	case "父亲":
		return s.otherName(m, true, true) // the son
	case "配偶":
		return s.spouseName()
	}
	return s.otherName(m, false, m>>40%2 == 1) // a child or a parent-in-law
}

// spouseName is the name of the person's spouse, of spouseID: of the
// other sex.
func (s *subj) spouseName() string { return s.otherName(s.trait(10), false, !s.male) }

// formerName (曾用名) is empty but for a few persons.
func (s *subj) formerName() string {
	if s.trait(6)%100 >= 3 {
		return ""
	}
	return s.otherName(s.trait(7), true, s.male)
}

// spouseID makes the valid citizen ID of the person's spouse: of the
// other sex, born on spouseBirth.
func (s *subj) spouseID() string {
	r := s.trait(8)
	seq := int(r/2400%500) * 2 // even: female
	if !s.male {
		seq++
	}
	first17 := parentRegions[r/1200000%uint64(len(parentRegions))] + s.spouseBirth().Format("20060102") + fmt.Sprintf("%03d", seq)
	return first17 + string(ident.CitizenIDCheck(first17))
}

// spouseBirth is the birth date of the person's spouse: the husband born
// up to five years before the wife or two after, old enough to marry.
func (s *subj) spouseBirth() time.Time {
	r := s.trait(8)
	years := int(r%8) - 2 // the husband's seniority: -2 … 5
	if !s.male {
		years = -years // the husband is born years before the subject
	}
	birth := s.birth.AddDate(years, 0, int(r/8%300)-150)
	legal := 20 // the spouse's legal age of marriage
	if !s.male {
		legal = 22
	}
	if latest := s.asOf.AddDate(-legal, 0, -int(r/8%300)); birth.After(latest) {
		birth = latest
	}
	return birth
}

// marriageRegistrySince is the first day of the demo's marriage
// registrations (婚姻登记信息, of 佛山市南海区民政局): the Marriage
// Registration Regulations (婚姻登记条例) of 1 October 2003 made the
// county-level civil affairs bureaus the registrars of marriages, and
// 南海区 itself dates from the end of 2002 (before, 南海市 and 南海县).
// Earlier marriages were registered by the townships and communes
// (乡镇人民政府, 人民公社) or the city's bureau, not by the district's: its
// entry holds none of them, only a divorce or a reissued certificate since.
var marriageRegistrySince = time.Date(2003, 10, 1, 0, 0, 0, 0, time.UTC)

// residenceRegistrySince is the first day the bureau registers marriages
// and divorces of couples both registered elsewhere of whom one lives in
// the district with a residence permit (居住证) issued there: Guangdong was
// among the provinces of the 跨省通办 pilot (国函〔2021〕48号, from 1 June
// 2021, renewed in 2023), which let a couple register where either party
// habitually lives (经常居住地) besides where either is registered. A
// reissued certificate was left out.
var residenceRegistrySince = time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)

// nationwideRegistrySince is the day the revised 婚姻登记条例 (国务院令第
// 804号) let every registry register any couple (全国通办).
var nationwideRegistrySince = time.Date(2025, 5, 10, 0, 0, 0, 0, time.UTC)

// bureauRegisters says whether the district's bureau registers the
// person's marriage registration of kind on day d: from
// marriageRegistrySince where either party's household registration is
// (婚姻登记条例 of 2003, art. 4 and 10; a certificate is reissued there too
// or where the marriage was registered, art. 17), from
// residenceRegistrySince also where either lives, from
// nationwideRegistrySince anywhere. The spouse, who is no demo subject, is
// registered where the citizen ID says, as PersonID's subjects are.
func (s *subj) bureauRegisters(kind string, d time.Time) bool {
	switch {
	case d.Before(marriageRegistrySince):
		return false
	case !d.Before(nationwideRegistrySince), s.registeredOn(d), s.spouseID()[:6] == "440605":
		return true
	case kind == "补领结婚证":
		return s.bureauRegisters("结婚登记", s.marriageDate())
	}
	// A migrant has lived in the district with a residence permit since
	// 2017 or the age of 16 (居住证编号), before any registration at 20.
	return !s.local && !d.Before(residenceRegistrySince)
}

// marriageDate is the day of the marriage registration: at the person's
// age of first marriage (firstMarriage), or when the spouse reaches the
// legal age; after asOf for one who has not married yet. It does not
// depend on the age on asOf, so that every year has about as many
// marriages (drawn between the legal age and asOf, the married among the
// young had all married lately).
func (s *subj) marriageDate() time.Time {
	d := s.birth.AddDate(0, 0, s.firstMarriage())
	spouse := s.spouseBirth().AddDate(22, 0, 0) // the husband's legal age
	if s.male {
		spouse = spouse.AddDate(-2, 0, 0) // the wife's
	}
	return later(d, spouse)
}

// firstMarriage is the person's age at the first marriage, in days: the
// legal age and a delay of a gamma distribution of shape 2, three years
// on average for those born by 1978, eight (at least one and a half) for
// those born since 1994, between for those born between. First marriages
// were at about 23 for women and 25 for men until the 2000s (24.89 on
// average in 2010, 第六次全国人口普查) and at 27.95 and 29.38 in 2020
// (第七次).
func (s *subj) firstMarriage() int {
	r := s.trait(9)
	gen := min(max(float64(s.birth.Year()-1978)/16, 0), 1) // 0 for those born by 1978, 1 since 1994
	delay := 1.5*gen - (1.5+1.75*gen)*math.Log((float64(r>>32)+1)/(1<<32)*(float64(r&(1<<32-1))+1)/(1<<32))
	return int(min(float64(s.marriageAge())+delay, 100) * 365.25)
}

// vaccines are the childhood vaccines of the national immunisation
// programme with the ages in months of their doses.
var vaccines = []struct {
	name   string
	months []int
}{
	{"乙肝疫苗", []int{0, 1, 6}},
	{"卡介苗", []int{0}},
	{"脊灰疫苗", []int{2, 3, 4, 48}},
	{"百白破疫苗", []int{3, 4, 5, 18}},
	{"麻腮风疫苗", []int{8, 18}},
	{"乙脑减毒活疫苗", []int{8, 24}},
	{"A群流脑多糖疫苗", []int{6, 9}},
	{"A群C群流脑多糖疫苗", []int{36, 72}},
	{"甲肝减毒活疫苗", []int{18}},
	{"白破疫苗", []int{72}},
}

// vaccination returns the vaccine, dose and day of the person's record.
func (s *subj) vaccination() (string, int, time.Time) {
	r := s.r("预防接种")
	v := vaccines[r%uint64(len(vaccines))]
	dose := int(r/16%uint64(len(v.months))) + 1
	return v.name, dose, s.birth.AddDate(0, v.months[dose-1], int(r/256%14))
}

// Companies -------------------------------------------------------------

// founded is the day company n was founded (成立日期).
func founded(n int) time.Time {
	return dateIn(time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), mix(uint64(n)*0x51ed27))
}

// after is a day between the company's founding (or 1 January of year,
// whichever is later) and asOf.
func (s *subj) after(year int, key string) time.Time {
	from := founded(s.n)
	if y := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); y.After(from) {
		from = y
	}
	return dateIn(from, s.asOf, s.r(key))
}

var businessScopes = []string{
	"智能装备研发、制造、销售；工业自动控制系统装置制造；软件开发",
	"五金产品制造；五金产品批发；金属制品销售",
	"建筑陶瓷制品生产；卫生陶瓷制品制造；陶瓷制品销售；货物进出口",
	"面料纺织加工；服装制造；纺织品销售",
	"电子元器件制造；电子产品销售；电子专用材料研发",
	"家具制造；家具销售；家具零配件生产",
	"食品生产；食品销售；农副产品销售",
	"普通货物仓储服务；道路货物运输（不含危险货物）；国内货物运输代理",
	"建筑材料销售；轻质建筑材料制造；水泥制品制造",
	"技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；信息系统集成服务",
	"建设工程施工；建筑劳务分包；住宅室内装饰装修；市政设施管理",
	"房地产开发经营；物业管理；房地产经纪；非居住房地产租赁",
}

// companyKind is the company's type as on its business licence, after
// the suffix of its name.
func companyKind(n int) string {
	switch bizSuffix[n%len(bizSuffix)] {
	case "股份有限公司":
		return "股份有限公司（非上市、自然人投资或控股）"
	case "贸易商行":
		return "个人独资企业"
	}
	return "有限责任公司（自然人投资或控股）"
}

var capitals = []int64{10, 30, 50, 100, 100, 200, 300, 500, 500, 1000, 2000, 5000} // 万元

var nameChars = []rune("瀚德立正明致中诚信恒君泰广华天")

// firm is the name of a law firm.
func firm(r uint64) string {
	n := uint64(len(nameChars))
	a, b := r%n, r/16%(n-1)
	if b >= a {
		b++ // two different characters
	}
	return "广东" + string(nameChars[a]) + string(nameChars[b]) + "律师事务所"
}

var projectWords = []string{"翠湖", "天悦", "锦绣", "滨江", "御景", "雅居", "金域", "星河", "泓景", "博雅"}
var projectKinds = []string{"花园", "名苑", "华府", "雅苑", "新城", "广场"}

func project(r uint64) string {
	return projectWords[r%uint64(len(projectWords))] + projectKinds[r/16%uint64(len(projectKinds))]
}

var roads = []string{"桂澜路", "南海大道", "海八路", "佛平路", "狮山大道", "广云路", "樵高路", "沙九路"}

var communityHealth = []string{"佛山市南海区桂城街道社区卫生服务中心", "佛山市南海区九江镇社区卫生服务中心",
	"佛山市南海区西樵镇社区卫生服务中心", "佛山市南海区丹灶镇社区卫生服务中心", "佛山市南海区狮山镇社区卫生服务中心",
	"佛山市南海区大沥镇社区卫生服务中心", "佛山市南海区里水镇社区卫生服务中心"}

var placesElsewhere = []string{"广东省广州市天河区", "广东省佛山市顺德区", "广东省佛山市禅城区", "广东省湛江市廉江市",
	"广东省茂名市化州市", "广西壮族自治区玉林市", "湖南省衡阳市", "江西省赣州市", "四川省南充市", "湖北省荆州市"}

// clinicsAndHospitals are where outpatients are seen.
var clinicsAndHospitals = append(append([]string{}, hospitals...), communityHealth...)

var (
	deathCauses = []string{"冠状动脉粥样硬化性心脏病", "脑梗死", "肺恶性肿瘤", "慢性阻塞性肺疾病", "高血压病",
		"肝恶性肿瘤", "脑出血", "2型糖尿病", "肺炎", "胃恶性肿瘤"}
	chronic = []string{"高血压（高危组）", "糖尿病", "冠心病", "慢性阻塞性肺疾病", "脑卒中后遗症",
		"慢性肾功能衰竭（透析）", "恶性肿瘤门诊治疗", "类风湿关节炎", "帕金森病", "精神分裂症"}
)

// value returns a plausible value of the item with key for the subject;
// ok is false for a key it does not know. An empty value leaves the item
// empty.
func (s *subj) value(key string) (v string, ok bool) {
	switch key {
	// 户籍人口基本信息
	case "曾用名":
		return s.formerName(), true
	case "民族":
		return s.ethnicity(), true
	case "文化程度":
		return s.education(), true
	case "婚姻状况":
		return s.maritalStatus(), true
	case "与户主关系":
		return s.relation(), true
	case "户主姓名":
		return s.householdHead(), true
	case "出生地":
		return s.birthPlace(), true

	// 居民身份证信息: a card issued in the last ten years, valid for 10
	// years when issued at 16 to 25, 20 years at 26 to 45, and long-term
	// (no end) from 46.
	case "证件有效期起始日期":
		return day(s.idCardIssued()), true
	case "证件有效期截止日期":
		start := s.idCardIssued()
		switch a := s.age(start); {
		case a < 26:
			return day(start.AddDate(10, 0, 0)), true
		case a < 46:
			return day(start.AddDate(20, 0, 0)), true
		}
		return "", true
	case "签发机关":
		return "佛山市公安局南海分局", true
	case "证件状态":
		return weighted([]string{"正常", "挂失"}, []uint16{975, 1000}, s.r(key)), true

	// 户口迁移登记信息
	case "迁移类型":
		return s.move(), true
	case "迁出地", "迁入地":
		// The end of a move in the district is the town of the household
		// registration's address (户籍地址): where it moved to, or from
		// when it moved out; a move within the district came from another
		// town.
		r := s.r("迁移地")
		here := "广东省佛山市南海区" + towns[s.n%len(towns)]
		there := pick(placesElsewhere, r/8)
		switch s.move() {
		case "迁入":
			// From the county of birth, or for one in four from where
			// the person had moved before.
			if key == "迁出地" && r%4 != 0 {
				return s.birthPlace(), true
			}
			if key == "迁出地" {
				return there, true
			}
			return here, true
		case "迁出":
			if key == "迁出地" {
				return here, true
			}
			return there, true
		}
		if key == "迁出地" {
			return "广东省佛山市南海区" + towns[(s.n+1+int(r%6))%len(towns)], true
		}
		return here, true
	case "办理日期":
		return day(s.moveDate()), true
	case "迁移原因":
		switch s.move() {
		case "迁入":
			return pick([]string{"投靠亲属", "购房入户", "工作调动", "毕业生就业", "婚姻迁移"}, s.r(key)), true
		case "迁出":
			return pick([]string{"升学", "工作调动", "婚姻迁移", "购房入户"}, s.r(key)), true
		}
		return pick([]string{"购房入户", "投靠亲属", "婚姻迁移"}, s.r(key)), true

	// 居住证信息
	case "居住证编号":
		return fmt.Sprintf("440605%d%08d", s.since(16, 2017).Year(), s.n%100000000), true
	case "签注有效期":
		// Endorsed yearly: mostly valid on asOf, some lapsed lately.
		return day(dateIn(s.asOf.AddDate(0, -2, 0), s.asOf.AddDate(1, 0, 0), s.r(key))), true
	case "居住事由":
		return weighted([]string{"就业", "就学", "投靠亲属", "其他"}, []uint16{700, 820, 960, 1000}, s.r(key)), true

	// 机动车驾驶证信息
	case "驾驶证档案编号":
		return fmt.Sprintf("4406%08d", (s.n*7919+13)%100000000), true
	case "准驾车型":
		return weighted([]string{"C1", "C2", "B2", "A2", "A1", "B1", "D"}, []uint16{700, 850, 910, 950, 965, 985, 1000}, s.r(key)), true
	case "初次领证日期":
		return day(dateIn(s.since(18, 1990), s.asOf, s.r(key))), true
	case "累积记分":
		return weighted([]string{"0", "1", "2", "3", "6", "9", "12"}, []uint16{700, 760, 820, 900, 960, 990, 1000}, s.r(key)), true
	case "驾驶证状态":
		return weighted([]string{"正常", "逾期未审验", "暂扣", "吊销"}, []uint16{955, 985, 995, 1000}, s.r(key)), true

	// 无犯罪记录证明信息
	case "死亡医学证明编号":
		return fmt.Sprintf("440605%d%06d", s.deathDate().Year(), s.n%1000000), true
	case "证明编号":
		d := dateIn(s.since(18, 2019), s.asOf, s.r("开具日期"))
		return fmt.Sprintf("南公证字〔%d〕%05d号", d.Year(), s.n%100000), true
	case "开具日期":
		return day(dateIn(s.since(18, 2019), s.asOf, s.r(key))), true
	case "开具单位":
		return "佛山市公安局南海分局" + townShort(s.n) + "派出所", true
	case "用途":
		if !s.person {
			return weighted([]string{"住宅", "商业服务", "工业", "办公"}, []uint16{800, 900, 970, 1000}, s.r(key)), true
		}
		return pick([]string{"就业", "出国（境）", "入学", "申请执业资格", "参军", "落户"}, s.r(key)), true

	// 市场主体登记信息, 营业执照信息
	case "注册资本":
		return strconv.FormatInt(capitals[mix(uint64(s.n)*7)%uint64(len(capitals))]*10000, 10), true
	case "成立日期":
		if s.person {
			break
		}
		return day(founded(s.n)), true
	case "经营范围":
		return businessScopes[(s.n/3)%len(bizWords)], true
	case "登记机关":
		if s.entry == "婚姻登记信息" {
			return "佛山市南海区民政局", true
		}
		return "佛山市南海区市场监督管理局", true
	case "登记状态":
		return weighted([]string{"存续（在营、开业、在册）", "吊销", "注销", "迁出"}, []uint16{930, 960, 990, 1000}, s.r(key)), true
	case "类型":
		return companyKind(s.n), true
	case "营业期限":
		f := founded(s.n)
		if s.r(key)%5 == 0 {
			return day(f) + "至" + day(f.AddDate(30, 0, -1)), true
		}
		return day(f) + "至长期", true
	case "发照日期":
		return day(s.after(1995, key)), true

	// 食品经营许可信息 and other licences of companies
	case "经营者名称", "当事人名称", "使用单位名称", "用人单位名称", "用地单位", "开发企业名称", "建设单位", "纳税人名称":
		return companyName(s.n), true
	case "建设用地规划许可证编号":
		return fmt.Sprintf("地字第440605%d%05d号", s.after(2010, "发证日期").Year(), s.n%100000), true
	case "许可证编号":
		return fmt.Sprintf("JY1440605%06d%d", s.n%1000000, s.n%10), true
	case "经营项目":
		return pick([]string{"预包装食品（含冷藏冷冻食品）销售；散装食品（不含冷藏冷冻食品）销售",
			"热食类食品制售；冷食类食品制售", "预包装食品（不含冷藏冷冻食品）销售", "热食类食品制售；自制饮品制售",
			"预包装食品（含冷藏冷冻食品）销售；保健食品销售"}, s.r(key)), true
	case "残疾人证有效期至":
		return day(s.disabilityIssued().AddDate(10, 0, 0)), true
	case "待遇有效期至":
		d := s.recognised().AddDate(2, 0, 0)
		for d.Before(s.asOf) {
			d = d.AddDate(2, 0, 0) // renewed every two years
		}
		return day(d), true
	case "有效期至", "执业许可有效期至", "资质证书有效期至", "办学许可有效期至":
		return day(dateIn(s.asOf.AddDate(0, 1, 0), s.asOf.AddDate(5, 0, 0), s.r(key))), true
	case "日常监督管理机构":
		return "佛山市南海区市场监督管理局" + townShort(s.n) + "市场监督管理所", true

	// 行政处罚信息
	case "处罚决定书文号":
		return fmt.Sprintf("佛南市监罚〔%d〕%d号", s.after(2016, "处罚决定日期").Year(), s.n%900+100), true
	case "违法行为类型":
		return pick(violations, s.r("违法行为")), true
	case "处罚内容":
		i := s.r("违法行为") % uint64(len(violations))
		fine := []int{5000, 10000, 20000, 30000, 50000}[s.r(key)%5]
		if i == 1 {
			return "警告", true
		}
		return fmt.Sprintf("警告，罚款人民币%d元", fine), true
	case "处罚决定日期":
		return day(s.after(2016, key)), true

	// 经营异常名录信息
	case "列入原因":
		return weighted(abnormalIn, []uint16{850, 950, 1000}, s.r("列入原因")), true
	case "列入日期":
		return day(s.listed()), true
	case "移出原因":
		if _, ok := s.removed(); !ok {
			return "", true
		}
		switch weighted(abnormalIn, []uint16{850, 950, 1000}, s.r("列入原因")) {
		case abnormalIn[0]:
			return "补报未报年份的年度报告并公示", true
		case abnormalIn[1]:
			return "依法办理住所或者经营场所变更登记", true
		}
		return "更正其公示的信息", true
	case "移出日期":
		if d, ok := s.removed(); ok {
			return day(d), true
		}
		return "", true

	// 特种设备使用登记信息
	case "设备类别":
		return equipment[s.r("设备")%uint64(len(equipment))].kind, true
	case "设备代码":
		eq := equipment[s.r("设备")%uint64(len(equipment))]
		return fmt.Sprintf("%s440605%d%06d", eq.code, founded(s.n).Year()+int(s.r(key)%5), s.n%1000000), true
	case "使用登记证编号":
		eq := equipment[s.r("设备")%uint64(len(equipment))]
		return fmt.Sprintf("%s11粤E%05d(%02d)", eq.abbr, s.n%100000, s.after(2014, key).Year()%100), true
	case "下次检验日期":
		return day(dateIn(s.asOf.AddDate(0, 0, 1), s.asOf.AddDate(1, 0, 0), s.r(key))), true

	// 婚姻登记信息: the subject is one of the spouses.
	case "男方公民身份号码", "女方公民身份号码":
		if s.male == (key == "男方公民身份号码") {
			return s.subject, true
		}
		return s.spouseID(), true
	case "男方姓名", "女方姓名":
		if s.male == (key == "男方姓名") {
			return s.name(), true
		}
		return s.spouseName(), true
	case "登记类型":
		return s.marriageRegistration(), true
	case "就业失业登记类型":
		if s.r("就业失业")%5 == 0 {
			return "失业登记", true
		}
		return "就业登记", true
	case "结婚证字号":
		prefix := "J"
		switch s.marriageRegistration() {
		case "离婚登记":
			prefix = "L"
		case "补领结婚证":
			prefix = "BJ"
		}
		return fmt.Sprintf("%s440605-%d-%06d", prefix, s.registered().Year(), s.n%1000000), true

	// 最低生活保障, 特困人员, 公租房
	case "家庭人口数":
		return strconv.Itoa(int(s.r(key)%5) + 1), true
	case "保障类别":
		return weighted([]string{"城市最低生活保障", "农村最低生活保障"}, []uint16{600, 1000}, s.r(key)), true
	case "月保障金额":
		members := int64(s.r("家庭人口数")%5) + 1
		return yuan(members * int64(30000+s.r(key)%94000)), true // up to 1,240 yuan a person
	case "纳入保障日期":
		return day(dateIn(later(s.since(0, 2016), s.registeredSince()), s.asOf, s.r(key))), true
	case "供养方式":
		return weighted([]string{"分散供养", "集中供养"}, []uint16{750, 1000}, s.r(key)), true
	case "供养标准":
		return "1612.00", true
	case "认定日期", "待遇认定日期", "资格认定日期":
		return day(s.recognised()), true

	// 社会组织登记信息
	case "社会组织名称":
		return socialOrgName(s.n), true
	case "组织类型":
		return orgKind(s.n), true
	case "法定代表人负责人":
		return personName(socialOrgLeader(s.n)), true
	case "业务主管单位":
		if orgKind(s.n) == "民办非企业单位" {
			return "佛山市南海区人力资源和社会保障局", true
		}
		return "无", true

	// 殡葬服务信息, 死亡医学证明信息
	case "死亡日期":
		return day(s.deathDate()), true
	case "火化日期":
		d := s.deathDate().AddDate(0, 0, int(s.r(key)%6)+2)
		if d.After(s.asOf) {
			d = s.asOf
		}
		return day(d), true
	case "火化证明编号":
		return fmt.Sprintf("HH%d%06d", s.deathDate().Year(), s.n%1000000), true
	case "殡仪馆名称":
		return "佛山市南海区殡仪馆", true
	case "死亡原因":
		return pick(deathCauses, s.r(key)), true

	// 社会保险参保信息, 基本医疗保险参保信息
	case "参保险种":
		return weighted([]string{"企业职工基本养老保险", "失业保险", "工伤保险"}, []uint16{600, 800, 1000}, s.r(key)), true
	case "参保状态", "医保参保状态":
		if s.retired() {
			return "退休", true
		}
		return weighted([]string{"正常参保", "暂停参保", "终止参保"}, []uint16{880, 960, 1000}, s.r(key)), true
	case "参保单位":
		return companyName(int(s.r(key) % DemoCompanies)), true
	case "首次参保日期":
		return day(s.insuredSince()), true
	case "累计缴费月数":
		first := s.insuredSince()
		end := s.asOf
		if s.retired() {
			if end = s.birth.AddDate(60, 0, 0); !s.male {
				end = s.birth.AddDate(50, 0, 0)
			}
		}
		months := (end.Year()-first.Year())*12 + int(end.Month()) - int(first.Month())
		if months < 1 {
			months = 1
		}
		return strconv.Itoa(months - months*int(s.r(key)%20)/100), true
	case "险种类型":
		if s.medicalEmployee() {
			return "职工基本医疗保险", true
		}
		return "城乡居民基本医疗保险", true
	case "参保日期":
		if s.medicalEmployee() {
			return day(dateIn(s.since(18, 2001), s.asOf, s.r(key))), true
		}
		return day(dateIn(s.since(0, 2010), s.asOf, s.r(key))), true
	case "缴费档次":
		if s.medicalEmployee() {
			return "统账结合", true
		}
		return weighted([]string{"一档", "二档"}, []uint16{800, 1000}, s.r(key)), true

	// 社会保障卡信息
	case "社会保障卡号":
		return fmt.Sprintf("%c%08d", 'A'+rune(s.r("发卡日期")%8), (s.n*7919)%100000000), true
	case "发卡日期":
		return day(dateIn(s.since(0, 2012), s.asOf, s.r(key))), true
	case "卡状态":
		return weighted([]string{"正常", "挂失", "临时挂失"}, []uint16{950, 980, 1000}, s.r(key)), true

	// 就业失业登记信息
	case "就业单位":
		if s.r("就业失业")%5 == 0 {
			return "", true
		}
		return companyName(int(s.r(key) % DemoCompanies)), true
	case "就业失业登记证号":
		return fmt.Sprintf("440605%d%06d", s.registered().Year(), s.n%1000000), true
	case "登记日期", "就业失业登记日期", "税务登记日期":
		if s.entry == socialOrgs {
			return day(socialOrgRegistered(s.n)), true
		}
		if !s.person {
			return day(founded(s.n)), true // the companies' registrations: on founding
		}
		return day(s.registered()), true

	// 职业资格证书信息
	case "证书编号":
		return fmt.Sprintf("S000044060%d%05d", s.issued(18, 2017).Year()%100, s.n%100000), true
	case "职业名称":
		return pick([]string{"电工", "焊工", "中式烹调师", "保育师", "美容师", "汽车维修工", "育婴员",
			"网络与信息安全管理员", "养老护理员", "钳工", "家政服务员", "电子商务师"}, s.r(key)), true
	case "等级":
		return weighted([]string{"五级/初级工", "四级/中级工", "三级/高级工", "二级/技师", "一级/高级技师"},
			[]uint16{300, 700, 920, 990, 1000}, s.r(key)), true
	case "执业证发证日期":
		return day(s.issued(24, 2000)), true
	case "残疾人证发证日期":
		return day(s.disabilityIssued()), true
	case "发证日期", "预售许可发证日期", "施工许可发证日期":
		switch {
		case s.entry == "职业资格证书信息":
			return day(s.issued(18, 2017)), true
		case !s.person:
			return day(s.after(2010, "发证日期")), true
		}
		return day(s.issued(18, 2015)), true

	// 劳动用工备案信息
	case "在职职工人数":
		return strconv.Itoa([]int{3, 8, 15, 30, 60, 120, 300}[s.r(key)%7] + int(s.r(key)/8%10)), true
	case "备案月份": // of a company, since it was founded
		return month(dateIn(later(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), founded(s.n)), s.asOf, s.r(key))), true
	case "所属期": // of a person's income tax, from 18
		return month(dateIn(s.since(18, 2024), s.asOf, s.r(key))), true
	case "发放月份": // of a benefit that requires the household registration
		return month(dateIn(later(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), s.registeredSince()), s.asOf, s.r(key))), true

	// 医疗机构执业许可信息, 医师执业注册信息
	case "机构名称":
		switch s.entry {
		case "医疗机构执业许可信息":
			return "佛山市南海区" + townShort(s.n) + pick(clinicWords, s.r("机构名称")) + clinics[s.r("诊疗")%uint64(len(clinics))].kind, true
		case "定点医药机构信息":
			if pharmacy(s.n) {
				return "佛山市南海区" + townShort(s.n) + pick(clinicWords, s.r("机构名称")) + "大药房有限公司", true
			}
			// Medical institution n, of the licences (medicalUSCC).
			return "佛山市南海区" + townShort(s.n) + pick(clinicWords, s.r("机构名称")) + clinics[s.r("诊疗")%uint64(len(clinics))].kind, true
		case "残疾人托养服务机构信息":
			return "佛山市南海区" + townShort(s.n) + pick(clinicWords, s.r("机构名称")) + "残疾人托养服务中心", true
		}
		return companyName(s.n), true
	case "诊疗科目":
		return clinics[s.r("诊疗")%uint64(len(clinics))].subjects, true
	case "执业许可证登记号":
		return fmt.Sprintf("PDY%08d44060517D%04d", (s.n*7919)%100000000, s.n%10000), true
	case "执业证书编码":
		return fmt.Sprintf("1%d0440605%06d", s.r("执业类别")%4+1, s.n%1000000), true
	case "律师执业类别":
		return weighted([]string{"专职律师", "兼职律师", "公职律师", "公司律师"}, []uint16{850, 900, 960, 1000}, s.r(key)), true
	case "执业类别":
		return physicianKinds[s.r("执业类别")%4], true
	case "执业范围":
		switch physicianKinds[s.r("执业类别")%4] {
		case "临床":
			return pick([]string{"内科专业", "外科专业", "妇产科专业", "儿科专业", "全科医学专业", "医学影像和放射治疗专业"}, s.r(key)), true
		case "中医":
			return pick([]string{"中医专业", "中西医结合专业"}, s.r(key)), true
		case "口腔":
			return "口腔专业", true
		}
		return "公共卫生类别专业", true
	case "执业地点":
		return pick(hospitals, s.r(key)), true

	// 预防接种信息
	case "疫苗名称":
		v, _, _ := s.vaccination()
		return v, true
	case "接种剂次":
		_, dose, _ := s.vaccination()
		return strconv.Itoa(dose), true
	case "接种日期":
		_, _, d := s.vaccination()
		return day(d), true
	case "接种单位":
		return pick(communityHealth, s.r(key)), true

	// 建设用地规划许可信息, 商品房预售许可信息, 施工许可信息
	case "用地位置":
		return "佛山市南海区" + towns[s.n%len(towns)] + pick(roads, s.r(key)) + "以东地块", true
	case "用地面积":
		return strconv.FormatFloat(float64(2000+s.r(key)%78000)+float64(s.r(key)/100000%100)/100, 'f', 2, 64), true
	case "预售许可证号":
		return fmt.Sprintf("佛房预（南）字第%d%04d号", s.after(2016, "发证日期").Year(), s.n%10000), true
	case "项目名称":
		return project(s.r("项目")) + pick([]string{"一期", "二期", "三期"}, s.r(key)), true
	case "预售面积":
		return strconv.FormatFloat(float64(10000+s.r(key)%110000)+float64(s.r(key)/1000000%100)/100, 'f', 2, 64), true
	case "施工许可证编号":
		return "440605" + s.after(2010, "发证日期").Format("20060102") + fmt.Sprintf("%02d01", s.n%100), true
	case "工程名称":
		return "佛山市南海区" + townShort(s.n) + trade(s.n) +
			pick([]string{"厂房建设项目", "综合楼工程", "仓库扩建工程", "研发楼工程"}, s.r(key)), true
	case "合同价格":
		return strconv.FormatInt(int64(500+s.r(key)%29500)*10000, 10), true

	// 建筑业企业资质信息
	case "资质证书编号":
		return fmt.Sprintf("D2440%05d", s.n%100000), true
	case "资质类别及等级":
		return pick([]string{"建筑工程施工总承包二级", "建筑工程施工总承包三级", "市政公用工程施工总承包三级",
			"建筑装修装饰工程专业承包二级", "电子与智能化工程专业承包二级", "地基基础工程专业承包三级", "施工劳务不分等级"}, s.r(key)), true

	// 房屋网签备案信息
	case "合同备案号":
		return fmt.Sprintf("NHWQ%d%06d", s.registered().Year(), s.n%1000000), true
	case "房屋坐落":
		r := s.r(key)
		return fmt.Sprintf("佛山市南海区%s%s%d座%d%02d房", towns[s.n%len(towns)], project(s.r("项目")), r%12+1, r/16%32+2, r/512%8+1), true
	case "建筑面积":
		return strconv.FormatFloat(s.floorArea(), 'f', 2, 64), true
	case "成交价格":
		perM2 := 15000 + float64(s.r(key)%15000)
		return strconv.FormatInt(int64(s.floorArea()*perM2/100)*100, 10), true
	case "备案日期":
		return day(s.registered()), true

	// 公租房保障信息
	case "保障方式":
		if s.rentSubsidy() {
			return "租赁补贴", true
		}
		return "实物配租", true
	case "配租房源地址":
		if s.rentSubsidy() {
			return "", true
		}
		return "佛山市南海区" + towns[s.n%len(towns)] + "保障性住房小区" + strconv.Itoa(int(s.r(key)%12)+1) + "座" + strconv.Itoa(int(s.r(key)/16%30)+1) + "0" + strconv.Itoa(int(s.r(key)/512%8)+1) + "房", true
	case "配租日期":
		if s.rentSubsidy() {
			return "", true
		}
		return day(dateIn(s.since(18, 2016), s.asOf, s.r(key))), true

	// 中小学学籍信息
	case "全国学籍号":
		return "G" + s.subject, true
	case "学校名称":
		if !s.person {
			return "佛山市南海区" + townShort(s.n) + pick(clinicWords, s.r("学校")) + privateSchools[s.r("办学层次")%uint64(len(privateSchools))].kind, true
		}
		if g := s.grade(); g >= 10 {
			return "佛山市南海区" + townShort(s.n) + "高级中学", true
		} else if g >= 7 {
			return "佛山市南海区" + townShort(s.n) + "初级中学", true
		}
		return "佛山市南海区" + townShort(s.n) + "中心小学", true
	case "年级":
		return grades[max(min(s.grade(), 12), 1)-1], true
	case "入学日期":
		g := s.grade()
		stage := 1
		if g >= 10 {
			stage = 10
		} else if g >= 7 {
			stage = 7
		}
		return fmt.Sprintf("%d-09-01", schoolYear(s.asOf)-(g-stage)), true
	case "学籍状态":
		return weighted([]string{"在籍", "休学", "转出"}, []uint16{970, 985, 1000}, s.r(key)), true

	// 民办学校办学许可信息
	case "办学许可证号":
		return fmt.Sprintf("教民1440605%d%06d号", 7, s.n%1000000), true
	case "办学层次":
		return privateSchools[s.r("办学层次")%uint64(len(privateSchools))].level, true

	// 教师资格认定信息
	case "证书号码":
		return fmt.Sprintf("%d4406%d%d%07d", s.recognised().Year(), s.teacherKind()+1, s.sexDigit(), s.n%10000000), true
	case "资格种类":
		return teacherKinds[s.teacherKind()], true
	case "任教学科":
		if s.teacherKind() == 0 {
			return "幼儿园", true
		}
		return pick([]string{"语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "道德与法治", "体育", "音乐", "美术", "信息技术"}, s.r(key)), true

	// 学生资助信息
	case "资助项目":
		return aids[s.r("资助")%uint64(len(aids))].name, true
	case "资助金额":
		return aids[s.r("资助")%uint64(len(aids))].amount, true
	case "发放日期":
		return day(s.aidDate()), true

	// 义务教育入学登记信息
	case "报名学校":
		if s.enrolAge() == 6 {
			return "佛山市南海区" + townShort(s.n) + "中心小学", true
		}
		return "佛山市南海区" + townShort(s.n) + "初级中学", true
	case "户籍类别": // on the day: one who moved in later was not yet
		if s.registeredOn(s.enrolDate()) {
			return "本区户籍", true
		}
		return "非本区户籍", true
	case "监护人公民身份号码":
		return parentID(s.subject, s.r(key)%3 == 0, s.n), true
	case "报名日期":
		return day(s.enrolDate()), true

	// 纳税人登记信息, 纳税信用等级信息, 完税证明信息, 欠税公告信息
	case "纳税人状态":
		return weighted([]string{"正常", "非正常", "注销"}, []uint16{950, 980, 1000}, s.r(key)), true
	case "主管税务机关":
		return "国家税务总局佛山市南海区税务局" + townShort(s.n) + "税务分局", true
	case "评价年度":
		last := s.asOf.Year() - 1                             // the last year evaluated
		from := min(max(last-4, founded(s.n).Year()+1), last) // the year after founding, of the last five
		return strconv.Itoa(from + int(s.r(key)%uint64(last+1-from))), true
	case "信用等级":
		return weighted([]string{"A", "B", "M", "C", "D"}, []uint16{250, 700, 900, 970, 1000}, s.r(key)), true
	case "完税证明号码":
		return fmt.Sprintf("2440605%d%07d", s.after(2023, "入库日期").Year(), s.n%10000000), true
	case "税种", "欠税税种":
		return pick([]string{"增值税", "企业所得税", "城市维护建设税", "印花税", "房产税", "城镇土地使用税", "个人所得税"}, s.r(key)), true
	case "实缴金额":
		return yuan(int64(10000 + s.r(key)%5000000)), true
	case "入库日期":
		return day(s.after(2023, key)), true
	case "欠税余额":
		return yuan(int64(100000 + s.r(key)%50000000)), true
	case "公告日期":
		return day(s.noticeDate()), true

	// 个人所得税纳税记录
	case "所得项目":
		return weighted(incomeKinds, []uint16{800, 880, 900, 910, 950, 980, 1000}, s.r("所得")), true
	case "收入额":
		return yuan(s.income()), true
	case "已缴税额":
		return yuan(s.incomeTax()), true

	// 残疾人证信息 and the disabled persons' services
	case "残疾人证号":
		return s.subject + strconv.Itoa(int(s.r("残疾类别")%7)+1) + strconv.Itoa(int(s.r("残疾等级")%4)+1), true
	case "残疾类别":
		return disabilities[s.r("残疾类别")%7], true
	case "残疾等级":
		return []string{"一级", "二级", "三级", "四级"}[s.r("残疾等级")%4], true
	case "补贴类型":
		if s.r("补贴")%2 == 0 {
			return "困难残疾人生活补贴", true
		}
		return "重度残疾人护理补贴", true
	case "补贴金额":
		if s.r("补贴")%2 == 0 {
			return "200.00", true
		}
		return []string{"240.00", "180.00"}[s.r(key)%2], true
	case "扶持项目":
		return pick([]string{"自主创业补贴", "灵活就业社会保险补贴", "职业技能培训补贴", "盲人按摩机构扶持", "辅助性就业补贴"}, s.r(key)), true
	case "扶持金额":
		return strconv.Itoa(int(2+s.r(key)%9) * 1000), true
	case "扶持日期":
		return day(dateIn(s.since(16, 2016), s.asOf, s.r(key))), true
	case "服务日期":
		return day(s.rehabDate()), true
	case "康复服务项目":
		services := rehabServices
		if s.age(s.rehabDate()) >= 14 {
			services = services[:len(services)-1] // 孤独症儿童康复训练 is for children
		}
		return pick(services, s.r(key)), true
	case "服务机构":
		if s.r(key)%3 == 0 {
			return "佛山市南海区残疾人康复中心", true
		}
		return "佛山市南海区" + towns[s.r(key)/4%uint64(len(towns))] + "康园中心", true
	case "床位数":
		return strconv.Itoa(int(20 + s.r(key)%180)), true

	// 律师执业信息, 律师事务所执业许可信息
	case "执业证号":
		return fmt.Sprintf("14406%d%d%07d", s.issued(24, 2000).Year(), s.sexDigit(), s.n%10000000), true
	case "执业机构":
		return firm(s.r(key)), true
	case "律师事务所名称":
		return firm(uint64(s.n)), true
	case "执业许可证号":
		return fmt.Sprintf("3440600%d%06d", founded(s.n).Year(), s.n%1000000), true
	case "负责人":
		return personName(s.n*7 + 3), true
	case "组织形式":
		return weighted([]string{"普通合伙", "个人", "特殊的普通合伙"}, []uint16{700, 950, 1000}, s.r(key)), true

	// 公证书信息, 法律援助信息, 未成年人社区矫正档案
	case "公证书编号":
		return fmt.Sprintf("（%d）粤佛南海第%06d号", s.issued(18, 2016).Year(), s.n%1000000), true
	case "公证事项":
		return pick([]string{"出生公证", "学历公证", "无犯罪记录公证", "亲属关系公证", "委托公证", "声明公证", "继承公证", "婚姻状况公证"}, s.r(key)), true
	case "出具日期":
		return day(s.issued(18, 2016)), true
	case "公证机构":
		return "广东省佛山市南海公证处", true
	case "案件类型":
		return pick([]string{"劳动争议", "婚姻家庭纠纷", "交通事故赔偿", "人身损害赔偿", "刑事辩护", "追索劳动报酬", "房屋租赁合同纠纷"}, s.r(key)), true
	case "受理日期":
		return day(s.accepted()), true
	case "承办律师":
		return personName(int(s.r(key) % DemoPersons)), true
	case "结案日期":
		d := s.accepted().AddDate(0, 0, 30+int(s.r(key)%210))
		if d.After(s.asOf) {
			return "", true
		}
		return day(d), true
	case "矫正类别":
		return weighted([]string{"缓刑", "管制", "假释", "暂予监外执行"}, []uint16{850, 900, 970, 1000}, s.r(key)), true
	case "矫正期限":
		start := dateIn(s.birth.AddDate(14, 0, 0), earlier(s.birth.AddDate(17, 6, 0), s.asOf), s.r(key))
		return day(start) + "至" + day(start.AddDate(0, 6+int(s.r(key)/1024%30), -1)), true
	case "执行地":
		return "佛山市南海区" + towns[s.n%len(towns)], true

	// 医疗费用结算信息
	case "就诊机构":
		if s.inpatient() {
			return pick(hospitals, s.r(key)), true
		}
		return pick(clinicsAndHospitals, s.r(key)), true
	case "结算日期":
		return day(dateIn(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), s.asOf, s.r(key))), true
	case "医疗总费用":
		return yuan(s.medicalCost()), true
	case "统筹支付金额":
		return yuan(s.medicalCost() - s.ownPay()), true
	case "个人自付金额":
		return yuan(s.ownPay()), true

	// 定点医药机构信息
	case "机构类型":
		if pharmacy(s.n) {
			return "定点零售药店", true
		}
		return "定点医疗机构", true
	case "协议起始日期":
		return day(s.agreementStart()), true
	case "协议截止日期":
		return day(s.agreementStart().AddDate(3, 0, -1)), true

	// 门诊慢特病待遇认定信息
	case "病种名称":
		return pick(chronic, s.r(key)), true

	// 企业开办一件事办理信息
	case "开办用时":
		return strconv.FormatFloat(0.5*float64(1+s.r(key)%4), 'f', 1, 64), true // working days
	case "办结日期":
		return day(founded(s.n)), true

	// Entries without a subject (not seeded, but Values fills them).
	case "不动产权证书号":
		return fmt.Sprintf("粤（%d）佛南不动产权第%07d号", 2016+s.n%10, s.n%10000000), true
	case "权利人", "抵押人":
		return personName(s.n), true
	case "权利人证件号码":
		return PersonID(s.n % DemoPersons), true
	case "坐落":
		return "佛山市南海区" + towns[s.n%len(towns)] + project(s.r("项目")) + strconv.Itoa(s.n%30+1) + "座", true
	case "面积", "图斑面积":
		return strconv.FormatFloat(float64(60+s.r(key)%240)+float64(s.r(key)/1000%100)/100, 'f', 2, 64), true
	case "权利性质":
		return pick([]string{"市场化商品房", "划拨", "出让"}, s.r(key)), true
	case "抵押权人":
		return pick([]string{"中国工商银行股份有限公司佛山南海支行", "中国建设银行股份有限公司佛山南海支行", "广东南海农村商业银行股份有限公司"}, s.r(key)), true
	case "被担保主债权数额":
		return strconv.FormatInt(int64(20+s.r(key)%280)*10000, 10), true
	case "债务履行期限":
		start := dateIn(time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC), s.asOf, s.r(key))
		return day(start) + "起" + day(start.AddDate(20+int(s.r(key)%11), 0, -1)) + "止", true
	case "地表覆盖类型":
		return pick([]string{"耕地", "园地", "林地", "草地", "房屋建筑区", "道路", "构筑物", "人工堆掘地", "水域"}, s.r(key)), true
	case "监测年度":
		return strconv.Itoa(2019 + s.n%6), true
	case "事项名称":
		return pick([]string{"企业设立登记", "居民身份证申领", "户口迁移", "社会保险参保登记", "不动产登记", "食品经营许可", "残疾人证核发"}, s.r(key)), true
	case "受理部门":
		return pick([]string{"佛山市南海区市场监督管理局", "佛山市公安局南海分局", "佛山市南海区人力资源和社会保障局", "佛山市南海区民政局"}, s.r(key)), true
	case "受理时间":
		return s.acceptedAt().Format(time.RFC3339), true
	case "办结时间":
		if d, ok := s.concluded(); ok {
			return d.Format(time.RFC3339), true
		}
		return "", true
	case "办理结果":
		if _, ok := s.concluded(); !ok {
			return "", true
		}
		return weighted([]string{"准予许可", "办结", "不予许可"}, []uint16{600, 970, 1000}, s.r(key)), true
	}
	return "", false
}

// Helpers of the values above: each a pure function of the subject and n,
// so that the items of a record that depend on one another agree.

// idCardIssued is the day the person's current identity card was issued:
// in the last ten years, at 16 or later, since the household registration
// is in the district (a card is issued anew on moving in) and before the
// death or the move out.
func (s *subj) idCardIssued() time.Time {
	return dateIn(later(s.since(16, s.asOf.Year()-9), s.registeredSince()), s.end(), s.r("证件有效期起始日期"))
}

// later is the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// earlier is the earlier of a and b.
func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// transferred says whether the person's household registration moved
// (户口迁移, of the kind move says, on moveDate): those who moved in
// (movedIn, two in a hundred), and of the living born here three in a
// hundred, out of the district or within it; one in twenty of the
// district's living registered residents in all. A migrant's moves are
// recorded where they are registered.
func (s *subj) transferred() bool {
	return s.movedIn || s.local && !s.dead() && s.trait(14)%100 < 3
}

// move is the kind of the person's household registration move: into the
// district (movedIn), or out of it or within it (one in three out).
func (s *subj) move() string {
	switch {
	case s.movedIn:
		return "迁入"
	case s.r("迁移类型")%3 == 0:
		return "迁出"
	}
	return "区内移居"
}

// moveDate is the day of the move (办理日期): from 2016; out of the
// district at 16 or later, after the identity card the district issued.
func (s *subj) moveDate() time.Time {
	minAge := 0
	if s.move() == "迁出" {
		minAge = 16
	}
	return dateIn(s.since(minAge, 2016), s.asOf, s.r("办理日期"))
}

// movedOut says whether the person's household registration moved out of
// the district (迁出) on moveDate: it is cancelled there, and the
// identity card with it.
func (s *subj) movedOut() bool {
	return s.transferred() && s.move() == "迁出"
}

// birthPlace is the person's place of birth (出生地): the district, or for
// one who moved in the county of the citizen ID.
func (s *subj) birthPlace() string {
	if s.movedIn {
		return homePlaces[s.subject[:6]]
	}
	return "广东省佛山市南海区"
}

// registeredSince is the first day of the person's household registration
// in the district: the move in (迁入), or the birth.
func (s *subj) registeredSince() time.Time {
	if s.transferred() && s.move() == "迁入" {
		return s.moveDate()
	}
	return s.birth
}

// registeredOn says whether the person's household registration is in
// the district on day d: from registeredSince (the day of the move in)
// until the death or the move out (the day before it).
func (s *subj) registeredOn(d time.Time) bool {
	return s.local && !d.Before(s.registeredSince()) && (!s.deregistered() || d.Before(s.end()))
}

// deregistered says whether the person's household registration in the
// district was cancelled: on the death (户口注销) or the move out.
func (s *subj) deregistered() bool {
	return s.dead() || s.movedOut()
}

// dead says whether the person died (on deathDate): one in eight of the
// district's registered residents born by 1960 (about 1.3 % a year at 55
// to 75) who did not move in. Migrants are not: their deaths are recorded
// where they are registered.
func (s *subj) dead() bool {
	return s.local && !s.movedIn && s.birth.Year() <= 1960 && s.trait(13)%8 == 0
}

// deathDate is the day the person died: from 2016, at 55 or later.
func (s *subj) deathDate() time.Time {
	return dateIn(s.since(55, 2016), s.asOf, s.r("死亡日期"))
}

// end is the last day of the person's records in the district: the
// death, the move out, or asOf.
func (s *subj) end() time.Time {
	if s.dead() {
		return s.deathDate()
	}
	if s.movedOut() {
		return s.moveDate()
	}
	return s.asOf
}

// recognised is a day of a recognition (认定日期): a qualification or a
// benefit, from 2016, since the household registration is in the district
// (特困人员 are those registered there), at the age of recognitionAge.
func (s *subj) recognised() time.Time {
	return dateIn(later(s.since(recognitionAge[s.entry], 2016), s.registeredSince()), s.asOf, s.r("认定日期"))
}

// recognitionAge is the age from which an entry's recognitions are made:
// a teacher's qualification at 22, with a degree; support for the
// destitute (特困人员) and the outpatient chronic and special disease
// benefits (门诊慢特病) at any age (0, as the entries it does not list).
var recognitionAge = map[string]int{"教师资格认定信息": 22}

// issued is a day of issue of a certificate from year, at minAge or later.
func (s *subj) issued(minAge, year int) time.Time {
	return dateIn(s.since(minAge, year), s.asOf, s.r("发证日期"))
}

// registered is a day of registration (登记日期) of a person: a marriage,
// an employment, a house contract.
func (s *subj) registered() time.Time {
	switch s.entry {
	case "婚姻登记信息":
		m := s.marriageDate()
		if s.marriageRegistration() == "离婚登记" {
			return dateIn(m.AddDate(1, 0, 0), s.end(), s.trait(11))
		}
		if s.marriageRegistration() == "补领结婚证" {
			return dateIn(m.AddDate(0, 6, 0), s.end(), s.trait(11))
		}
		return m
	case "房屋网签备案信息":
		return dateIn(s.since(22, 2016), s.asOf, s.r("备案日期"))
	}
	return dateIn(s.since(18, 2016), s.asOf, s.r("登记日期"))
}

// marriageRegistration is the kind of the person's marriage registration:
// a divorce for the divorced, a marriage or a certificate reissued for
// the others who married.
func (s *subj) marriageRegistration() string {
	if s.maritalStatus() == "离婚" {
		return "离婚登记"
	}
	if s.trait(12)%10 == 0 {
		return "补领结婚证"
	}
	return "结婚登记"
}

// disabilityIssued is the day the person's disability card was issued:
// valid ten years, issued within the last ten, since the household
// registration is in the district.
func (s *subj) disabilityIssued() time.Time {
	return dateIn(later(s.since(0, s.asOf.Year()-9), s.registeredSince()), s.asOf, s.r("发证日期"))
}

var violations = []string{"销售不符合食品安全标准的食品", "未按规定公示年度报告", "发布虚假广告", "无照经营",
	"销售不合格产品", "未建立食品进货查验记录", "使用未经检验的特种设备"}

var abnormalIn = []string{"未按照规定期限公示年度报告", "通过登记的住所或者经营场所无法联系", "公示企业信息隐瞒真实情况、弄虚作假"}

// noticeDate is the day of the company's tax arrears notice (欠税公告):
// the tax authority publishes them on the 15th of each quarter's first
// month; one of those since 2020 and since the company was founded, until
// asOf (the first after the founding when none is).
func (s *subj) noticeDate() time.Time {
	from := later(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), founded(s.n))
	first := time.Date(from.Year(), (from.Month()-1)/3*3+1, 15, 0, 0, 0, 0, time.UTC)
	if first.Before(from) {
		first = first.AddDate(0, 3, 0)
	}
	quarters := 0
	for d := first; !d.After(s.asOf); d = d.AddDate(0, 3, 0) {
		quarters++
	}
	if quarters == 0 {
		return first
	}
	return first.AddDate(0, 3*int(s.r("公告日期")%uint64(quarters)), 0)
}

// rehabServices are the basic rehabilitation services of the disabled,
// the last one (孤独症儿童康复训练) for children under 14.
var rehabServices = []string{"辅助器具适配", "肢体康复训练", "视力康复", "听力言语康复", "智力康复训练", "精神康复", "孤独症儿童康复训练"}

// rehabDate is the day of the person's rehabilitation service (服务日期),
// at any age, from 2016.
func (s *subj) rehabDate() time.Time {
	return dateIn(s.since(0, 2016), s.asOf, s.r("服务日期"))
}

// listed is the day the company was listed as abnormal.
func (s *subj) listed() time.Time {
	return s.after(2015, "列入日期")
}

// removed is the day the company was removed from the list of the
// abnormal, 30 days to two years after listed, for four in ten; ok is
// false while it is still listed (a removal drawn after asOf).
func (s *subj) removed() (d time.Time, ok bool) {
	if s.r("移出")%10 >= 6 {
		return time.Time{}, false
	}
	l := s.listed()
	d = dateIn(l.AddDate(0, 0, 30), l.AddDate(2, 0, 0), s.r("移出日期"))
	return d, !d.After(s.asOf)
}

// equipment are the kinds of special equipment with their code prefix and
// the abbreviation on the registration certificate.
var equipment = []struct{ kind, code, abbr string }{
	{"电梯", "3110", "梯"}, {"电梯", "3120", "梯"}, {"锅炉", "1100", "锅"}, {"压力容器", "2100", "容"},
	{"起重机械", "4100", "起"}, {"场（厂）内专用机动车辆", "5110", "车"}, {"压力管道", "8100", "管"},
}

// socialOrgs is the entry of the district's social organisations: a
// population of its own of DemoSocialOrgs, not the companies, organisation
// n with its own representative and registration date.
const socialOrgs = "社会组织登记信息"

// socialOrgNames are the endings of the names of social organisations of
// each kind (orgKinds), after the town and the trade, all different.
var socialOrgNames = map[string][]string{
	"社会团体":    {"行业协会", "商会", "促进会", "联合会", "研究会"},
	"民办非企业单位": {"职业培训学校", "技能培训中心", "培训学校", "职业技能培训学校", "服务中心"},
	"基金会":     {"慈善基金会", "发展基金会", "教育基金会", "公益基金会", "助学基金会"},
}

// socialOrgName is the name of social organisation n: of its town, a
// trade and an ending of its kind, these three another for each n below
// 7 × 12 × 5 = 420 (at least DemoSocialOrgs), so that no two share a name.
func socialOrgName(n int) string {
	i := n % (len(towns) * len(bizWords) * 5)
	endings := socialOrgNames[orgKind(n)]
	return "佛山市南海区" + townShort(i) + bizWords[i/len(towns)%len(bizWords)] + endings[i/(len(towns)*len(bizWords))]
}

// socialOrgLeader is the demo person who represents social organisation n
// (法定代表人（负责人）): one born by 1990.
func socialOrgLeader(n int) int {
	p := int(mix(uint64(n)*0x5bd1e995+0x0c0ffee) % DemoPersons)
	for birthDate(PersonID(p)).Year() > 1990 {
		p = (p + 1) % DemoPersons
	}
	return p
}

// socialOrgRegistered is the day social organisation n was registered
// (登记日期): between 1992 and 2024.
func socialOrgRegistered(n int) time.Time {
	return dateIn(time.Date(1992, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), mix(uint64(n)*0x2f0b3a49+0x5ec))
}

// orgKinds are the kinds of social organisations, in the order of their
// categories in the unified social credit code (51, 52, 53).
var orgKinds = []string{"社会团体", "民办非企业单位", "基金会"}

// orgKind is the kind of social organisation n.
func orgKind(n int) string {
	return weighted(orgKinds, []uint16{700, 970, 1000}, mix(uint64(n)*31))
}

// retired says whether the person has reached the retirement age (60 for
// men, 50 for women).
func (s *subj) retired() bool {
	if s.male {
		return s.age(s.asOf) >= 60
	}
	return s.age(s.asOf) >= 50
}

// insuredSince is the day the person was first insured: at 18 or later,
// from 1992.
func (s *subj) insuredSince() time.Time {
	to := s.since(30, 1992)
	if to.After(s.asOf) {
		to = s.asOf
	}
	return dateIn(s.since(18, 1992), to, s.r("首次参保日期"))
}

// medicalEmployee says whether the person's medical insurance is the
// employees' one.
func (s *subj) medicalEmployee() bool {
	return s.age(s.asOf) >= 18 && s.r("险种类型")%10 < 6
}

var clinicWords = []string{"仁爱", "康宁", "博济", "安康", "惠民", "德馨", "济华", "同仁", "育才", "启智"}

var clinics = []struct{ kind, subjects string }{
	{"门诊部", "内科；外科；医学检验科；医学影像科"},
	{"诊所", "全科医疗科"},
	{"口腔门诊部", "口腔科；医学影像科"},
	{"中医诊所", "中医科"},
	{"医院", "内科；外科；妇产科；儿科；急诊医学科；医学检验科；医学影像科"},
}

var physicianKinds = []string{"临床", "中医", "口腔", "公共卫生"}

// floorArea is the floor area of the person's house.
func (s *subj) floorArea() float64 {
	r := s.r("建筑面积")
	return float64(60+r%120) + float64(r/1000%100)/100
}

// rentSubsidy says whether the person's public housing is a rent subsidy
// rather than a flat.
func (s *subj) rentSubsidy() bool { return s.r("保障方式")%5 == 0 }

// schoolYear is the year the school year of day d began.
func schoolYear(d time.Time) int {
	if d.Month() < time.September {
		return d.Year() - 1
	}
	return d.Year()
}

// grade is the pupil's grade in the school year of asOf: 1 from the
// September after the sixth birthday.
func (s *subj) grade() int {
	first := s.birth.Year() + 6
	if s.birth.Month() >= time.September {
		first++
	}
	return schoolYear(s.asOf) - first + 1
}

var grades = []string{"一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级", "高一", "高二", "高三"}

var privateSchools = []struct{ kind, level string }{
	{"幼儿园", "学前教育"}, {"幼儿园", "学前教育"}, {"实验学校", "九年一贯制"}, {"外国语学校", "初中"},
	{"培训学校", "非学历教育培训"}, {"培训学校", "非学历教育培训"},
}

var teacherKinds = []string{"幼儿园教师资格", "小学教师资格", "初级中学教师资格", "高级中学教师资格", "中等职业学校教师资格"}

func (s *subj) teacherKind() int { return int(s.r("资格种类") % uint64(len(teacherKinds))) }

var aids = []struct{ name, amount string }{
	{"普通高中国家助学金", "1000.00"}, {"中等职业学校国家助学金", "1000.00"}, {"本专科生国家助学金", "1650.00"},
	{"国家励志奖学金", "6000.00"}, {"免学杂费补助", "1750.00"},
}

// aidDate is the day of a student aid: in a term the person studied, at 15
// to 21, from 2015.
func (s *subj) aidDate() time.Time {
	d := dateIn(s.since(15, 2015), s.birth.AddDate(21, 0, 0), s.r("发放日期"))
	if d.After(s.asOf) {
		d = s.asOf
	}
	return d
}

// enrolAge is the age at which the person registered for school: 6 for the
// primary school or 12 for the junior middle school, registrations being
// kept from 2015.
func (s *subj) enrolAge() int {
	if s.birth.Year()+6 >= 2015 && s.r("入学")%2 == 0 {
		return 6
	}
	return 12
}

// enrolDate is the day the person registered for school (报名日期), in May
// or June of the year of enrolAge.
func (s *subj) enrolDate() time.Time {
	y := s.birth.Year() + s.enrolAge()
	return dateIn(time.Date(y, 5, 6, 0, 0, 0, 0, time.UTC), time.Date(y, 6, 10, 0, 0, 0, 0, time.UTC), s.r("报名日期"))
}

var incomeKinds = []string{"工资、薪金所得", "劳务报酬所得", "稿酬所得", "特许权使用费所得", "经营所得", "利息、股息、红利所得", "财产租赁所得"}

// income is the person's income of the month, in cents.
func (s *subj) income() int64 {
	r := s.r("收入额")
	if weighted(incomeKinds, []uint16{800, 880, 900, 910, 950, 980, 1000}, s.r("所得")) == "工资、薪金所得" {
		return int64(4000+r%36000) * 100
	}
	return int64(800+r%20000) * 100
}

// incomeTax is the tax withheld on income: on wages the monthly rates of
// the comprehensive income over 5,000 yuan less 10 % of social insurance,
// else 20 % (of 80 % for labour income).
func (s *subj) incomeTax() int64 {
	in := s.income()
	if weighted(incomeKinds, []uint16{800, 880, 900, 910, 950, 980, 1000}, s.r("所得")) != "工资、薪金所得" {
		return in * 16 / 100
	}
	taxable := in - in/10 - 500000
	if taxable <= 0 {
		return 0
	}
	for _, b := range []struct{ upTo, rate, deduct int64 }{{300000, 3, 0}, {1200000, 10, 21000}, {2500000, 20, 141000}, {3500000, 25, 266000}} {
		if taxable <= b.upTo {
			return taxable*b.rate/100 - b.deduct
		}
	}
	return taxable*30/100 - 441000
}

var disabilities = []string{"视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾"}

// accepted is the day a legal aid case was accepted.
func (s *subj) accepted() time.Time {
	return dateIn(s.since(18, 2016), s.asOf, s.r("受理日期"))
}

// inpatient says whether the medical settlement is of a hospital stay.
func (s *subj) inpatient() bool { return s.r("就诊")%5 == 0 }

// medicalCost is the total of a settlement in cents: an outpatient visit
// or a hospital stay.
func (s *subj) medicalCost() int64 {
	r := s.r("医疗总费用")
	if s.inpatient() {
		return int64(300000 + r%5700000)
	}
	return int64(5000 + r%75000)
}

// ownPay is the patient's own share of medicalCost: 15 to 30 % of a stay,
// 40 to 50 % of a visit.
func (s *subj) ownPay() int64 {
	r := int64(s.r("个人自付金额") % 16)
	if s.inpatient() {
		return s.medicalCost() * (15 + r) / 100
	}
	return s.medicalCost() * (40 + r*10/16) / 100
}

// pharmacy says whether medical insurance partner n is a pharmacy, not a
// medical institution.
func pharmacy(n int) bool { return (&subj{n: n}).r("机构类型")%3 != 0 }

// agreementStart is the first day of a medical insurance agreement.
func (s *subj) agreementStart() time.Time {
	y := s.asOf.Year() - 2 + int(s.r("协议")%3) // agreements of three years
	return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
}

// acceptedAt is the time a government service case was accepted: a working
// hour of a day since 2024.
func (s *subj) acceptedAt() time.Time {
	d := dateIn(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), s.asOf, s.r("受理时间"))
	return time.Date(d.Year(), d.Month(), d.Day(), 9, int(s.r("受理时间")/1000%480), 0, 0, beijing)
}

// concluded is the time a government service case was concluded, up to
// nine days after acceptedAt; ok is false while it is open (concluded
// after asOf).
func (s *subj) concluded() (t time.Time, ok bool) {
	t = s.acceptedAt().AddDate(0, 0, int(s.r("办结时间")%10))
	return t, t.Format("2006-01-02") <= day(s.asOf)
}

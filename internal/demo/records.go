package demo

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Demo population: persons and companies with valid identifiers.
const (
	DemoPersons   = 100000
	DemoCompanies = 20000
	// DemoSocialOrgs is the number of the district's social organisations
	// (社会组织登记信息), a population of their own (socialOrgs).
	DemoSocialOrgs = 400
)

// PersonID returns the citizen ID of demo person n (0 ≤ n < 1,000,000):
// born between 1950 and 2009, valid check digit, with the region code of
// the county where the ID was issued with the first household
// registration (户籍), at the birth: Nanhai (440605), or a county outside
// Foshan (homeRegions) for a migrant (see migrant), still registered
// there, and for one who moved the registration into the district
// (movedIn), born elsewhere.
func PersonID(n int) string {
	birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (n*7919)%21900)
	region := "440605"
	if r := personDraw(n); migrant(birth, r) || movedIn(birth, r) {
		region = homeRegion(r)
	}
	first17 := region + birth.Format("20060102") + fmt.Sprintf("%03d", n%1000)
	return first17 + string(ident.CitizenIDCheck(first17))
}

// personDraw is the pseudo-random number that makes person n a migrant or
// one who moved in, and chooses the county of the citizen ID then.
func personDraw(n int) uint64 { return mix(uint64(n) * 0x2545f4914f6cdd1d) }

// homeRegions are the counties outside Foshan where the district's
// migrants are registered (their 户籍) and where those who moved in were
// born: mostly of western Guangdong, Guangxi, Hunan, Jiangxi, Sichuan and
// Hubei. A residence permit (居住证) is for persons living in a city other
// than that of their household registration, so none of them is in
// Foshan.
var homeRegions = []string{"440881", "440982", "450902", "430421", "360731", "511321", "421022", "440881", "440982", "450902"}

// homePlaces are the names of the counties of homeRegions, as a place of
// birth (出生地) or of a household registration (迁出地) says them.
var homePlaces = map[string]string{"440881": "广东省湛江市廉江市", "440982": "广东省茂名市化州市", "450902": "广西壮族自治区玉林市玉州区",
	"430421": "湖南省衡阳市衡阳县", "360731": "江西省赣州市于都县", "511321": "四川省南充市南部县", "421022": "湖北省荆州市公安县"}

// homeRegion is the county of homeRegions that r chooses.
func homeRegion(r uint64) string { return homeRegions[r/100%uint64(len(homeRegions))] }

// migrant says whether a person born on birth lives in the district with
// the household registration elsewhere (流动人口), r choosing: 45 % of
// those born after 1965 (of working age, 16 to 59, at the end of 2025),
// 10 % of the older. It does not depend on a demo's AsOf, so that
// PersonID does not.
func migrant(birth time.Time, r uint64) bool {
	if birth.Year() > 1965 {
		return r%100 < 45
	}
	return r%100 < 10
}

// movedIn says whether a person born on birth, not a migrant, moved the
// household registration into the district (户口迁移 迁入, on moveDate),
// r choosing: two in a hundred. The citizen ID is of the county where the
// person was first registered, mostly born (homeRegions): a move keeps
// the number.
func movedIn(birth time.Time, r uint64) bool {
	return !migrant(birth, r) && r/1000%50 == 0
}

// CompanyUSCC returns the unified social credit code of demo company n.
func CompanyUSCC(n int) string {
	code, err := ident.MakeUSCC("91440605", fmt.Sprintf("%08d", 40000000+n*7))
	if err != nil {
		panic(err) // the body is eight digits
	}
	return code
}

// EntityUSCC returns the unified social credit code of subject n of the
// legal-entity entry named entry: company n's (CompanyUSCC), or in an
// entry of organisations that are not the demo's companies (orgEntries)
// organisation n's of that entry, of its kind, so that no code is given
// two names.
func EntityUSCC(entry string, n int) string {
	if code, ok := orgEntries[entry]; ok {
		return code(n)
	}
	return CompanyUSCC(n)
}

// orgEntries give the codes of the holders of the legal-entity entries
// that are not companies of the demo's: social organisations (社会团体 51,
// 民办非企业单位 52, 基金会 53, registered by 民政), private non-profit
// medical institutions, care homes for the disabled and private schools
// (民办非企业单位 52),
// law firms (律师执业机构 31, licensed by the province's 司法厅) and, of
// the medical insurance's partners, pharmacies (企业 91, companies not
// among the demo's) and medical institutions (those of the licences).
var orgEntries = map[string]func(int) string{
	"社会组织登记信息": func(n int) string {
		return orgUSCC("5"+strconv.Itoa(slices.Index(orgKinds, orgKind(n))+1)+"440605", 50000000, n)
	},
	"医疗机构执业许可信息":  medicalUSCC,
	"残疾人托养服务机构信息": func(n int) string { return orgUSCC("52440605", 52000000, n) },
	"律师事务所执业许可信息": func(n int) string { return orgUSCC("31440000", 53000000, n) },
	"民办学校办学许可信息":  func(n int) string { return orgUSCC("52440605", 55000000, n) },
	"定点医药机构信息": func(n int) string {
		if pharmacy(n) {
			return orgUSCC("91440605", 54000000, n)
		}
		return medicalUSCC(n)
	},
}

// medicalUSCC is the code of medical institution n.
func medicalUSCC(n int) string { return orgUSCC("52440605", 51000000, n) }

// orgUSCC makes the code of organisation n: first8 the registration
// authority, the category and the region, the organisation code from a
// range of its own starting at base (the companies' start at 40000000).
func orgUSCC(first8 string, base, n int) string {
	code, err := ident.MakeUSCC(first8, fmt.Sprintf("%08d", base+n*7))
	if err != nil {
		panic(err) // the body is eight digits
	}
	return code
}

// miswritten is name as another department wrote it down, as real
// sources differ: a person's last character as a homophone (陈志伟 陈志玮),
// a company without its city (佛山市南海区… 南海区…).
func miswritten(name string) string {
	if rest, ok := strings.CutPrefix(name, "佛山市"); ok {
		return rest
	}
	r := []rune(name)
	if h, ok := homophones[r[len(r)-1]]; ok {
		r[len(r)-1] = h
	}
	return string(r)
}

// homophones are characters of given names pronounced as one of given.
var homophones = map[rune]rune{'伟': '玮', '芳': '方', '娜': '那', '敏': '珉', '静': '婧', '丽': '俐', '强': '蔷', '磊': '垒',
	'军': '君', '洋': '阳', '勇': '永', '艳': '燕', '杰': '洁', '涛': '滔', '明': '鸣', '超': '潮', '秀': '绣', '霞': '侠', '平': '萍',
	'刚': '钢', '桂': '贵', '英': '瑛', '华': '桦', '志': '智', '文': '雯', '辉': '晖', '建': '健', '国': '帼', '嘉': '佳', '欣': '昕',
	'浩': '皓', '然': '冉', '子': '梓', '轩': '萱'}

var (
	surnames  = []rune("陈李黄张梁林何吴郭罗谢冯邓叶潘杨周刘关麦区")
	towns     = []string{"桂城街道", "九江镇", "西樵镇", "丹灶镇", "狮山镇", "大沥镇", "里水镇"}
	bizWords  = []string{"智造", "五金", "陶瓷", "纺织", "电子", "家具", "食品", "物流", "建材", "科技", "建筑", "房地产"}
	bizSuffix = []string{"有限公司", "有限责任公司", "股份有限公司", "贸易商行"}
)

// maleGiven and femaleGiven are the characters of men's and of women's
// given names; some are of both.
var (
	maleGiven   = []rune("伟强磊军洋勇杰涛明超刚志辉建国浩然子轩华文平嘉")
	femaleGiven = []rune("芳娜敏静丽艳秀霞桂英欣嘉文华平子然")
)

// personName is the name of demo person n: of the sex of PersonID(n),
// whose 17th digit is the last of n.
func personName(n int) string {
	return string(surnames[n%len(surnames)]) + givenName(n%2 == 1, uint64(n/7), uint64(n/131))
}

// givenName is a given name of two different characters of a man's or a
// woman's, a and b choosing them.
func givenName(male bool, a, b uint64) string {
	g := femaleGiven
	if male {
		g = maleGiven
	}
	i, j := a%uint64(len(g)), b%uint64(len(g)-1)
	if j >= i {
		j++ // of the others
	}
	return string(g[i]) + string(g[j])
}

// companyName is the name of company n as a real one is made: 区划, 字号
// (tradeName), 行业 (the trade of its business scope) and 组织形式 (the
// form of its type).
func companyName(n int) string {
	return "佛山市南海区" + tradeName(n) + trade(n) + bizSuffix[n%len(bizSuffix)]
}

// trade is the trade (行业) of company n, of bizWords.
func trade(n int) string { return bizWords[(n/3)%len(bizWords)] }

// tradeLicences are the licences and qualifications of companies that
// only companies of some trades hold, with those trades: a food business
// licence (食品经营许可) is the food trade's, a construction enterprise
// qualification (建筑业企业资质) the contractors', a pre-sale permit of
// commercial housing (商品房预售许可) the developers'. Every company of
// the trades holds them. The others are of companies of every trade: the
// business licence, tax, the abnormal operations list, special
// equipment, and the land-use and construction permits (建设用地规划许可,
// 施工许可), which the owner of the land and the building (用地单位,
// 建设单位) holds, a company building its factory.
var tradeLicences = map[string][]string{"食品经营许可信息": {"食品"}, "建筑业企业资质信息": {"建筑"}, "商品房预售许可信息": {"房地产"}}

// tradeChars are the characters of the companies' trade names (字号).
var tradeChars = []rune("盛昌隆兴达鑫宏源嘉和裕丰润锦汇晟康荣富祥泓骏华泰恒信德创新美")

// tradeName is the trade name (字号) of company n: two or three different
// tradeChars, another for each n below the number of such names (more
// than DemoCompanies), so that no two demo companies share a name.
func tradeName(n int) string {
	c := uint64(len(tradeChars))
	two := c * (c - 1)
	k := (uint64(n)*7919 + 4111) % (two + two*(c-2)) // 7919 is prime to the count: a permutation
	picks := []uint64{k / (c - 1), k % (c - 1)}
	if k >= two {
		k -= two
		picks = []uint64{k / ((c - 1) * (c - 2)), k / (c - 2) % (c - 1), k % (c - 2)}
	}
	left := append([]rune(nil), tradeChars...)
	name := make([]rune, 0, len(picks))
	for _, i := range picks {
		name = append(name, left[i])
		left = append(left[:i], left[i+1:]...)
	}
	return string(name)
}

// hospitals are the district's hospitals that sign birth and death
// certificates (出生医学证明, 死亡医学证明).
var hospitals = []string{"佛山市南海区人民医院", "佛山市南海区妇幼保健院", "佛山市南海区第二人民医院",
	"佛山市南海区第四人民医院", "佛山市南海区第五人民医院", "佛山市南海区西樵人民医院"}

// parentRegions are where the parents of the district's children were
// registered at birth: mostly here, some elsewhere in the province and beyond.
var parentRegions = []string{"440605", "440605", "440605", "440604", "440606", "440103", "450902"}

// birthCertificatesSince is the first year of birth with a 出生医学证明: the
// certificate was introduced in 1996, so the demo issues none for persons
// born before.
const birthCertificatesSince = 1996

// birthDate is the date of birth in citizen ID id.
func birthDate(id string) time.Time {
	d, _ := time.Parse("20060102", id[6:14])
	return d
}

// registeredHere are the person entries of the district's registered
// residents alone: the household register, the identity cards and birth
// certificates that go with it, and the benefits that require it.
var registeredHere = map[string]bool{"户籍人口基本信息": true, "居民身份证信息": true, "户口迁移登记信息": true,
	"出生医学证明信息": true, "最低生活保障对象信息": true, "特困人员供养信息": true, "残疾人证信息": true, "残疾人两项补贴信息": true}

// deathRecords are the entries that record deaths.
var deathRecords = map[string]bool{"殡葬服务信息": true, "死亡医学证明信息": true}

// wholeRegisters are the entries besides the base ones that take every
// subject that has a record there (SeedRecords), not a sample: the death
// records, so that both hold the same persons, the household registration
// moves, so that every person who moved out is there, and the residence
// permits, the register of the migrants, whom the household register
// leaves out.
var wholeRegisters = map[string]bool{"殡葬服务信息": true, "死亡医学证明信息": true, "户口迁移登记信息": true, "居住证信息": true}

// cancelledOnLeaving are the entries whose record of a person whose
// household registration was cancelled (deregistered: 户口注销 on the
// death, or moved out) is cancelled, the identity card with it: the add of
// the record is followed by its cancel.
var cancelledOnLeaving = map[string]bool{"户籍人口基本信息": true, "居民身份证信息": true}

// keptAfterMovingOut are the entries besides cancelledOnLeaving that hold
// records of a person whose household registration moved out of the
// district: the move, and what was recorded here before it (at the birth,
// in childhood, a marriage before the move).
var keptAfterMovingOut = map[string]bool{"户口迁移登记信息": true, "出生医学证明信息": true, "预防接种信息": true,
	"义务教育入学登记信息": true, "婚姻登记信息": true}

// hasRecord reports whether subject n of entry e has a record there: a
// person of the age the entry's records are about (a driving licence at
// 18, a birth certificate when born in the district since 1996, a pupil
// at school), a
// registered resident in the entries of registeredHere and a migrant in
// the residence permits, a married person in the marriage registrations
// the district's civil affairs bureau made (bureauRegisters: since it
// registers marriages, of a party registered in the district or, since
// 2021, living there; before the death or the move out), a dead person in
// the death records (and, besides them, only in the household register and
// identity cards, cancelled, and the marriage registrations), one whose
// registration moved in the household registration moves (and, after
// moving out, only in the household register and identity cards,
// cancelled, and keptAfterMovingOut), a company founded since 2019 in
// 企业开办一件事, a company of the trade in its tradeLicences. Other
// entries take every subject.
func hasRecord(e *records.Entry, n int, asOf time.Time) bool {
	if e.SubjectKind == records.LegalEntity {
		if e.Name == "企业开办一件事办理信息" {
			return founded(n).Year() >= 2019
		}
		if trades, ok := tradeLicences[e.Name]; ok {
			return slices.Contains(trades, trade(n))
		}
		return true
	}
	if e.SubjectKind != records.Person {
		return true
	}
	s := newSubj(e.Name, e.SubjectKind, PersonID(n), n, asOf)
	if registeredHere[e.Name] && !s.local || e.Name == "居住证信息" && s.local {
		return false
	}
	dead := s.dead()
	if deathRecords[e.Name] {
		return dead
	}
	if dead && !cancelledOnLeaving[e.Name] && e.Name != "婚姻登记信息" {
		return false
	}
	if s.movedOut() && !cancelledOnLeaving[e.Name] && !keptAfterMovingOut[e.Name] {
		return false
	}
	born, age := s.birth.Year(), s.age(asOf)
	switch e.Name {
	case "户口迁移登记信息":
		return s.transferred()
	case "出生医学证明信息":
		return born >= birthCertificatesSince && !s.movedIn
	case "婚姻登记信息":
		return s.maritalStatus() != "未婚" && s.bureauRegisters(s.marriageRegistration(), s.registered()) && !s.marriageDate().After(s.end())
	case "中小学学籍信息":
		return s.grade() >= 1 && s.grade() <= 12
	case "义务教育入学登记信息":
		return born >= 2003
	case "预防接种信息":
		return born >= 2003
	case "学生资助信息":
		return born >= 1994
	case "未成年人社区矫正档案":
		return born >= 1998
	case "医师执业注册信息", "律师执业信息":
		return age >= 26
	case "教师资格认定信息":
		return age >= 22
	case "机动车驾驶证信息", "无犯罪记录证明信息", "社会保险参保信息", "就业失业登记信息", "职业资格证书信息",
		"个人所得税纳税记录", "房屋网签备案信息", "公租房保障信息", "公证书信息", "法律援助信息", "残疾人就业创业扶持信息":
		return age >= 18
	}
	return true
}

// parentID makes the valid citizen ID of a parent of the person with
// citizen ID child: a mother (female) or a father, born 22 to 36 years
// before the child.
func parentID(child string, mother bool, n int) string {
	m := n
	if !mother {
		m = n*31 + 7 // another birth date and region than the mother's
	}
	birth := birthDate(child).AddDate(-22-m%15, 0, -(m*13)%360)
	seq := (m * 37) % 500 * 2 // even: female
	if !mother {
		seq++
	}
	first17 := parentRegions[m%len(parentRegions)] + birth.Format("20060102") + fmt.Sprintf("%03d", seq)
	return first17 + string(ident.CitizenIDCheck(first17))
}

// itemKeys caches catalog.ItemKey of the items' names, which Values would
// otherwise fold for every value.
var itemKeys sync.Map

func itemKey(name string) string {
	if k, ok := itemKeys.Load(name); ok {
		return k.(string)
	}
	k := catalog.ItemKey(name)
	itemKeys.Store(name, k)
	return k
}

// beijing is the zone of times of day in the demo's records.
var beijing = time.FixedZone("CST", 8*3600)

// value makes a plausible, valid value of item it for subject n; ok is false
// when the item should stay empty. soleID says whether it is the entry's
// only item that identifies the subject.
func value(it records.Item, sj *subj, soleID bool) (string, bool) {
	kind, subject, n := sj.kind, sj.subject, sj.n
	key := itemKey(it.Name)
	if it.IdentifiesSubject {
		if (sj.person && (key == "公民身份号码" || soleID && strings.HasSuffix(key, "公民身份号码"))) ||
			(kind == records.LegalEntity && key == "统一社会信用代码") {
			return subject, true
		}
		if sj.person && (key == "男方公民身份号码" || key == "女方公民身份号码") {
			return sj.value(key)
		}
		return "", false
	}
	person := sj.person
	v, ok := sj.value(key)
	if ok {
		if it.Length > 0 && utf8.RuneCountInString(v) > it.Length {
			v = string([]rune(v)[:it.Length])
		}
		return v, true
	}
	switch {
	case key == "姓名" || key == "法定代表人" || strings.HasSuffix(key, "姓名"):
		v = personName(n)
	case key == "企业名称" || key == "单位名称" || key == "机构名称":
		v = companyName(n)
	case key == "出生日期" && person:
		v = subject[6:10] + "-" + subject[10:12] + "-" + subject[12:14]
	case key == "出生时间" && person:
		d := birthDate(subject)
		return time.Date(d.Year(), d.Month(), d.Day(), n%24, (n*7)%60, 0, 0, beijing).Format(time.RFC3339), true
	case strings.HasSuffix(key, "性别") && person:
		v = "女"
		if (subject[16]-'0')%2 == 1 {
			v = "男"
		}
	case key == "出生地点":
		v = "广东省佛山市南海区"
	case strings.HasSuffix(key, "公民身份号码") && person:
		return parentID(subject, strings.HasPrefix(key, "母亲"), n), true
	case key == "出生医学证明编号" && person:
		// One letter per print run of the form, nine digits.
		letter := 'K' + rune(birthDate(subject).Year()-birthCertificatesSince)/3%16
		return fmt.Sprintf("%c44%07d", letter, n%10000000), true
	case key == "签发机构":
		v = hospitals[n%len(hospitals)]
	case strings.Contains(key, "地址") || strings.Contains(key, "住所"):
		v = "佛山市南海区" + towns[n%len(towns)] + strconv.Itoa(n%300+1) + "号"
	}
	if v == "" {
		switch it.Type {
		case "D":
			return time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n%3650).Format("2006-01-02"), true
		case "T":
			return time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(n%700) * time.Hour).Format(time.RFC3339), true
		case "N", "Y", "I":
			v = strconv.Itoa(n%9000 + 100)
			if it.Length > 0 && len(v) > it.Length {
				v = v[:it.Length]
			}
			return v, true
		case "B", "F":
			return strconv.FormatFloat(float64(n%10000)/100, 'f', 2, 64), true
		case "L":
			return strconv.FormatBool(n%5 != 0), true
		}
		v = it.Name + strconv.Itoa(n%97+1)
		if strings.HasSuffix(key, "编号") || strings.HasSuffix(key, "号码") || strings.HasSuffix(key, "证号") {
			v = fmt.Sprintf("NH%08d", n)
		}
	}
	if it.Length > 0 {
		if r := []rune(v); len(r) > it.Length {
			v = string(r[:it.Length])
		}
	}
	return v, true
}

// demoSource generates the operations of one demo entry without building
// them in memory.
type demoSource struct {
	e        *records.Entry
	subjects []int // subject numbers, in order
	i        int
	now      time.Time
	asOf     time.Time // of the values (AsOf)
	skewed   bool      // this entry's provider is not the base source: some values differ
	line     int
	cancel   records.Op // the cancel that follows the add just returned, if its Op is set
}

func (s *demoSource) Next(op *records.Op) (int, error) {
	if s.cancel.Op != "" {
		*op, s.cancel = s.cancel, records.Op{}
		s.line++
		return s.line, nil
	}
	if s.i >= len(s.subjects) {
		return s.line, io.EOF
	}
	n := s.subjects[s.i]
	s.i++
	s.line++
	id := PersonID(n)
	if s.e.SubjectKind == records.LegalEntity {
		id = EntityUSCC(s.e.Name, n)
	}
	vals := ValuesAsOf(s.e, id, n, s.asOf)
	// Deliberate inconsistencies: one subject in fifty has a
	// differently written name in a non-base entry (多源校核 finds them).
	if s.skewed && (n/20)%50 == 3 {
		for k, v := range vals {
			if key := catalog.ItemKey(k); key == "姓名" || key == "企业名称" {
				vals[k] = miswritten(v)
			}
		}
	}
	// Mostly produced an hour ago; one in twenty a week ago (late).
	produced := s.now.Add(-time.Hour - time.Duration(n%50)*time.Minute)
	if late(s.e.Name, n) {
		produced = s.now.AddDate(0, 0, -7)
	}
	*op = records.Op{Op: records.Add, SubjectID: id, Values: vals, ProducedAt: produced, Key: fmt.Sprintf("demo-%d-%d", s.e.ID, n)}
	if cancelledOnLeaving[s.e.Name] {
		if sj := newSubj(s.e.Name, s.e.SubjectKind, id, n, s.asOf); sj.deregistered() {
			s.cancel = records.Op{Op: records.Cancel, SubjectID: id, ProducedAt: produced.Add(time.Minute), Key: op.Key + "-cancel"}
		}
	}
	return s.line, nil
}

// SeedRecords fills the demo catalog's person and legal-entity entries with
// synthetic records: DemoPersons persons, DemoCompanies companies and
// DemoSocialOrgs social organisations with valid identifiers. The base entries (人口 / 法人 basic classes), the
// wholeRegisters and the tradeLicences get every subject that has a
// record there (hasRecord); other entries a share of them, with some deliberate differences and late
// pushes. The household registration and identity card of a person who
// died or moved out are added and then cancelled. It uses the bulk path
// (records.Ingest, one batch per entry) and reports progress to w.
//
// The records are as of AsOf(now): their dates of what happened are up to
// the end of the month before now, validities run from then.
//
// A batch is atomic, so an interrupted SeedRecords leaves each entry either
// filled or empty. It skips the entries that hold records, so that running
// it again finishes the work, and once every entry is filled it only looks
// and returns; the entries it fills then are as of the AsOf of the first
// run (of the time it received the earliest batch of a filled entry), so
// that all agree. It fills only the entries Seed created (an entry added in
// the console keeps what its provider pushes), and returns how many it
// filled.
func SeedRecords(ctx context.Context, db *sqldb.DB, now time.Time, w io.Writer) (int, error) {
	entries, err := demoEntries(ctx, db)
	if err != nil {
		return 0, err
	}
	if len(entries) == 0 {
		fmt.Fprintln(w, "没有已发布的自然人或法人演示数据资源，不填充演示记录")
		return 0, nil
	}
	// Base entries first, so that the others are cross-checked against them on arrival.
	ordered := make([]*records.Entry, 0, len(entries))
	for _, e := range entries {
		if baseEntry(e) {
			ordered = append(ordered, e)
		}
	}
	for _, e := range entries {
		if !baseEntry(e) {
			ordered = append(ordered, e)
		}
	}
	empty := make([]bool, len(ordered))
	todo := 0
	first := now // the time the first run received its first batch
	for i, e := range ordered {
		var n int
		if err := db.Read().QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM record_versions WHERE entry_id = $1 LIMIT 1) v`,
			e.ID).Scan(&n); err != nil {
			return 0, err
		}
		if empty[i] = n == 0; empty[i] {
			todo++
			continue
		}
		var at time.Time
		if err := db.Read().QueryRowContext(ctx, `SELECT received_at FROM record_batches WHERE entry_id = $1 ORDER BY id LIMIT 1`,
			e.ID).Scan(&at); err != nil {
			return 0, err
		}
		if at.Before(first) {
			first = at
		}
	}
	if todo == 0 {
		return 0, nil
	}
	asOf := AsOf(first)
	fmt.Fprintf(w, "演示记录：%d 个数据资源中有 %d 个待填充\n", len(ordered), todo)
	start := time.Now()
	filled, total := 0, 0
	for i, e := range ordered {
		if !empty[i] {
			continue
		}
		src := &demoSource{e: e, now: now.UTC(), asOf: asOf, skewed: !baseEntry(e), subjects: subjects(e, asOf)}
		by := records.Pusher{DepartmentID: e.DepartmentID,
			Actor: actor(e.DepartmentID)}
		res, err := records.Ingest(ctx, db, by, e.ID, src, now, records.Options{})
		if err != nil {
			return filled, fmt.Errorf("数据资源 %s 的演示记录：%w", e.Code, err)
		}
		if res.RejectedCount > 0 {
			return filled, fmt.Errorf("数据资源 %s 的演示记录第 %d 行被拒绝：%s", e.Code, res.Rejected[0].Line, res.Rejected[0].Reason)
		}
		filled++
		total += res.Applied
		fmt.Fprintf(w, "\r演示记录：已填充 %d/%d 个数据资源，%d 条操作，用时 %s", filled, todo, total, time.Since(start).Round(time.Second))
	}
	fmt.Fprintln(w)
	return filled, nil
}

// baseEntry says whether e is a base entry (人口 / 法人 basic classes),
// which holds every subject that has a record there.
func baseEntry(e *records.Entry) bool {
	return e.Class == "basic" && (e.CategoryCode == "01" || e.CategoryCode == "02")
}

// sampleShare is the share of the subjects that an entry of a share
// takes (one in sampleShare), and of the operations pushed late.
const sampleShare = 20

// subjects returns the numbers of the subjects of entry e that have a
// record there (hasRecord), in order: every one in a base entry, the
// wholeRegisters and the tradeLicences, else a sample (sampled).
func subjects(e *records.Entry, asOf time.Time) []int {
	size := DemoPersons
	switch {
	case e.Name == socialOrgs:
		size = DemoSocialOrgs
	case e.SubjectKind == records.LegalEntity:
		size = DemoCompanies
	}
	whole := baseEntry(e) || wholeRegisters[e.Name] || tradeLicences[e.Name] != nil
	salt := hashString("抽样/" + e.Name)
	var out []int
	for n := 0; n < size; n++ {
		if (whole || draw(salt, n)%sampleShare == 0) && hasRecord(e, n, asOf) {
			out = append(out, n)
		}
	}
	return out
}

// late says whether the operation of subject n of the entry named entry
// was produced a week before it was pushed (one in sampleShare).
func late(entry string, n int) bool {
	return draw(hashString("迟报/"+entry), n)%sampleShare == 0
}

// draw is a pseudo-random number of subject n for the entry whose salt
// (a hash of its name and of what is drawn) is salt: independent of n's
// residues (the sex digit, the company form) and of other entries', so
// that samples overlap partially and hold every kind of subject.
func draw(salt uint64, n int) uint64 {
	return mix(salt ^ mix(uint64(n)))
}

// demoEntries loads the published person and legal-entity entries that
// Seed created, in the order it created them.
func demoEntries(ctx context.Context, db *sqldb.DB) ([]*records.Entry, error) {
	uscc := map[string]string{}
	for i, d := range departments {
		uscc[d.key] = USCC(d.region, i+1)
	}
	seeded := map[[2]string]bool{}
	for _, s := range demoCatalog {
		seeded[[2]string{uscc[s.dept], s.name}] = true
	}
	rows, err := db.Read().QueryContext(ctx, `SELECT e.id, d.uscc, e.name FROM catalog_entries e JOIN departments d ON d.id = e.department_id
		WHERE e.status = 'published' AND e.subject_kind IN ('person', 'legal_entity') ORDER BY e.id`)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		var code, name string
		if err := rows.Scan(&id, &code, &name); err != nil {
			rows.Close()
			return nil, err
		}
		if seeded[[2]string{code, name}] {
			ids = append(ids, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var entries []*records.Entry
	for _, id := range ids {
		e, err := records.LoadEntry(ctx, db.Read(), id)
		if err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	return entries, nil
}

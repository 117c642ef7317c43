package catalog

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Generated catalogs: made-up published entries in bulk, for the search
// benchmark and hutong bench. Names are built as real ones are, a subject and
// an act ("食品经营许可" + "变更登记信息"), so that 1- and 2-character queries
// hit many entries and longer ones a few.
var (
	genSubjects = []string{"户籍人口", "居民身份证", "营业执照", "社会保险", "医疗保险", "不动产", "婚姻", "出生医学证明",
		"残疾人证", "中小学学籍", "纳税人", "食品经营许可", "建设工程", "律师执业", "住房公积金", "养老服务机构", "道路运输",
		"排污许可", "药品经营许可", "特种设备", "农村土地承包经营权", "林权", "渔业捕捞许可", "文物保护单位", "旅行社",
		"消防安全检查", "危险化学品经营", "机动车驾驶证", "出入境证件", "医师执业", "教师资格", "社会组织", "最低生活保障",
		"退役军人优待", "劳动用工", "职业技能等级", "公共租赁住房", "商品房预售", "水利工程", "气象灾害预警", "粮食收购",
		"烟草专卖零售", "宗教活动场所", "档案查阅", "公证", "法律援助", "计划生育", "预防接种", "献血", "殡葬服务"}
	genActs = []string{"登记信息", "变更登记", "注销登记", "许可信息", "核发信息", "备案信息", "年度报告", "审批结果",
		"认定信息", "缴费明细", "补贴发放", "统计数据", "档案信息", "监督检查记录", "行政处罚信息", "证明开具记录", "办件信息"}
	genItems = []string{"姓名", "公民身份号码", "统一社会信用代码", "企业名称", "法定代表人", "证件号码", "登记日期",
		"住所", "联系电话", "证照编号", "发证机关", "有效期至", "办理状态", "审批结果", "经办人", "金额", "所属区域", "备注",
		"户籍地址", "出生日期", "性别", "注册资本", "经营范围", "处罚决定书文号", "受理时间", "办结时间"}
)

// SampleQueries returns search texts that hit a generated catalog, by kind:
// "1char" and "2char" (the queries a trigram index cannot serve) and "long"
// (2–5 bigrams).
func SampleQueries() map[string][]string {
	return map[string][]string{
		"1char": {"证", "户", "税", "照", "婚", "房", "药"},
		"2char": {"户籍", "登记", "许可", "社保", "医疗", "婚姻", "学籍"},
		"long":  {"营业执照", "不动产登记", "出生医学证明", "残疾人证", "食品经营许可变更登记"},
	}
}

// GenerateResource returns a made-up entry with 5–10 data items and random
// coded attributes; one time in five, when names is not empty, it takes one
// of names instead of a generated name. It is not validated.
func GenerateResource(rng *rand.Rand, names []string) Resource {
	name := genSubjects[rng.IntN(len(genSubjects))] + genActs[rng.IntN(len(genActs))]
	if len(names) > 0 && rng.IntN(5) == 0 {
		name = names[rng.IntN(len(names))]
	}
	items := slices.Clone(genItems)
	rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	r := Resource{Name: name, Abstract: "本部门" + name + "，包括" + items[0] + "、" + items[1] + "等信息，供相关部门共享使用",
		Classification: Classification{Class: Departmental, CategoryCode: fmt.Sprintf("%02d", 1+rng.IntN(30)),
			CategoryName: "部门", SubcategoryCode: "001", SubcategoryName: "业务"},
		Format: "database", ShareType: []ShareType{Unconditional, Conditional}[rng.IntN(2)],
		ShareMethods:  []ShareMethod{ShareMethod(shareMethods[rng.IntN(4)].Code)},
		OpenAttribute: OpenAttribute(openAttributes[rng.IntN(3)].Code), UpdateFrequency: Frequency(frequencies[rng.IntN(6)].Code),
		SecurityLevel: 1 + rng.IntN(4), NetworkZone: "egov_extranet", Domain: domains[rng.IntN(22)].Code, SubjectKind: NoSubject}
	for _, it := range items[:5+rng.IntN(6)] {
		r.Items = append(r.Items, Item{Name: it, Type: "C", Length: 50})
	}
	return r
}

// PublishGenerated stores r as a published entry of departmentID with a new resource
// code and one published version, indexed for search, as Create and Approve
// would leave it, but without validation, review, one-data-one-source
// decisions or audit rows: it loads generated catalogs for measurements
// (hutong bench, benchmarks), never real ones.
func PublishGenerated(ctx context.Context, tx *sqldb.Tx, departmentID int64, r Resource, at time.Time) (int64, error) {
	code, err := nextCode(ctx, tx, r.Classification.Code())
	if err != nil {
		return 0, err
	}
	e, err := insertEntry(ctx, tx, code, departmentID, Published, r, at)
	if err != nil {
		return 0, err
	}
	by := Actor{Actor: audit.Actor{Kind: audit.ActorSystem, ID: "generated", Name: "generated"}}
	if err := insertVersion(ctx, tx, e.ID, 1, Published, r, by, at); err != nil {
		return 0, err
	}
	// Not one of the columns the search triggers follow: the postings stay.
	_, err = tx.ExecContext(ctx, `UPDATE catalog_entries SET published_version = 1, working_version = 0,
		reviewed_at = $2, published_at = $2 WHERE id = $1`, e.ID, at.UTC())
	if err != nil {
		return 0, fmt.Errorf("publish generated entry: %w", err)
	}
	return e.ID, nil
}

// Generate adds n generated entries (GenerateResource with rng and names) to
// db through PublishGenerated, each of a random one of depts, updated a minute apart
// up to now, in transactions of 1,000; progress, when set, gets the count
// after each. It ends with ANALYZE (VACUUM ANALYZE on PostgreSQL, whose
// index-only scans of the postings need the visibility map that VACUUM
// sets; in production autovacuum does it after bulk loads).
func Generate(ctx context.Context, db *sqldb.DB, depts []int64, n int, rng *rand.Rand, names []string, progress func(done int)) error {
	first := time.Now().Add(-time.Duration(n) * time.Minute)
	for done := 0; done < n; {
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := 0; i < 1000 && done < n; i++ {
				r := GenerateResource(rng, names)
				if _, err := PublishGenerated(ctx, tx, depts[rng.IntN(len(depts))], r, first.Add(time.Duration(done)*time.Minute)); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("generate catalog: %w", err)
		}
		if progress != nil {
			progress(done)
		}
	}
	analyze := "ANALYZE"
	if db.Dialect == sqldb.Postgres {
		analyze = "VACUUM ANALYZE"
	}
	if _, err := db.Write().ExecContext(ctx, analyze); err != nil {
		return fmt.Errorf("generate catalog: %s: %w", analyze, err)
	}
	return nil
}

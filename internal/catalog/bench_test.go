package catalog

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// Word lists for generated entry names: a subject and an act, as real
// catalog names are built ("食品经营许可" + "变更登记信息").
var (
	benchSubjects = []string{"户籍人口", "居民身份证", "营业执照", "社会保险", "医疗保险", "不动产", "婚姻", "出生医学证明",
		"残疾人证", "中小学学籍", "纳税人", "食品经营许可", "建设工程", "律师执业", "住房公积金", "养老服务机构", "道路运输",
		"排污许可", "药品经营许可", "特种设备", "农村土地承包经营权", "林权", "渔业捕捞许可", "文物保护单位", "旅行社",
		"消防安全检查", "危险化学品经营", "机动车驾驶证", "出入境证件", "医师执业", "教师资格", "社会组织", "最低生活保障",
		"退役军人优待", "劳动用工", "职业技能等级", "公共租赁住房", "商品房预售", "水利工程", "气象灾害预警", "粮食收购",
		"烟草专卖零售", "宗教活动场所", "档案查阅", "公证", "法律援助", "计划生育", "预防接种", "献血", "殡葬服务"}
	benchActs = []string{"登记信息", "变更登记", "注销登记", "许可信息", "核发信息", "备案信息", "年度报告", "审批结果",
		"认定信息", "缴费明细", "补贴发放", "统计数据", "档案信息", "监督检查记录", "行政处罚信息", "证明开具记录", "办件信息"}
	benchItems = []string{"姓名", "公民身份号码", "统一社会信用代码", "企业名称", "法定代表人", "证件号码", "登记日期",
		"住所", "联系电话", "证照编号", "发证机关", "有效期至", "办理状态", "审批结果", "经办人", "金额", "所属区域", "备注",
		"户籍地址", "出生日期", "性别", "注册资本", "经营范围", "处罚决定书文号", "受理时间", "办结时间"}
	benchQueries = map[string][]string{
		"1char": {"证", "户", "税", "照", "婚", "房", "药"},
		"2char": {"户籍", "登记", "许可", "社保", "医疗", "婚姻", "学籍"},
		"long":  {"营业执照", "不动产登记", "出生医学证明", "残疾人证", "食品经营许可变更登记"},
	}
)

// realNames reads the names of real catalog entries when the shared data
// set is present, to mix into the generated ones.
func realNames(b testing.TB) []string {
	f, err := os.Open("/work/shared/realdata/catalog.csv")
	if err != nil {
		b.Log("real catalog names not available; using generated names only")
		return nil
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[0])
	}
	return out
}

func benchResource(rng *rand.Rand, real []string) Resource {
	name := benchSubjects[rng.IntN(len(benchSubjects))] + benchActs[rng.IntN(len(benchActs))]
	if len(real) > 0 && rng.IntN(5) == 0 {
		name = real[rng.IntN(len(real))]
	}
	items := slices.Clone(benchItems)
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

// buildCatalog fills db with n published entries of 40 departments,
// through the same insert and index code as Create, in batches.
func buildCatalog(b testing.TB, db *sqldb.DB, n int) {
	ctx := context.Background()
	sys := audit.Actor{Kind: audit.ActorSystem, ID: "bench", Name: "bench"}
	var depts []int64
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		if err := org.CreateRegion(ctx, tx, sys, org.Region{Code: "440000", Name: "广东省", Level: org.Province}, time.Now()); err != nil {
			return err
		}
		for i := range 40 {
			d := org.Department{Name: "部门" + strconv.Itoa(i), USCC: fmt.Sprintf("11440000%09dX", i), RegionCode: "440000"}
			d.USCC = d.USCC[:17] + "0"
			if err := org.CreateDepartment(ctx, tx, sys, &d, time.Now()); err != nil {
				return err
			}
			depts = append(depts, d.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	real := realNames(b)
	start := time.Now()
	t := start.Add(-time.Duration(n) * time.Minute)
	for done := 0; done < n; {
		err := db.Tx(ctx, func(tx *sqldb.Tx) error {
			for i := 0; i < 1000 && done < n; i++ {
				r := benchResource(rng, real)
				code, err := nextCode(ctx, tx, r.Classification.Code())
				if err != nil {
					return err
				}
				if _, err := insertEntry(ctx, tx, code, depts[rng.IntN(len(depts))], Published, r, t.Add(time.Duration(done)*time.Minute)); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	// PostgreSQL: VACUUM sets the visibility map that index-only scans of
	// the postings need; in production autovacuum does it after bulk loads.
	analyze := "ANALYZE"
	if db.Dialect == sqldb.Postgres {
		analyze = "VACUUM ANALYZE"
	}
	if _, err := db.Write().ExecContext(ctx, analyze); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d entries in %v", n, time.Since(start).Round(time.Second))
}

// BenchmarkSearch measures catalog search (with facets, as the API asks)
// on 100,000 entries per engine (HUTONG_BENCH_ENTRIES overrides), and
// reports the 50th and 95th percentile latency per kind of query.
func BenchmarkSearch(b *testing.B) {
	n := 100000
	if s := os.Getenv("HUTONG_BENCH_ENTRIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var db *sqldb.DB
			if engine == "sqlite" {
				db = sqldbtest.SQLite(b)
			} else {
				db = sqldbtest.Postgres(b)
			}
			buildCatalog(b, db, n)
			reader := Actor{Actor: audit.Actor{DepartmentID: 1}}
			for _, kind := range []string{"1char", "2char", "long", "browse"} {
				qs := benchQueries[kind]
				if kind == "browse" {
					qs = []string{""}
				}
				b.Run(kind, func(b *testing.B) {
					var lat []time.Duration
					hits := 0
					for i := 0; b.Loop(); i++ {
						t := time.Now()
						p, err := Search(context.Background(), db.Read(), reader, Query{Text: qs[i%len(qs)], Facets: true})
						if err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(t))
						hits += p.Total
					}
					slices.Sort(lat)
					ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
					b.ReportMetric(ms(0.50), "p50-ms")
					b.ReportMetric(ms(0.95), "p95-ms")
					b.ReportMetric(float64(hits)/float64(len(lat)), "hits/op")
				})
			}
		})
	}
}

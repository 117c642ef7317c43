package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSearchWidenedByRarity searches entries named as in the real catalog
// (catalog.csv; each abstract is its name, as there) with the licence and
// material names a user audit typed. Before, a widened hit ranked by the
// number of the query's bigrams it lacked, generic ones (许可, 可证) as
// many as the rare word, so 娱乐经营许可证 listed every 经营许可 entry before
// 娱乐场所信息, and a query whose distinctive word no entry holds was
// widened on what is common in it (公开, 居民, 基金 of 基金会).
func TestSearchWidenedByRarity(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newWorld(t, db)
		for _, name := range []string{
			"江阳区食品经营许可证信息", "林草种子生产经营许可核发信息", "对外贸易经营者信息", "乌鲁木齐市洗染业经营者备案信息",
			"陕西省经营性公墓", "药品经营许可证信息", "化妆品生产许可证信息", "娱乐场所信息",
			"印刷及包装装潢单位设立或变更审批信息", "银川市律师执业证", "乌鲁木齐市律师执业年度考核登记表",
			"会计师事务所及分所执业许可", "司法鉴定人执业证", "执业兽医资格证书", "临床类执业助理医师信息",
			"政府性基金支出决算数据", "自治区法人黑名单信息查询", "市农业农村局-企业法人和非企业法人相关事项办理",
			"银川市政务公开索引总目录", "银川市土地储备局政府信息公开指南", "银川市财政局公开行政权力清单信息",
			"银川市建筑行业管理处年度部门决算公开表", "天地图-居民服务", "全体居民现金消费支出_2022",
			"36个大中城市居民消费价格指数_2022", "银川市小学学生变动情况", "银川市生态公益林建设情况",
			"对房屋建筑和市政工程施工图审查机构出具虚假审查合格书的处罚", "市商务局-申请相关事项受理参阅信息",
			"厦门市司法行政一站式综合服务法律援助业务案件信息",
		} {
			r := household()
			r.Name, r.Abstract, r.SubjectKind = name, name, catalog.NoSubject
			r.Items = []catalog.Item{{Name: "编号", Type: "C", Length: 20}}
			publish(t, w, w.scj, r)
		}
		for _, tt := range []struct{ q, first string }{
			{"娱乐经营许可证", "娱乐场所信息"},
			{"印刷经营许可证", "印刷及包装装潢单位设立或变更审批信息"},
			{"医师执业证书", "临床类执业助理医师信息"},
			// No entry holds the distinctive part: 基金会 (基金 of
			// 政府性基金 is another thing), 募捐, 收养 … 子女, 户口.
			{"基金会法人登记证书", ""},
			{"公开募捐资格证书", ""},
			{"收养人出具的子女情况声明", ""},
			{"居民户口簿", ""},
			{"申请书", ""},
		} {
			p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: tt.q, Facets: true})
			if err != nil {
				t.Fatalf("%s: %v", tt.q, err)
			}
			got := names(p)
			if tt.first == "" && len(got) > 0 || tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
				t.Errorf("search %q: got %q, want %q first", tt.q, got, tt.first)
			}
			if p.Total != len(got) || len(got) > 0 && !p.Widened {
				t.Errorf("search %q: total %d, widened %v, %d hits", tt.q, p.Total, p.Widened, len(got))
			}
		}
	})
}

// TestSearchDemoWidenedNoise searches the demo catalog (demo.Seed) with
// the queries a user audit found noise for: a licence or material whose
// distinctive word no entry holds found entries holding its common word
// (经营, 申请) or one bigram of several (普通 of 普通护照, 建设 and 规划 of
// 乡村建设规划许可证). A material name listing alternatives (或者, 、) finds
// the entries of each.
func TestSearchDemoWidenedNoise(t *testing.T) {
	eachDemo(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		by := catalog.Actor{Actor: audit.Actor{Kind: audit.ActorUser, ID: "reader", Name: "reader"}}
		search := func(q string) catalog.Page {
			t.Helper()
			p, err := catalog.Search(ctx, db.Read(), by, catalog.Query{Text: q, Facets: true})
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if p.Total != len(p.Items) {
				t.Errorf("search %q: total %d, %d hits", q, p.Total, len(p.Items))
			}
			return p
		}
		for _, q := range []string{"普通护照", "乡村建设规划许可证", "娱乐经营许可证", "印刷经营许可证", "出版物经营许可证",
			"网络文化经营许可证", "道路运输经营许可证", "药品经营许可证", "申请书"} {
			if got := names(search(q)); len(got) > 0 {
				t.Errorf("search %q: got %q, want none", q, got)
			}
		}
		// Each alternative is widened on its own: 户口 of 户口簿 is one
		// bigram of the eight some entry holds of the query taken whole.
		for q, want := range map[string][]string{
			"身份证或者户口簿":           {"居民身份证信息", "户籍人口基本信息"},
			"不动产权证书或者户口簿或者居民身份证": {"不动产登记信息", "户籍人口基本信息", "居民身份证信息"},
			"营业执照、户口簿、婚姻证明":      {"营业执照信息", "户籍人口基本信息", "婚姻登记信息"},
		} {
			p := search(q)
			for _, w := range want {
				if !slices.Contains(names(p), w) {
					t.Errorf("search %q: got %q, want %s among them", q, names(p), w)
				}
			}
		}
		// 单位 is common: of 事业单位法人证书 the demo holds no 事业, and the
		// entries holding 单位 are noise beside 营业执照信息.
		if got := names(search("工商营业执照或者事业单位法人证书")); !slices.Equal(got, []string{"营业执照信息"}) {
			t.Errorf("search 工商营业执照或者事业单位法人证书: got %q, want 营业执照信息 alone", got)
		}
		if got := strings.Join(names(search("户口本")), " "); got == "" {
			t.Errorf("search 户口本: none")
		}
	})
}

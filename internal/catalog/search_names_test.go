package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestSearchOtherNames searches the demo catalog's entries (their names,
// abstracts and item names) by the names citizens call things by
// (otherNames): 房产证, 房产 and 房本 for the 不动产权证书 of 不动产登记信息,
// which found nothing; 失业证 for the 就业失业登记证, which ranked 律师执业信息
// (执业证书) first; 户籍证明, which ranked every certificate holding 证明
// above 户口迁移登记信息, about 户籍 as 户口. The everyday queries find what
// they found before.
func TestSearchOtherNames(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		add := func(by catalog.Actor, name, abstract string, items ...string) {
			r := household()
			r.Name, r.Abstract, r.SubjectKind = name, abstract, catalog.NoSubject
			r.Items = nil
			for _, it := range items {
				r.Items = append(r.Items, catalog.Item{Name: it, Type: "C", Length: 20})
			}
			publish(t, w, by, r)
		}
		add(w.gaj, "户籍人口基本信息", "辖区常住户籍人口的身份、户籍地址、户主关系及迁入迁出变动情况", "公民身份号码", "户籍地址", "户主姓名")
		add(w.gaj, "户口迁移登记信息", "户口迁入、迁出及准予迁入证明的办理记录", "公民身份号码", "迁移类型", "迁出地")
		add(w.gaj, "居民身份证信息", "居民身份证签发、换领、补领及有效期信息", "公民身份号码", "签发机关")
		add(w.gaj, "无犯罪记录证明信息", "为个人出具的无犯罪记录证明开具记录", "公民身份号码", "证明编号")
		add(w.scj, "营业执照信息", "电子营业执照及纸质营业执照的核发、换发信息", "统一社会信用代码", "企业名称")
		add(w.rsj, "社会保险参保信息", "企业职工基本养老、失业、工伤保险参保及缴费状态", "公民身份号码", "参保险种", "累计缴费月数")
		add(w.rsj, "社会保障卡信息", "社会保障卡制发、挂失和补换信息", "公民身份号码", "社会保障卡号")
		add(w.rsj, "就业失业登记信息", "城乡劳动者就业登记与失业登记", "公民身份号码", "登记类型", "就业失业登记证号")
		add(w.rsj, "基本医疗保险参保信息", "职工医保和城乡居民医保参保及缴费状态", "公民身份号码", "险种类型", "缴费档次")
		add(w.rsj, "最低生活保障对象信息", "城乡最低生活保障对象及保障金发放情况", "公民身份号码", "保障类别")
		add(w.rsj, "残疾人证信息", "第二代残疾人证核发、换领及注销信息", "公民身份号码", "残疾人证号")
		add(w.rsj, "出生医学证明信息", "辖区助产机构签发的出生医学证明", "出生医学证明编号", "签发机构")
		add(w.rsj, "死亡医学证明信息", "居民死亡医学证明（推断）书签发信息", "公民身份号码", "证明编号")
		add(w.rsj, "完税证明信息", "个人和单位缴纳税款的完税证明", "统一社会信用代码", "完税证明号码")
		add(w.rsj, "律师执业信息", "律师执业证书核发、注销及执业机构", "公民身份号码", "执业证号", "执业机构")
		add(w.gaj, "不动产登记信息", "房屋、土地等不动产所有权、使用权及抵押登记", "不动产单元号", "不动产权证书号", "权利人")
		add(w.gaj, "不动产抵押登记信息", "不动产抵押权设立、变更、注销登记", "不动产登记证明号", "抵押权人")
		add(w.gaj, "房屋网签备案信息", "商品房买卖及存量房交易合同网签备案", "合同备案号", "房屋坐落")
		search := func(q string) []string {
			t.Helper()
			p, err := catalog.Search(ctx, db.Read(), w.scj, catalog.Query{Text: q, Facets: true})
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if p.Total != len(p.Items) {
				t.Errorf("search %q: total %d, %d hits", q, p.Total, len(p.Items))
			}
			return names(p)
		}
		for _, tt := range []struct{ q, want string }{
			{"房产证", "不动产登记信息"},
			{"房产", "不动产登记信息"},
			{"房本", "不动产登记信息"},
			{"房屋所有权证", "不动产登记信息"},
			{"不动产权证书", "不动产登记信息"},
			{"房产证查询", "不动产登记信息"},
			{"失业证", "就业失业登记信息"},
			// as before
			{"不动产证", "不动产登记信息"},
			{"不动产登记", "不动产登记信息 不动产抵押登记信息"},
			{"营业执照", "营业执照信息"},
			{"身份证", "居民身份证信息"},
			{"低保", "最低生活保障对象信息"},
			{"残疾证", "残疾人证信息"},
			{"社保", "社会保障卡信息 社会保险参保信息"},
			{"户口本", "户口迁移登记信息 户籍人口基本信息"},
		} {
			if got := strings.Join(search(tt.q), " "); got != tt.want {
				t.Errorf("search %q: got %q, want %q", tt.q, got, tt.want)
			}
		}
		// 户籍证明 holds 户籍 and 证明 of its bigrams (籍证 of none): only
		// the entries about 户籍 are found, not those holding only 证明,
		// which every certificate's name holds (a generic bigram makes no
		// widened match); 户口迁移登记信息 (户口 as 户籍, and 准予迁入证明)
		// holds both, the larger share, first.
		if got := strings.Join(search("户籍证明"), " "); got != "户口迁移登记信息 户籍人口基本信息" {
			t.Errorf("search 户籍证明: got %q, want 户口迁移登记信息 户籍人口基本信息", got)
		}
		// 社保缴费 holds 社保 and 缴费 (保缴 of none) and so finds the
		// entries holding either: first what 社保 finds, then
		// 基本医疗保险参保信息, which holds 缴费 only and is no 社保.
		if got := strings.Join(search("社保缴费"), " "); got != "社会保险参保信息 社会保障卡信息 基本医疗保险参保信息" {
			t.Errorf("search 社保缴费: got %q", got)
		}
	})
}

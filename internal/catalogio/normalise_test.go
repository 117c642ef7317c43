package catalogio

import (
	"slices"
	"testing"
)

func TestNormalise(t *testing.T) {
	freq := map[string][2]string{
		"每天": {"daily", ""}, "每日": {"daily", ""}, "日更新": {"daily", ""}, "实时": {"realtime", ""},
		"每月": {"monthly", ""}, "月度": {"monthly", ""}, "每季度": {"quarterly", ""}, "季度": {"quarterly", ""},
		"每半年": {"other", "每半年"}, "每年": {"yearly", ""}, "年度": {"yearly", ""}, "按年更新": {"yearly", ""},
		"不定期": {"other", "不定期"}, "按需": {"other", "按需更新"}, "每 2 日": {"other", "每2日"},
		"每 121 日": {"other", "每121日"}, "每1月": {"monthly", ""}, "每两年": {"other", "每两年"}, "yearly": {"yearly", ""},
		"每 3 月": {"quarterly", ""}, "每三个月": {"quarterly", ""}, "每12个月": {"yearly", ""}, "每十二个月": {"yearly", ""},
		"每7天": {"weekly", ""}, "每 2 个月": {"other", "每2个月"}, "每二十天": {"other", "每二十天"},
	}
	for in, want := range freq {
		c, o, ok := normFrequency(in)
		if !ok || c != want[0] || o != want[1] {
			t.Errorf("normFrequency(%q) = %q %q %v, want %q %q", in, c, o, ok, want[0], want[1])
		}
	}
	for _, in := range []string{"其他", "自定义", "随便"} {
		if c, o, ok := normFrequency(in); ok && o != "" {
			t.Errorf("normFrequency(%q) = %q %q, want no description", in, c, o)
		}
	}
	open := map[string]string{"无条件开放": "open", "有条件开放": "conditional", "不予开放": "closed", "开放": "open",
		"依申请开放": "conditional", "不开放": "closed", "普遍开放": "open", "无条件开发": "open", "有条件开发": "conditional",
		"实名注册用户可下载": "conditional", "安全开放": "conditional", "不开放，可依申请共享": "closed",
		"不予开放（不受理申请）": "closed", "禁止开放": "closed", "不对外开放": "closed"}
	for in, want := range open {
		if c, _, ok := normOpen(in); !ok || c != want {
			t.Errorf("open attribute %q = %q %v, want %q", in, c, ok, want)
		}
	}
	domains := map[string]string{"市场监督": "10", "市场监管": "10", "10": "10",
		"卫生健康": "16", "城乡建设": "04", "人力资源和社会保障": "15", "自然资源": "09",
		// Keywords of one domain; a keyword within a longer one (资源 in
		// 人力资源) is not another.
		"科技创新": "01", "交通出行": "13", "人力资源": "15", "公共服务|能源安全|生态环保": "09",
		// Several values: the first that maps.
		"金融财税，工业商贸，教育科技": "19", "文化、体育，科技、教育": "05", "公共服务|信用体系": "17",
		"公共服务|健康保障|生态环保": "16", "信用服务,市场监管": "17", "经贸": "02", "对外经贸": "02"}
	for in, want := range domains {
		if c, _, _, ok := normDomain(in); c != want || !ok {
			t.Errorf("normDomain(%q) = %q %v, want %q", in, c, ok, want)
		}
	}
	for _, in := range []string{"长三角高价值清单", "政法、监察，综合政务", "火星", "其他（火星）"} {
		if c, _, _, ok := normDomain(in); ok {
			t.Errorf("normDomain(%q) = %q, want not recognised", in, c)
		}
	}
	// A value whose keywords name two domains could mean either: neither is
	// chosen, and the candidates are told, in the order of the value.
	ambiguous := map[string][]string{"资源环境": {"09", "12"}, "生态资源": {"12", "09"}, "能源环境": {"09", "12"},
		"教育科技": {"05", "01"}, "科技、教育": {"01", "05"}, "气象 水文 测绘 地震": {"20", "08"},
		"工业、交通": {"06", "13"}, "农业水利": {"06", "09"}, "城乡建设、环境保护": {"04", "12"},
		"民生服务，教育科技": {"05", "01"}, "生态资源，民生服务，文化休闲": {"12", "09"},
		// 经贸 (经济贸易) is 商贸流通, as 工业商贸's 商贸: 经贸工商 of the real
		// catalog is 商贸流通 or 市场监管, not 市场监管 by its 工商 alone.
		"经贸工商": {"02", "10"}}
	for in, want := range ambiguous {
		c, candidates, _, ok := normDomain(in)
		if ok || c != "" || !slices.Equal(candidates, want) {
			t.Errorf("normDomain(%q) = %q %v %v, want not recognised, candidates %v", in, c, candidates, ok, want)
		}
	}
	if _, _, several, _ := normDomain("卫生健康"); several {
		t.Error("normDomain(卫生健康) reports several values")
	}
	if _, _, several, _ := normDomain("金融财税，工业商贸"); !several {
		t.Error("normDomain(金融财税，工业商贸) does not report several values")
	}
	formats := map[string]string{"xls": "spreadsheet", "xlsx": "spreadsheet", "csv": "spreadsheet", "file": "electronic_file",
		"api": "service_api", "json": "self_describing", "xml": "self_describing", "EXCEL": "spreadsheet",
		"xlsx|api": "spreadsheet", "电子表格": "spreadsheet", "database": "database", "mysql": "database"}
	for in, want := range formats {
		if c, _, ok := normFormat(in); !ok || c != want {
			t.Errorf("normFormat(%q) = %q %v, want %q", in, c, ok, want)
		}
	}
	types := map[string][2]any{"C": {"C", 0}, "字符型": {"C", 0}, "varchar(50)": {"C", 50}, "NUMBER(10,2)": {"N", 10},
		"int": {"I", 0}, "日期": {"D", 0}, "datetime": {"T", 0}, "c": {"C", 0}}
	for in, want := range types {
		if ty, n, ok := normType(in); !ok || ty != want[0] || n != want[1] {
			t.Errorf("normType(%q) = %q %d %v, want %v", in, ty, n, ok, want)
		}
	}
	if _, _, ok := normType("X"); ok {
		t.Errorf("normType(X) accepted")
	}
	for in, want := range map[string]int{"3": 3, "三级": 3, "第二级": 2, "L4": 4, "1.0": 1} {
		if n, ok := normLevel(in); !ok || n != want {
			t.Errorf("normLevel(%q) = %d, want %d", in, n, want)
		}
	}
}

func TestSuggestSynonyms(t *testing.T) {
	got := Suggest([]string{"资源名称", "Resource Name", "更新频率", "开放类型", "数源单位", "字段列表", "whatever"}, false)
	want := map[string]string{"资源名称": "name", "更新频率": "update_frequency", "开放类型": "open_attribute",
		"数源单位": "provider", "字段列表": "items"}
	for h, k := range want {
		if got[h] != k {
			t.Errorf("Suggest %s = %q, want %q", h, got[h], k)
		}
	}
	if _, ok := got["Resource Name"]; ok {
		t.Errorf("a second column was mapped to name")
	}
	if _, ok := got["whatever"]; ok {
		t.Errorf("unknown header mapped")
	}
}

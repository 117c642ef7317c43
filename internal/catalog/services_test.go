package catalog_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hutong-gov/hutong/internal/catalog"
)

// TestServiceItemsWrittenForm: every list of service items comes back from
// its written form exactly, whatever separators and brackets the names
// hold, and what people type is read as before.
func TestServiceItemsWrittenForm(t *testing.T) {
	lists := [][]catalog.ServiceItem{
		{{Name: "事项B；带分号"}},
		{{Name: "户口登记（123）"}},
		{{Name: "户口登记", Code: "123"}},
		{{Name: "户口迁移（省内）", Code: "11440605MB2C001"}, {Name: "补领结婚证、离婚证"}},
		{{Name: "a;b|c"}, {Name: `路径\；C:\data`}, {Name: "半角(A1)"}},
		{{Name: "户口迁移（省内"}, {Name: "户口登记）"}},
		{{Name: "甲（乙（1）"}, {Name: "（x）(y)"}, {Name: "（123）"}},
		{{Name: "项目（名称；编号）", Code: "A-1.2_3"}},
	}
	for _, want := range lists {
		for _, sep := range []string{"；", "\n"} {
			s := catalog.FormatServiceItems(want, sep)
			if got := catalog.ParseServiceItems(s); !cmp.Equal(got, want) {
				t.Errorf("%q read back as %+v, want %+v", s, got, want)
			}
		}
	}
	typed := map[string][]catalog.ServiceItem{
		"户口迁移（11440605MB2C001）；补领结婚证、离婚证": {{Name: "户口迁移", Code: "11440605MB2C001"}, {Name: "补领结婚证、离婚证"}},
		"甲;乙|丙\n丁":     {{Name: "甲"}, {Name: "乙"}, {Name: "丙"}, {Name: "丁"}},
		"事项（甲；乙）":      {{Name: "事项（甲；乙）"}},
		"户口迁移（省内；户口登记": {{Name: "户口迁移（省内"}, {Name: "户口登记"}},
		"户口迁移（省内）":     {{Name: "户口迁移（省内）"}},
		"结婚登记（内地居民）":   {{Name: "结婚登记（内地居民）"}},
		"户口登记 ( A1 )":  {{Name: "户口登记", Code: "A1"}},
		`事项B\；带分号`:     {{Name: "事项B；带分号"}},
		`户口登记\（123）`:   {{Name: "户口登记（123）"}},
		`C:\data`:      {{Name: `C:\data`}},
		" ； ；":         nil,
	}
	for in, want := range typed {
		if got := catalog.ParseServiceItems(in); !cmp.Equal(got, want) {
			t.Errorf("ParseServiceItems(%q) = %+v, want %+v", in, got, want)
		}
	}
}

// TestSplitList: a multi-valued cell splits at its separators outside
// brackets that close; an open bracket that never closes is text.
func TestSplitList(t *testing.T) {
	const seps = "、,，;；|\n\r\t" // what imports split item lists at
	lists := map[string]string{"姓名、广告时长(影视、声音)、日期": "姓名|广告时长(影视、声音)|日期",
		"压缩机额定功率（P)、库房实际容积(V)": "压缩机额定功率（P)|库房实际容积(V)", "a)、b": "a)|b", "、 ,x,,": "x",
		"户口迁移（省内、户口登记": "户口迁移（省内|户口登记", "a（b、c（d、e）、f": "a（b|c（d、e）|f", `a\、b`: `a\|b`}
	for in, want := range lists {
		if got := strings.Join(catalog.SplitList(in, seps), "|"); got != want {
			t.Errorf("SplitList(%q) = %q, want %q", in, got, want)
		}
	}
}

package catalog

import (
	"reflect"
	"testing"
)

// TestWideTokensKeepWords checks where wideTokens splits a query into
// alternatives. Before, every 或, 和 and 及 split it, also inside words
// (普及, 和解, 共和国, 涉及): 普及率 and 共和国 kept no distinctive bigram,
// 和解协议 only 解协 and 协议, 中华人民共和国护照 two alternatives each of
// which any 中华人民 or 护照 entry held. Now 或者 always splits, and 或, 和
// and 及 only after a material's name (身份证及复印件, 营业执照和户口簿).
func TestWideTokensKeepWords(t *testing.T) {
	for q, want := range map[string][][]string{
		"普及率":       {{"普及", "及率"}},
		"和解协议":      {{"和解", "解协", "协议"}},
		"共和国":       {{"共和", "和国"}},
		"涉及企业名单":    {{"涉及", "及企", "企业", "业名", "名单"}},
		"中华人民共和国护照": {{"中华", "华人", "人民", "民共", "共和", "和国", "国护", "护照"}},
		"印刷和出版物":    {{"印刷", "刷和", "和出", "出版", "版物"}},
		"设立或变更":     {{"设立", "立或", "或变", "变更"}},
		"身份证或者户口簿":  {{"身份"}, {"户口"}},
		"或者户口簿":     {{"户口"}},
		"户口簿或身份证":   {{"户口"}, {"身份"}},
		"身份证及复印件":   {{"身份"}, {"复印", "印件"}},
		"营业执照和户口簿":  {{"营业", "业执", "执照"}, {"户口"}},
		"营业执照和证":    {{"营业", "业执", "执照", "照和"}},
		"营业执照、户口簿":  {{"营业", "业执", "执照"}, {"户口"}},
		"身份证和":      {{"身份"}},
	} {
		if alts, _ := wideTokens(q); !reflect.DeepEqual(alts, want) {
			t.Errorf("wideTokens(%s): got %q, want %q", q, alts, want)
		}
	}
}

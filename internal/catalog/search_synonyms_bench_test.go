package catalog

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// benchSynonyms are queries that the generated catalog's entries hold only
// through a synonym (synonymSets): its items say 公民身份号码, 出生日期,
// 法定代表人 and 统一社会信用代码, its subjects 最低生活保障; no entry says
// 个体工商户, so 个体户 finds nothing after the probe.
// benchSynonymForms are the forms the entries hold, searched as written:
// the same entries, on the path of a query without synonyms.
var (
	benchSynonyms     = []string{"身份证号码", "出生年月日", "法人代表", "社会信用代码", "低保户", "个体户"}
	benchSynonymForms = []string{"公民身份号码", "出生日期", "法定代表人", "统一社会信用代码", "最低生活保障"}
)

// BenchmarkSearchSynonyms measures queries matched through synonyms, with
// facets, on the catalog BenchmarkSearch builds (100,000 entries per
// engine, HUTONG_BENCH_ENTRIES overrides), each query on its own, and the
// forms the entries hold as written for comparison.
func BenchmarkSearchSynonyms(b *testing.B) {
	onBenchCatalog(b, func(b *testing.B, db *sqldb.DB, reader Actor) {
		for _, q := range append(benchSynonyms, benchSynonymForms...) {
			b.Run(q, func(b *testing.B) { benchSearch(b, db, reader, []string{q}) })
		}
	})
}

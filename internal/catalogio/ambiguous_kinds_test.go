package catalogio_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestAmbiguousSubjectAndZone: a 数据主体 naming two kinds (自然人、法人) or a
// 网络环境 naming two networks (互联网、政务外网) is an error of its row
// naming both (ambiguous_value), as a domain of two is: no code means both,
// and one of them was kept silently. A value of one (企业, 部门业务专网) is
// still normalised.
func TestAmbiguousSubjectAndZone(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db)
		subject := func(name, v string) string { return strings.Replace(good(name), ",不涉及,", ","+v+",", 1) }
		zone := func(name, v string) string { return strings.Replace(good(name), ",政务外网,", ","+v+",", 1) }
		file := csvHeader + subject("两种主体", "自然人、法人") + zone("两种网络", "互联网、政务外网") +
			strings.Replace(subject("企业主体", "企业"), ",编号,C,20,否,", ",统一社会信用代码,C,18,是,", 1) + zone("专网", "部门业务专网")
		rep, err := importFile(w, w.gaj, []byte(file), catalogio.CSV, catalogio.Options{DryRun: true})
		if !catalogio.Rejected(err) {
			t.Fatalf("got err %v, want import_rejected", err)
		}
		want := map[int][2]string{2: {"subject_kind", "自然人或法人和其他组织"}, 3: {"network_zone", "互联网或政务外网"}}
		got := map[int]bool{}
		for _, e := range rep.Errors {
			wf, ok := want[e.Row]
			if !ok || e.Field != wf[0] || e.Code != "ambiguous_value" || !strings.Contains(e.Message, wf[1]) {
				t.Errorf("unexpected error %+v", e)
				continue
			}
			got[e.Row] = true
		}
		if len(got) != 2 {
			t.Errorf("got errors %+v, want ambiguous_value of rows 2 (数据主体) and 3 (网络环境)", rep.Errors)
		}
		for _, c := range rep.Changes {
			if c.Row <= 3 && (c.Field == "subject_kind" || c.Field == "network_zone") {
				t.Errorf("two-valued cell normalised to one: %+v", c)
			}
		}
	})
}

package records_test

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogLimitBeyondRule: GET …/rule (RuleFor) for entries stored
// before catalog.ValidateEntry refused a 时效要求 beyond the rule
// (timeliness_exceeds_rule). A licence entry stays real time whatever its
// catalog promises (枪支持有许可证信息 with 2 or 10 working days); an ordinary
// one promising 5 working days or 每月5日前 keeps the 2 working days, and the
// basis says the limit it states is beyond the rule rather than that it
// states none; an ordinary entry's 2 working days still come from its
// catalog, and 1日内 reads as 2 working days, as 次日 (1 day) does: a
// licence promising 次日 stays real time. 结婚证 is a licence as the
// catalog judges one (catalog.LicenceBasis). A licence promising half a
// working day, within its real time (catalog.TimeLimit.WithinRealTime),
// follows real time from its catalog: until 2026-12-06 it got real time
// by default, the basis saying half a working day was longer than real
// time.
func TestCatalogLimitBeyondRule(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		items := []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "证件编号", Type: "C", Length: 30}}
		for i, tt := range []struct {
			name, freq, timeliness string
			rule                   records.Rule
			source, basis          string
		}{
			{"枪支持有许可证信息", "realtime", "业务办结后2个工作日内更新", records.RealTime, records.SourceDefault, "2个工作日内"},
			{"枪支持有许可证变更信息", "daily", "办结后10个工作日内", records.RealTime, records.SourceDefault, "10个工作日内"},
			{"就业登记信息", "daily", "业务办结后5个工作日内更新", records.Within2, records.SourceDefault, "超出时效规则"},
			{"就业失业统计信息", "monthly", "每月5日前更新上月数据", records.Within2, records.SourceDefault, "每月5日前"},
			{"职业培训信息", "daily", "业务办结后2个工作日内更新", records.Within2, records.SourceCatalog, "目录时效要求"},
			{"职业介绍信息", "daily", "1日内更新", records.Within2, records.SourceCatalog, "目录时效要求"},
			{"职业指导信息", "daily", "次日更新", records.Within2, records.SourceCatalog, "目录时效要求"},
			{"枪支持有许可证注销信息", "daily", "次日推送", records.RealTime, records.SourceDefault, "（次日）长于"},
			// a licence of licence_types.csv holding none of the generic words
			{"结婚证登记信息", "daily", "业务办结后2个工作日内更新", records.RealTime, records.SourceDefault, "2个工作日内"},
			{"枪支持有许可证延续信息", "daily", "半个工作日内推送", records.RealTime, records.SourceCatalog, "目录时效要求"},
		} {
			id := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/00003" + string(rune('0'+i)), Name: tt.name,
				SubjectKind: "person", UpdateFrequency: tt.freq, Timeliness: tt.timeliness, Items: items})
			e, err := records.LoadEntry(f.ctx, db.Read(), id)
			if err != nil {
				t.Fatal(err)
			}
			r, err := records.RuleFor(f.ctx, db.Read(), e)
			if err != nil {
				t.Fatal(err)
			}
			if r.Rule != tt.rule || r.Source != tt.source || !strings.Contains(r.Basis, tt.basis) ||
				strings.Contains(r.Basis, "未写明可识别的时限") {
				t.Errorf("%s (%s): rule %s from %s (%s), want %s from %s mentioning %q", tt.name, tt.timeliness,
					r.Rule, r.Source, r.Basis, tt.rule, tt.source, tt.basis)
			}
		}
	})
}

package records_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/records/recordstest"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogRule reads the 时效要求 texts catalogs write: the seeds' own
// sentences (S0 次工作日前, S1 实时 / 2个工作日 / 每季度首月上旬), the demo's,
// and texts that state another limit, none, several at once, or a word
// only to deny it (无需实时更新) or to name the requirement (实时性要求：…).
// Until 2026-12-05 下一个工作日前, 次一工作日前 and 下一工作日 were read as 1
// working day (Within2), 下个工作日前, 当日, 当天 and 次日 not at all.
func TestCatalogRule(t *testing.T) {
	for _, tt := range []struct {
		text string
		rule records.Rule // "" for not readable
	}{
		{"业务办结后2个工作日内更新", records.Within2},
		{"业务办结后实时推送", records.RealTime},
		{"在审批结果、电子证照信息等内容产生(或更新)后次工作日前将对应数据提供至政务数据主管部门", records.RealTime},
		{"电子证照、文书类数据应当进行实时更新", records.RealTime},
		{"其他业务数据应当在产生后2个工作日内进行更新", records.Within2},
		{"情况特殊的,行政机关应当经市政府电子政务办审核后,每季度首月上旬进行更新", records.Quarterly},
		{"两个工作日内", records.Within2},
		{"２个工作日内", records.Within2},
		{"产生后 2 个工作日内", records.Within2},
		{"即时推送", records.RealTime},
		// Not readable: the whole S1 sentence states three rules.
		{"电子证照、文书类数据应当进行实时更新,其他业务数据应当在产生后2个工作日内进行更新;情况特殊的,行政机关应当经市政府电子政务办审核后,每季度首月上旬进行更新", ""},
		{"12个工作日内", ""},
		{"十二个工作日内", ""},
		{"5个工作日内", ""},
		{"T+1", ""},
		{"非实时，按批次更新", ""},
		{"无需实时更新", ""},
		{"不要求实时，按月更新", ""},
		{"不实时推送", ""},
		{"无实时要求", ""},
		{"无需进行实时更新，产生后2个工作日内更新", records.Within2},
		{"不晚于次工作日", records.RealTime},
		{"不超过2个工作日", records.Within2},
		{"实时性要求：5个工作日内", ""},
		{"实时性要求：2个工作日内", records.Within2},
		{"实时性要求：实时", records.RealTime},
		// Read as asked; ruleOf never applies it (TestRuleFollowsCatalog).
		{"每季度更新", records.Quarterly},
		{"1个工作日内", records.Within2},
		{"半个工作日内", records.Within2},
		{"2日内更新", records.Within2},
		{"3日内更新", ""},
		{"每月5日前更新上月数据", ""},
		{"", ""},
		// The next working day's synonyms are 次工作日前, not 1 working
		// day (Within2), nor unread; 当日, 当天 and 次日前 are real time.
		// 次日 without 前 allows the next calendar day, later than real
		// time (seed 000's 次工作日前: before the next working day) on
		// every working day before a working day: it is 1 day, as 1日内
		// and 24小时内 are, 2 working days (seed 001 七(四)) for business
		// data (until 2026-12-05 次日 was real time and 1日内 2 working
		// days).
		{"产生后下一个工作日前提供", records.RealTime},
		{"次一工作日前", records.RealTime},
		{"下一工作日", records.RealTime},
		{"下个工作日前推送", records.RealTime},
		{"当日", records.RealTime},
		{"当天更新", records.RealTime},
		{"次日", records.Within2},
		{"次日前", records.RealTime},
		{"次日内推送", records.Within2},
		{"1日内", records.Within2},
		{"24小时内", records.Within2},
		{"当日产生的数据次日前报送", records.RealTime},
		{"当日产生的数据2个工作日内报送", records.Within2},
		{"无需当日更新", ""},
		// Cadence words count as words, not inside others: 一次性 is no
		// 一次, 每日汇总 no cadence; a time of the day may stand between 当日
		// and its 前. Until 2026-12-05 these three were not read.
		{"一次性采集，当日报送", records.RealTime},
		{"每日汇总，次日推送", records.Within2},
		{"当日12时前推送", records.RealTime},
		// A target and a latest bound: the bound, 1 day (until
		// 2026-12-05 not read).
		{"当日更新，最迟次日推送", records.Within2},
		{"当日或次日更新", records.Within2},
		// A target beside a bound after 最迟, the laxest: the bound
		// counts (until 2026-12-05 not read).
		{"实时推送，最迟2个工作日内", records.Within2},
		{"实时推送，最迟5个工作日内", ""},
		// 次日 beside real time is such a bound, 1 day, with or without
		// 最迟 (until 2026-12-06 the 次日 was not read beside 实时: real
		// time; then, without 最迟, for part of the day none).
		{"实时推送，最迟次日推送", records.Within2},
		{"即时推送，最迟次日", records.Within2},
		{"实时推送，次日推送", records.Within2},
		{"实时推送，3天内推送", ""},
		{"实时推送，最迟次日前推送", records.RealTime},
		// Before the next day's midnight is before the next day (until
		// 2026-12-05 1 day); a clock time bounds a day too.
		{"次日0时前推送", records.RealTime},
		{"当日17:30前推送", records.RealTime},
		// A clause postponing a deadline off holidays with no duration
		// of its own changes nothing: the rest of the text decides
		// (until 2026-12-05 当日 and 次日 before one were not read).
		{"（遇节假日顺延）", ""},
		{"每日更新（遇节假日顺延）", ""},
		{"当日（遇节假日顺延）", records.RealTime},
		{"次日推送，遇节假日顺延", records.Within2},
		{"实时（遇周末或节假日顺延）", records.RealTime},
	} {
		got, ok := records.CatalogRule(tt.text)
		if got != tt.rule || ok != (tt.rule != "") {
			t.Errorf("CatalogRule(%q) = %q, %v; want %q", tt.text, got, ok, tt.rule)
		}
	}
}

// TestRuleFollowsCatalog: an entry whose catalog states a time limit is
// judged by it (but for licences and documents, which stay real time:
// TestCatalogLimitBeyondRule); the name decides only when the catalog
// states none; a catalog that asks for quarterly updates gets the
// default, since that exception needs the operator's approval; a rule the
// operator set wins, and clearing it returns to the catalog's. GET …/rule's answer (RuleFor) and a list's
// (RulesOf) agree, and a late batch says which rule it missed.
func TestRuleFollowsCatalog(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db)
		items := []records.Item{{Name: "公民身份号码", Type: "C", Length: 18, IdentifiesSubject: true}, {Name: "证书编号", Type: "C", Length: 30}}
		cert := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000021", Name: "职业技能培训信息", SubjectKind: "person",
			UpdateFrequency: "monthly", Timeliness: "业务办结后2个工作日内更新", Items: items})
		byName := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000022", Name: "职业技能等级证书信息", SubjectKind: "person",
			UpdateFrequency: "monthly", Timeliness: "按需", Items: items})
		quarter := recordstest.Entry(t, db, f.rsj, recordstest.Spec{Code: "315001/000023", Name: "职业培训补贴发放信息", SubjectKind: "person",
			UpdateFrequency: "monthly", Timeliness: "每季度更新", Items: items})
		// Produced Wednesday 2026-12-02 10:00, received Thursday 15:40 (Beijing).
		produced := time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC)
		f.receivedAt = time.Date(2026, 12, 3, 7, 40, 0, 0, time.UTC)
		op := func(n int) string {
			return line("add", recordstest.CitizenID(n), produced, map[string]string{"证书编号": "Z" + recordstest.CitizenID(n)}, "")
		}

		if res := f.push(f.rsjPusher, cert, op(1), records.Options{}); res.Late != 0 || res.LateRule != "" {
			t.Errorf("catalog says 2 working days: late = %d %q, want 0", res.Late, res.LateRule)
		}
		res := f.push(f.rsjPusher, byName, op(2), records.Options{})
		if res.Late != 1 || !strings.Contains(res.LateRule, "实时") || !strings.Contains(res.LateRule, "“证书”") {
			t.Errorf("catalog says nothing readable, name has 证书: late = %d %q, want 1 by the name", res.Late, res.LateRule)
		}

		want := map[int64]records.EntryRule{
			cert:    {EntryID: cert, Rule: records.Within2, Source: records.SourceCatalog, Timeliness: "业务办结后2个工作日内更新"},
			byName:  {EntryID: byName, Rule: records.RealTime, Source: records.SourceDefault, Timeliness: "按需"},
			quarter: {EntryID: quarter, Rule: records.Within2, Source: records.SourceDefault, Timeliness: "每季度更新"},
			f.hj:    {EntryID: f.hj, Rule: records.Within2, Source: records.SourceDefault},
		}
		check := func(when string) {
			t.Helper()
			all, err := records.RulesOf(f.ctx, db.Read(), []int64{cert, byName, quarter, f.hj, 999999})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != len(want) {
				t.Errorf("%s: RulesOf gave %d rules, want %d (unknown ids left out)", when, len(all), len(want))
			}
			for id, w := range want {
				e, err := records.LoadEntry(f.ctx, db.Read(), id)
				if err != nil {
					t.Fatal(err)
				}
				one, err := records.RuleFor(f.ctx, db.Read(), e)
				if err != nil {
					t.Fatal(err)
				}
				if one.Rule != w.Rule || one.Source != w.Source || one.Timeliness != w.Timeliness || one.Label != w.Rule.Label() ||
					one.Basis == "" || one.Note != w.Note || (one.SetAt == nil) != (w.SetAt == nil) {
					t.Errorf("%s: entry %d rule = %+v, want %+v", when, id, one, w)
				}
				if l := all[id]; l.Basis != one.Basis || l.Rule != one.Rule || l.Source != one.Source || l.SetBy != one.SetBy {
					t.Errorf("%s: entry %d: RulesOf %+v, RuleFor %+v", when, id, l, one)
				}
			}
		}
		check("default")
		e, _ := records.LoadEntry(f.ctx, db.Read(), quarter)
		if r, _ := records.RuleFor(f.ctx, db.Read(), e); !strings.Contains(r.Basis, "要求按季度更新") || !strings.Contains(r.Basis, "审核") {
			t.Errorf("catalog asks for quarterly: basis %q, want it to say that needs the operator's approval", r.Basis)
		}

		// An approved exception wins over the catalog.
		err := db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			return records.SetRule(f.ctx, tx, f.pusher.Actor, cert, records.Quarterly, "经市政务办审核", f.receivedAt)
		})
		if err != nil {
			t.Fatal(err)
		}
		at := f.receivedAt
		want[cert] = records.EntryRule{EntryID: cert, Rule: records.Quarterly, Source: records.SourceSet, Timeliness: "业务办结后2个工作日内更新",
			Note: "经市政务办审核", SetAt: &at}
		check("set")
		e, _ = records.LoadEntry(f.ctx, db.Read(), cert)
		if r, _ := records.RuleFor(f.ctx, db.Read(), e); r.SetBy != f.pusher.Actor.Kind+":"+f.pusher.Actor.ID || !r.SetAt.Equal(at) ||
			!strings.Contains(r.Basis, "（北京时间）：经市政务办审核") {
			t.Errorf("set rule = %+v, want set by %v at %s (labelled Beijing time in its basis)", r, f.pusher.Actor, at)
		}

		// Cleared, the catalog's 时效要求 applies again.
		err = db.Tx(f.ctx, func(tx *sqldb.Tx) error {
			return records.SetRule(f.ctx, tx, f.pusher.Actor, cert, "", "", f.receivedAt)
		})
		if err != nil {
			t.Fatal(err)
		}
		want[cert] = records.EntryRule{EntryID: cert, Rule: records.Within2, Source: records.SourceCatalog, Timeliness: "业务办结后2个工作日内更新"}
		check("cleared")
	})
}

// TestQuarterlyDeadlineWorkingDay: the quarterly exception's data is due
// on the 10th of the next quarter's first month (每季度首月上旬), by the
// end of that day in Beijing time or, when the 10th is a rest day or a
// public holiday, of the next working day, as extended carries every
// other due date of the platform. Until 2026-12-05 it ended on the 10th
// whatever day that was: Q4 2025's data was late on Monday 2026-01-12,
// though the 10th was a Saturday. A rest day arranged as a working day
// (2026-10-10, 国庆节调休) is not carried, and a holiday added to the calendar
// (calendar.Calendar.With) carries the 10th as a weekend does.
func TestQuarterlyDeadlineWorkingDay(t *testing.T) {
	bj := calendar.Location()
	rules, err := calendar.Parse(strings.NewReader("2028-04-10..2028-04-11 holiday 测试假日\n"))
	if err != nil {
		t.Fatal(err)
	}
	withHoliday, err := calendar.Default().With(rules)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		cal      *calendar.Calendar
		produced string
		deadline string // the last instant on time, Beijing time
	}{
		{calendar.Default(), "2025-12-15 10:00", "2026-01-12"}, // Saturday 01-10 → Monday
		{calendar.Default(), "2026-02-15 10:00", "2026-04-10"}, // Friday
		{calendar.Default(), "2026-08-01 10:00", "2026-10-10"}, // Saturday, 国庆节调休: a working day
		{calendar.Default(), "2026-11-15 10:00", "2027-01-11"}, // Sunday 2027-01-10 → Monday
		{calendar.Default(), "2027-03-31 23:30", "2027-04-12"}, // Saturday 04-10 → Monday
		{calendar.Default(), "2028-01-20 10:00", "2028-04-10"}, // Monday
		{withHoliday, "2028-01-20 10:00", "2028-04-12"},        // Monday 04-10 a holiday, so is 04-11
		{withHoliday, "2028-04-01 00:00", "2028-07-10"},        // Monday
	} {
		p, err := time.ParseInLocation("2006-01-02 15:04", tt.produced, bj)
		if err != nil {
			t.Fatal(err)
		}
		d, err := time.ParseInLocation("2006-01-02", tt.deadline, bj)
		if err != nil {
			t.Fatal(err)
		}
		want := d.AddDate(0, 0, 1).Add(-time.Nanosecond)
		if got := records.Quarterly.Deadline(tt.cal, p); !got.Equal(want) {
			t.Errorf("Quarterly.Deadline(%s) = %s, want %s", tt.produced, got.In(bj), want.In(bj))
		}
		if !records.Quarterly.Late(tt.cal, p, want.Add(time.Nanosecond)) || records.Quarterly.Late(tt.cal, p, want) {
			t.Errorf("produced %s: late just after %s, on time until it", tt.produced, want.In(bj))
		}
	}
}

package records

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// Rule is the timeliness rule of an entry (seed 000 四, seed 001 七(四)).
type Rule string

const (
	// RealTime: licences, certificates and documents (电子证照、文书), and
	// approval results: provided before the next working day after they
	// are produced (次工作日前), i.e. on the same working day.
	RealTime Rule = "realtime"
	// Within2: other business data, within 2 working days of being produced.
	Within2 Rule = "within2"
	// Quarterly: an approved exception (经审核的特殊情况): data of a quarter
	// arrives in the first ten days of the next quarter's first month
	// (每季度首月上旬): by the end of its 10th or, when that is no working
	// day, of the next working day (extended).
	Quarterly Rule = "quarterly"
)

// Label is the Chinese description of the rule.
func (r Rule) Label() string {
	switch r {
	case RealTime:
		return "实时（次工作日前）"
	case Within2:
		return "产生后2个工作日内"
	case Quarterly:
		return "每季度首月上旬（经审核的例外）"
	}
	return string(r)
}

// Deadline is the last instant at which data produced at p is on time.
// Quarterly data is due on the 10th of the next quarter's first month, as
// extended carries every due date of the platform that falls on a rest day
// or a public holiday to the end of the next working day: Q4 2025's data
// is due by Monday 2026-01-12, the 10th being a Saturday (until 2026-12-05
// it was late on that Monday); Q3 2026's by Saturday 2026-10-10, a working
// day (国庆节调休).
func (r Rule) Deadline(cal *calendar.Calendar, p time.Time) time.Time {
	switch r {
	case RealTime:
		return cal.NextWorkingDay(p).Add(-time.Nanosecond)
	case Quarterly:
		d := p.In(calendar.Location())
		firstMonth := time.Month((int(d.Month())-1)/3*3+1) + 3
		return extended(cal, time.Date(d.Year(), firstMonth, 10, 0, 0, 0, 0, calendar.Location()))
	}
	return cal.AddWorkingDays(p, 2)
}

// Late reports whether data produced at p and received at rcv missed the
// rule. A p after rcv is never late: ingestion refuses one more than
// MaxClockSkew ahead (produced_at_in_future), so that a made-up future
// time cannot buy an operation a place among the timely ones.
func (r Rule) Late(cal *calendar.Calendar, p, rcv time.Time) bool {
	return rcv.After(r.Deadline(cal, p))
}

// CatalogRule reads the rule a catalog's 时效要求 text asks for, by the
// limit it states (catalog.ReadTimeLimit): real time (实时, 即时, 次工作日前,
// 当日, 次日前), Within2 for at most 2 working or calendar days (2个工作日内,
// 1日内, and 次日, which allows the next day: later than real time, which
// ends before the next working day, on any working day before another),
// Quarterly for the quarterly exception (每季度首月上旬). ok is false when it
// states another limit (5个工作日内, 每月5日前: longer than any rule allows,
// which catalog.ValidateEntry refuses since 2026-12-05), none (T+1, 按需) or
// several (a text that quotes the whole regulation): the platform then
// cannot tell which the entry follows.
//
// A text asking for Quarterly is read as such, but Quarterly is an approved
// exception: ruleOf never applies it from the catalog, only from the
// operator's decision (SetRule).
func CatalogRule(s string) (Rule, bool) {
	return limitRule(catalog.ReadTimeLimit(s))
}

// limitRule is the rule a time limit read from a 时效要求 names (CatalogRule).
func limitRule(l catalog.TimeLimit, ok bool) (Rule, bool) {
	switch {
	case !ok:
		return "", false
	case l.Kind == catalog.LimitRealTime:
		return RealTime, true
	case l.Kind == catalog.LimitQuarterly:
		return Quarterly, true
	case l.Within2():
		return Within2, true
	}
	return "", false
}

// Where an entry's rule comes from (EntryRule.Source).
const (
	SourceSet     = "set"     // set by the operator (PUT …/rule)
	SourceCatalog = "catalog" // read from the catalog's 时效要求
	SourceDefault = "default" // the catalog's category, update frequency or name
)

// EntryRule is the rule in force for an entry and where it comes from.
type EntryRule struct {
	EntryID int64  `json:"entry_id"`
	Rule    Rule   `json:"rule"`
	Label   string `json:"label"`
	Source  string `json:"source"` // SourceSet, SourceCatalog or SourceDefault
	// Basis says, in Chinese, why the rule applies.
	Basis string `json:"basis"`
	// Timeliness is the catalog's 时效要求 as written, when it has one.
	Timeliness string `json:"timeliness,omitempty"`
	// Note, SetBy (actor kind:id) and SetAt are the decision of a rule
	// set by the operator.
	Note  string     `json:"note,omitempty"`
	SetBy string     `json:"set_by,omitempty"`
	SetAt *time.Time `json:"set_at,omitempty"`
}

// Why explains a late operation: the rule it missed and why the entry
// follows it.
func (r EntryRule) Why() string {
	return "按时效规则“" + r.Label + "”计为迟报（" + r.Basis + "）"
}

// setRule is a row of record_entry_rules.
type setRule struct {
	rule, note, by string
	at             time.Time
}

// ruleOf is the rule in force for e: set, when the operator set one; else
// the one its catalog's 时效要求 states; else the default, from the
// electronic licence category (基础信息资源 05), a real-time update frequency
// or a name of a licence or document (real time), or 2 working days. A
// catalog that asks for Quarterly gets the default, with a basis that says
// the exception needs the operator's approval: only SetRule grants it. Nor
// does a catalog loosen the real time of licences and documents (seed 001
// 七(四)): one asking such an entry for 2 working days gets the default too,
// as does one stating a longer limit than any rule (5个工作日内), each with a
// basis saying so. A licence's part of one working day (半个工作日内), within
// its real time (catalog.TimeLimit.WithinRealTime), is read from its catalog
// as real time: records count whole days, and real time is the licence's
// rule; other business data stating it follow 2 working days, as for any
// shorter limit (1个工作日内, 12小时内).
func ruleOf(e *Entry, set *setRule) EntryRule {
	out := EntryRule{EntryID: e.ID, Timeliness: e.Timeliness, Source: SourceDefault}
	limit, stated := catalog.ReadTimeLimit(e.Timeliness)
	read, readable := limitRule(limit, stated)
	asksQuarterly := readable && read == Quarterly
	licence := catalog.LicenceBasis(catalog.Class(e.Class), e.CategoryCode, e.Name) != ""
	if licence && readable && limit.WithinRealTime() {
		read = RealTime
	}
	loosens := readable && read == Within2 && licence
	switch {
	case set != nil:
		at := set.at.UTC()
		out.Rule, out.Source, out.Note, out.SetBy, out.SetAt = Rule(set.rule), SourceSet, set.note, set.by, &at
		out.Basis = "政务数据主管部门设定于 " + beijingTime(at, "2006-01-02 15:04")
		if set.note != "" {
			out.Basis += "：" + set.note
		}
	case readable && !asksQuarterly && !loosens:
		out.Rule, out.Source, out.Basis = read, SourceCatalog, "目录时效要求“"+e.Timeliness+"”"
	case e.Class == "basic" && e.CategoryCode == "05":
		out.Rule, out.Basis = RealTime, "目录分类为电子证照（基础信息资源 05）"
	case e.UpdateFrequency == "realtime":
		out.Rule, out.Basis = RealTime, "目录更新周期为实时"
	default:
		out.Rule, out.Basis = Within2, "其他业务数据"
		if w := catalog.LicenceWord(e.Name); w != "" {
			out.Rule, out.Basis = RealTime, "数据名称含“"+w+"”，按证照、文书类"
		}
	}
	switch {
	case out.Source != SourceDefault:
	case asksQuarterly:
		out.Basis += "；目录时效要求“" + e.Timeliness + "”要求按季度更新，须经政务数据主管部门审核同意并设定后方可适用"
	case loosens:
		out.Basis += "；目录时效要求“" + e.Timeliness + "”写明的时限（" + limit.Words + "）长于证照、文书类须遵守的实时更新，不予适用"
	case stated && !readable:
		out.Basis += "；目录时效要求“" + e.Timeliness + "”写明的时限（" + limit.Words + "）超出时效规则允许的时限，不予适用"
	case e.Timeliness != "":
		out.Basis += "；目录时效要求“" + e.Timeliness + "”未写明可识别的时限"
	}
	out.Label = out.Rule.Label()
	return out
}

// RuleFor returns the rule in force for the entry (ruleOf).
func RuleFor(ctx context.Context, q sqldb.Querier, e *Entry) (EntryRule, error) {
	var s setRule
	err := q.QueryRowContext(ctx, `SELECT rule, note, approved_by, approved_at FROM record_entry_rules WHERE entry_id = $1`,
		e.ID).Scan(&s.rule, &s.note, &s.by, &s.at)
	if errors.Is(err, sql.ErrNoRows) {
		return ruleOf(e, nil), nil
	}
	if err != nil {
		return EntryRule{}, fmt.Errorf("load rule of entry %d: %w", e.ID, err)
	}
	return ruleOf(e, &s), nil
}

// RulesOf returns the rules in force for the catalog entries ids, by id,
// in one query: for a page of a list. Unknown ids are left out.
func RulesOf(ctx context.Context, q sqldb.Querier, ids []int64) (map[int64]EntryRule, error) {
	out := make(map[int64]EntryRule, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var args []any
	in := sqldb.In(q, &args, ids, 0)
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.update_frequency, c.data, r.rule, r.note, r.approved_by, r.approved_at
		FROM catalog_entries c LEFT JOIN record_entry_rules r ON r.entry_id = c.id WHERE c.id IN `+in, args...)
	if err != nil {
		return nil, fmt.Errorf("rules of entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Entry
		var data string
		var rule, note, by sql.NullString
		var at sql.NullTime
		if err := rows.Scan(&e.ID, &e.UpdateFrequency, &data, &rule, &note, &by, &at); err != nil {
			return nil, err
		}
		if err := e.decode(data); err != nil {
			return nil, err
		}
		var set *setRule
		if rule.Valid {
			set = &setRule{rule: rule.String, note: note.String, by: by.String, at: at.Time}
		}
		out[e.ID] = ruleOf(&e, set)
	}
	return out, rows.Err()
}

// SetRule records an operator's decision on an entry's timeliness rule,
// such as an approved quarterly exception. An empty rule restores the default.
func SetRule(ctx context.Context, tx *sqldb.Tx, by audit.Actor, entryID int64, rule Rule, note string, now time.Time) error {
	note = text.LineFeeds(note) // as every note's (MaxNote)
	if err := checkNote("note", "说明", note); err != nil {
		return err
	}
	switch rule {
	case RealTime, Within2, Quarterly:
		if _, err := tx.ExecContext(ctx, `INSERT INTO record_entry_rules (entry_id, rule, note, approved_by, approved_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (entry_id) DO UPDATE SET rule = excluded.rule, note = excluded.note,
			approved_by = excluded.approved_by, approved_at = excluded.approved_at`,
			entryID, string(rule), note, by.Kind+":"+by.ID, now.UTC()); err != nil {
			return fmt.Errorf("set rule: %w", err)
		}
	case "":
		if _, err := tx.ExecContext(ctx, `DELETE FROM record_entry_rules WHERE entry_id = $1`, entryID); err != nil {
			return fmt.Errorf("clear rule: %w", err)
		}
	default:
		return errs.Field("rule", "invalid_rule", "时效规则应为 realtime、within2 或 quarterly")
	}
	return audit.Record(ctx, tx, audit.Event{Actor: by, Action: "records.rule.set", ObjectType: "catalog_entry",
		ObjectID: fmt.Sprint(entryID), Detail: fmt.Sprintf(`{"rule":%q}`, rule)}, now)
}

// RealTimeQuietDays is how many working days a real-time (实时) entry that
// has received data may go without receiving more before it is stale. A
// real-time entry follows events, not a schedule, so a quiet day or two
// says nothing: a licence of a rare kind may not be issued every day. But
// a source whose business goes on receives its data the day it is produced
// (次工作日前, REQUIREMENTS 19/20), and a feed silent for a whole working
// week (5 working days, the time a department has to answer a discrepancy)
// has most likely stopped: it is reported, for the department to check.
// Counted in working days, as a daily entry's day, so rest days and public
// holidays never make it stale.
const RealTimeQuietDays = 5

// staleSince is StaleAfter for an entry that received its last data at
// since, or, when received is false, received nothing since its
// publication at since; other is the entry's 具体更新周期 when its update
// frequency is other. A real-time entry that received data is stale after
// RealTimeQuietDays working days without more; one that received nothing
// is stale a working day after its publication, as a daily one (the data
// of its first working day is due before the next, REQUIREMENTS 19/20).
// A last receipt later than now by more than receiptReorder was stamped by
// a clock that was ahead, and nothing was applied since (Ingest replaces
// it then): when the entry last received data is unknown, so a scheduled
// one is stale, where it looked fresh until the clock reached that time.
func staleSince(cal *calendar.Calendar, frequency, other string, since time.Time, received bool, now time.Time) (stale bool, ok bool) {
	stale, ok = staleFrom(cal, frequency, other, since, received, now)
	if ok && received && since.After(now.Add(receiptReorder)) {
		return true, true
	}
	return stale, ok
}

// staleFrom is staleSince for a since not in the future.
func staleFrom(cal *calendar.Calendar, frequency, other string, since time.Time, received bool, now time.Time) (stale bool, ok bool) {
	switch frequency {
	case "realtime":
		if received {
			return cal.WorkingDaysBetween(since, now) > RealTimeQuietDays, true
		}
		return cal.WorkingDaysBetween(since, now) > 1, true
	case "other":
		p, readable := OtherPeriod(other)
		if !readable {
			return false, false
		}
		return p.Stale(cal, since, now), true
	}
	return StaleAfter(cal, frequency, since, now)
}

// Stale says whether an entry updated every p that received its last data
// at last is stale at now, as StaleAfter judges the fixed frequencies: a
// period of working days (工作日) counts them, as daily does; one of
// calendar days (每30天), weeks or months is due by the end of the day that
// long after the last data or, when that day is no working day, of the
// next working day (extended). Until 2026-12-05 a period of days was counted in
// working days: 每30天 was about six weeks.
func (p Period) Stale(cal *calendar.Calendar, last, now time.Time) bool {
	switch {
	case p.WorkingDays > 0:
		return cal.WorkingDaysBetween(last, now) > p.WorkingDays
	case p.Days > 0:
		return now.After(extended(cal, last.In(calendar.Location()).AddDate(0, 0, p.Days)))
	case p.Weeks > 0:
		return now.After(extended(cal, last.Add(time.Duration(p.Weeks)*7*24*time.Hour)))
	}
	return now.After(extended(cal, addMonths(last, p.Months)))
}

// StaleAfter says how long an entry with the given update frequency may go
// without receiving anything. ok is false for frequencies that have no
// fixed schedule (real time is event-driven, staleSince judges it; other is
// free text, which staleSince reads with OtherPeriod). A daily entry
// counts working days; a weekly, monthly, quarterly or yearly one is due by
// the end of the day a week, a month, … after the last data, and when that
// day is a rest day or a public holiday, by the end of the next working day
// (extended).
func StaleAfter(cal *calendar.Calendar, frequency string, last, now time.Time) (stale bool, ok bool) {
	switch frequency {
	case "daily":
		return cal.WorkingDaysBetween(last, now) > 1, true
	case "weekly":
		return now.After(extended(cal, last.Add(7*24*time.Hour))), true
	case "monthly":
		return now.After(extended(cal, addMonths(last, 1))), true
	case "quarterly":
		return now.After(extended(cal, addMonths(last, 3))), true
	case "yearly":
		return now.After(extended(cal, addMonths(last, 12))), true
	}
	return false, false
}

// frequencyOtherCol is the SQL of the 具体更新周期 of the catalog entry c (in
// its JSON data) when its update frequency is other, else ”: what
// staleSince reads as other.
func frequencyOtherCol(q sqldb.Querier) string {
	if sqldb.OnSQLite(q) {
		return `CASE WHEN c.update_frequency = 'other' THEN coalesce(json_extract(c.data, '$.update_frequency_other'), '') ELSE '' END`
	}
	return `CASE WHEN c.update_frequency = 'other' THEN coalesce(c.data::jsonb ->> 'update_frequency_other', '') ELSE '' END`
}

// extended is the deadline of data due on due's day: the end of that day
// (23:59:59.999999999 Beijing time, as every deadline of the platform ends)
// or, when it is no working day, the end of the next working day: a
// department's staff push nothing on a weekend or over a public holiday,
// as the daily rule, which counts working days, already allows. A weekly
// entry last fed on Monday 2026-11-02 at 10:00 is due by the end of Monday
// 11-09, as one fed on Sunday 11-01 is (until 2026-12-05 the first was
// stale at 11-09 10:00:01, the second not before 11-10: sending earlier
// left less time). One last fed on Friday 2026-02-13 is due by Tuesday
// 2026-02-24, the first working day after the Spring Festival, not on its
// Friday 02-20.
func extended(cal *calendar.Calendar, due time.Time) time.Time {
	return cal.AddWorkingDays(due, 0)
}

// addMonths is t n calendar months later in Beijing time, on the same day
// of the month or, when the target month is shorter, on its last day:
// Jan 31 + 1 month is Feb 28 (29), where time.AddDate overflows to Mar 3.
func addMonths(t time.Time, n int) time.Time {
	t = t.In(calendar.Location())
	y, m, d := t.Date()
	if last := time.Date(y, m+time.Month(n)+1, 0, 0, 0, 0, 0, calendar.Location()).Day(); d > last {
		d = last
	}
	return time.Date(y, m+time.Month(n), d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), calendar.Location())
}

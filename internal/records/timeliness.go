package records

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
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
	// (每季度首月上旬).
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
func (r Rule) Deadline(cal *calendar.Calendar, p time.Time) time.Time {
	switch r {
	case RealTime:
		return cal.NextWorkingDay(p).Add(-time.Nanosecond)
	case Quarterly:
		d := p.In(calendar.Location())
		firstMonth := time.Month((int(d.Month())-1)/3*3+1) + 3
		return time.Date(d.Year(), firstMonth, 11, 0, 0, 0, 0, calendar.Location()).Add(-time.Nanosecond)
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

// licenceWords mark entries of licences and documents, which need real time.
var licenceWords = []string{"证照", "执照", "许可证", "证书", "登记证", "文书", "批复", "决定书", "审批结果", "许可"}

// DefaultRule derives the rule from the catalog: the electronic licence
// category (基础信息资源 05), a real-time update frequency, or a name of a
// licence or document mean real time; everything else 2 working days.
func (e *Entry) DefaultRule() Rule {
	if (e.Class == "basic" && e.CategoryCode == "05") || e.UpdateFrequency == "realtime" {
		return RealTime
	}
	for _, w := range licenceWords {
		if strings.Contains(e.Name, w) {
			return RealTime
		}
	}
	return Within2
}

// RuleFor returns the entry's rule: an approved exception or the default.
func RuleFor(ctx context.Context, q sqldb.Querier, e *Entry) (Rule, error) {
	var r string
	err := q.QueryRowContext(ctx, `SELECT rule FROM record_entry_rules WHERE entry_id = $1`, e.ID).Scan(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return e.DefaultRule(), nil
	}
	if err != nil {
		return "", fmt.Errorf("load rule of entry %d: %w", e.ID, err)
	}
	return Rule(r), nil
}

// SetRule records an operator's decision on an entry's timeliness rule,
// such as an approved quarterly exception. An empty rule restores the default.
func SetRule(ctx context.Context, tx *sqldb.Tx, by audit.Actor, entryID int64, rule Rule, note string, now time.Time) error {
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

// StaleAfter says how long an entry with the given update frequency may go
// without receiving anything. ok is false for frequencies that have no
// schedule (real time is event-driven; other is free text).
func StaleAfter(cal *calendar.Calendar, frequency string, last, now time.Time) (stale bool, ok bool) {
	switch frequency {
	case "daily":
		return cal.WorkingDaysBetween(last, now) > 1, true
	case "weekly":
		return now.Sub(last) > 7*24*time.Hour, true
	case "monthly":
		return last.AddDate(0, 1, 0).Before(now), true
	case "quarterly":
		return last.AddDate(0, 3, 0).Before(now), true
	case "yearly":
		return last.AddDate(1, 0, 0).Before(now), true
	}
	return false, false
}
